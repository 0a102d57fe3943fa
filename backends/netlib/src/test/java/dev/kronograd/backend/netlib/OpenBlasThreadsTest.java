package dev.kronograd.backend.netlib;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * netlib-native picks its routing thresholds by how many threads OpenBLAS runs: with one thread
 * gemv goes native from 48², with several it stays in Java. Child JVMs, since OpenBLAS reads its
 * environment once, when it loads. Needs the system BLAS (skipped, or failed under
 * KRONOGRAD_REQUIRE_NATIVE, without it).
 */
class OpenBlasThreadsTest {

    @Test
    void oneOpenBlasThreadSelectsTheSingleThreadedThresholds() throws Exception {
        NativeBlasRequirement.requireNativeBlas();
        Map<String, String> child = ChildJvm.run(OpenBlasThreadsProbe.class, Map.of("OPENBLAS_NUM_THREADS", "1"));
        assertEquals("true", child.get("available"), child::toString);
        if (child.get("detail").contains("openblas")) {
            assertTrue(child.get("detail").contains("OpenBLAS threads: 1 (OPENBLAS_NUM_THREADS=1)"), child.get("detail"));
        }
        assertEquals("single", child.get("thresholds"), child::toString);
    }

    @Test
    void twoOpenBlasThreadsSelectTheMultiThreadedThresholds() throws Exception {
        NativeBlasRequirement.requireNativeBlas();
        Map<String, String> child = ChildJvm.run(OpenBlasThreadsProbe.class, Map.of("OPENBLAS_NUM_THREADS", "2"));
        boolean openBlas = child.get("detail").contains("openblas");
        assertEquals(openBlas ? "multi" : "single", child.get("thresholds"), child::toString);
    }
}
