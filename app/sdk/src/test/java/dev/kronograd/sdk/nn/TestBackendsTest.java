package dev.kronograd.sdk.nn;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import dev.kronograd.backend.AbstractBackendProvider;
import dev.kronograd.backend.Availability;
import dev.kronograd.backend.BackendProvider;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backend list of the network and curvature tests: a backend that does not load is dropped only when allowed. */
class TestBackendsTest {

    private static final UnsatisfiedLinkError LOAD_ERROR = new UnsatisfiedLinkError("libblas.so.3: cannot open shared object file");

    /** A provider whose backend is core's reference, or which does not load with {@link #LOAD_ERROR}. */
    private static BackendProvider provider(String name, boolean loads) {
        return new AbstractBackendProvider(name, 1, "test backend " + name) {
            @Override
            protected Availability probe() {
                return loads ? Availability.available(name + " loaded")
                        : Availability.unavailable("native BLAS not found; install libopenblas0-pthread", LOAD_ERROR);
            }

            @Override
            public Module module() {
                return new AbstractModule() {
                    @Override
                    protected void configure() {
                        bind(LinearAlgebra.class).toInstance(ReferenceLinearAlgebra.INSTANCE);
                    }
                };
            }
        };
    }

    @Test
    void anUnavailableBackendIsDroppedWhenNativeIsNotRequired() {
        List<LinearAlgebra> backends = TestBackends.available(List.of(provider("netlib-native", false), provider("ejml", true)), false);
        assertEquals(2, backends.size(), "the reference and ejml: " + backends);
    }

    @Test
    void anUnavailableBackendFailsNamingItAndWhyWhenNativeIsRequired() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> TestBackends.available(List.of(provider("ejml", true), provider("netlib-native", false)), true));
        assertEquals("KRONOGRAD_REQUIRE_NATIVE is set but backend netlib-native is unavailable: native BLAS not found; "
                + "install libopenblas0-pthread", e.getMessage());
        assertSame(LOAD_ERROR, e.getCause());
    }

    @Test
    void aMissingNativeBackendFailsWhenNativeIsRequired() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> TestBackends.available(List.of(provider("ejml", true)), true));
        assertTrue(e.getMessage().startsWith("KRONOGRAD_REQUIRE_NATIVE is set but no backend netlib-native was discovered"), e.getMessage());
        assertTrue(e.getMessage().endsWith("discovered: [ejml]"), e.getMessage());
    }

    @Test
    void everyBackendLoadsWhenNativeIsRequired() {
        List<LinearAlgebra> backends = TestBackends.available(List.of(provider("netlib-native", true), provider("ejml", true)), true);
        assertEquals(3, backends.size(), backends::toString);
    }

    @Test
    void theEnvironmentVariableIsReadAsNetlibsTestsReadIt() {
        assertFalse(TestBackends.required(null));
        assertFalse(TestBackends.required(" "));
        assertFalse(TestBackends.required("0"));
        assertFalse(TestBackends.required("FALSE"));
        assertTrue(TestBackends.required("1"));
        assertTrue(TestBackends.required("true"));
    }
}
