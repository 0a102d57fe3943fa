package dev.kronograd.backend.netlib;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A host that uses netlib without {@code jdk.incubator.vector} and without a system BLAS — both
 * fall-backs netlib-java reports through java.util.logging at WARNING — sees nothing on stderr at
 * SLF4J's default level, and the messages through SLF4J at DEBUG; netlib's loggers keep no filter.
 * Child JVMs, started without the vector module: netlib chooses its implementations once per JVM.
 */
class NetlibLoggingTest {
    private static final String NO_NATIVE = "-D" + NativeBlasLibrary.NATIVE_LIB_PROPERTY + "=libkronograd-none.so.3";

    @Test
    void netlibFallBacksStayOffStderrAtTheDefaultLevel() throws Exception {
        Map<String, String> child = ChildJvm.runWithStderr(NetlibLoggingProbe.class, NO_NATIVE);
        assertEquals("false", child.get("nativeAvailable"), child::toString);
        assertTrue(child.get("javaDetail").contains("Java11BLAS"), child::toString);
        assertEquals("31.0", child.get("javaGemm"), "2·5 + 3·7: " + child);
        String stderr = child.get(ChildJvm.STDERR);
        assertFalse(stderr.contains("Failed to load implementation"), stderr);
        assertFalse(stderr.contains("WARNING"), stderr);
        for (String builder : NetlibInitialisation.INSTANCE_BUILDERS) {
            assertEquals("null", child.get("filter " + builder), "the filter is removed after the initialisation: " + child);
        }
    }

    @Test
    void netlibFallBacksGoThroughSlf4jAtDebug() throws Exception {
        Map<String, String> child = ChildJvm.runWithStderr(NetlibLoggingProbe.class, NO_NATIVE,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug");
        String stderr = child.get(ChildJvm.STDERR);
        assertTrue(stderr.lines().anyMatch(l -> l.contains("DEBUG") && l.contains(NetlibInitialisation.class.getName())
                && l.contains("Failed to load implementation from:dev.ludovic.netlib.blas.VectorBLAS")), stderr);
        assertTrue(stderr.lines().anyMatch(l -> l.contains("DEBUG") && l.contains("JNIBLAS")), stderr);
        assertFalse(stderr.contains("WARNING"), stderr);
    }
}
