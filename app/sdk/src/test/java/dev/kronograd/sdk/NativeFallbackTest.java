package dev.kronograd.sdk;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The failure path end to end, in a child JVM whose netlib is told to load a BLAS that does not
 * exist: netlib-native is listed unavailable naming that library, auto falls back to pure Java
 * (saying why), and an explicit request fails with the reason, the fix and the underlying error.
 * Independent of whether this machine has a BLAS.
 */
class NativeFallbackTest {

    private static final String MISSING = "libkronograd-no-such-blas.so.3";

    @Test
    void missingNativeLibraryFallsBackForAutoAndFailsWhenRequested() throws Exception {
        Map<String, String> child = ChildJvm.run(NativeFallbackProbe.class, "-Ddev.ludovic.netlib.blas.nativeLib=" + MISSING,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-Dorg.slf4j.simpleLogger.logFile=System.err");

        String listed = child.get("list.netlib-native");
        assertTrue(listed.startsWith("unavailable: could not load the native BLAS " + MISSING), listed);
        assertTrue(listed.contains("UnsatisfiedLinkError"), "keeps the underlying error: " + listed);
        assertTrue(child.get("list.netlib-java").startsWith("available"), child.get("list.netlib-java"));

        assertEquals("netlib-java", child.get("auto"), child::toString);
        assertTrue(child.get("autoReason").contains("netlib-native is unavailable: could not load the native BLAS " + MISSING),
                child.get("autoReason"));
        // The INFO line is logged once (slf4j-simple writes to stderr).
        String stderr = child.get("stderr");
        assertEquals(1, stderr.split("BLAS backend: netlib-java", -1).length - 1, stderr);

        String explicit = child.get("explicit");
        assertTrue(explicit.startsWith("backend 'netlib-native' was requested by system property kronograd.backend but is unavailable"), explicit);
        assertTrue(explicit.contains(MISSING), explicit);
        assertTrue(explicit.contains("apt-get install libopenblas0-pthread"), explicit);
        assertEquals("java.lang.UnsatisfiedLinkError", child.get("explicitCause"));
    }
}
