package dev.kronograd.backend.netlib;

import dev.kronograd.backend.Availability;
import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Whether native tests run: on a machine without a system BLAS they are skipped with what to
 * install; with {@code KRONOGRAD_REQUIRE_NATIVE=1} (set by CI after installing OpenBLAS) they fail
 * instead, so that CI cannot pass without testing the native path.
 */
final class NativeBlasRequirement {

    static final String REQUIRE_NATIVE_ENV = "KRONOGRAD_REQUIRE_NATIVE";

    private NativeBlasRequirement() {
    }

    /** Skips (or, when native is required, fails) the calling test unless the system BLAS loaded. */
    static void requireNativeBlas() {
        Availability availability = NetlibLinearAlgebra.nativeAvailability();
        if (availability.available()) {
            return;
        }
        if (nativeRequired()) {
            fail(REQUIRE_NATIVE_ENV + " is set but netlib-native is unavailable: " + availability.detail(), availability.cause());
        }
        Assumptions.abort("netlib-native tests skipped: no system BLAS (install it with: apt-get install libopenblas0-pthread). "
                + availability.detail());
    }

    static boolean nativeRequired() {
        String value = System.getenv(REQUIRE_NATIVE_ENV);
        return value != null && !value.isBlank() && !value.equals("0") && !value.equalsIgnoreCase("false");
    }
}
