package dev.kronograd.sdk.nn;

import com.google.inject.Guice;
import dev.kronograd.backend.Availability;
import dev.kronograd.backend.BackendProvider;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import org.opentest4j.AssertionFailedError;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Every backend available here (plus core's reference), each obtained as production does: through its Guice module.
 * A backend that does not load is left out, unless {@value #REQUIRE_NATIVE_ENV} is set (CI sets it after installing
 * OpenBLAS): then every discovered backend, netlib-native among them, must load, and one that does not fails the
 * tests that use this list, naming the backend and why, so that CI cannot pass without having run them all.
 */
final class TestBackends {
    static final String REQUIRE_NATIVE_ENV = "KRONOGRAD_REQUIRE_NATIVE";
    static final String NATIVE_BACKEND = "netlib-native";

    private TestBackends() {
    }

    static List<LinearAlgebra> available() {
        return available(ServiceLoader.load(BackendProvider.class), required(System.getenv(REQUIRE_NATIVE_ENV)));
    }

    /**
     * The reference and each provider's backend that is available; with {@code allRequired}, fails on the first
     * provider that is not, and when no provider is {@value #NATIVE_BACKEND}.
     */
    static List<LinearAlgebra> available(Iterable<BackendProvider> providers, boolean allRequired) {
        List<LinearAlgebra> out = new ArrayList<>();
        out.add(ReferenceLinearAlgebra.INSTANCE);
        List<String> discovered = new ArrayList<>();
        for (BackendProvider p : providers) {
            discovered.add(p.name());
            Availability availability = p.availability();
            if (availability.available()) {
                out.add(Guice.createInjector(p.module()).getInstance(LinearAlgebra.class));
            } else if (allRequired) {
                throw new AssertionFailedError(REQUIRE_NATIVE_ENV + " is set but backend " + p.name() + " is unavailable: "
                        + availability.detail(), availability.cause());
            }
        }
        if (allRequired && !discovered.contains(NATIVE_BACKEND)) {
            throw new AssertionFailedError(REQUIRE_NATIVE_ENV + " is set but no backend " + NATIVE_BACKEND
                    + " was discovered (is kronograd-backend-netlib on the test class path?); discovered: " + discovered);
        }
        return out;
    }

    /** As netlib's tests read {@value #REQUIRE_NATIVE_ENV}: set, and neither blank, 0 nor false. */
    static boolean required(String value) {
        return value != null && !value.isBlank() && !value.equals("0") && !value.equalsIgnoreCase("false");
    }
}
