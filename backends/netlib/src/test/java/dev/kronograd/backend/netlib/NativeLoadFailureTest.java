package dev.kronograd.backend.netlib;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The failure path, for real: a JVM whose netlib is told to load a BLAS that does not exist.
 * netlib-native must report unavailable naming that library, keep the underlying error, say how
 * to fix it, and refuse to provision; netlib-java must keep working. Runs in child JVMs (netlib
 * loads once per JVM), so it does not depend on whether this machine has a BLAS.
 */
class NativeLoadFailureTest {

    private static final String MISSING = "libkronograd-no-such-blas.so.3";

    @Test
    void missingLibraryByNameIsReportedWithCauseAndFix() throws Exception {
        Map<String, String> child = ChildJvm.run(NativeLoadFailureProbe.class, "-D" + NativeBlasLibrary.NATIVE_LIB_PROPERTY + "=" + MISSING);

        assertEquals("false", child.get("available"), child::toString);
        String detail = child.get("detail");
        assertTrue(detail.contains(MISSING), detail);
        assertTrue(detail.contains("apt-get install libopenblas0-pthread"), detail);
        assertTrue(detail.contains("-Ddev.ludovic.netlib.blas.nativeLibPath="), detail);
        assertTrue(detail.contains(MISSING + " is not in /usr/lib/"), "says where it looked: " + detail);
        // The underlying error is kept: netlib's shim fails JNI_OnLoad when dlopen() fails.
        assertTrue(child.get("cause").startsWith("java.lang.UnsatisfiedLinkError"), child.get("cause"));
        assertTrue(child.get("cause").contains("0xFFFFFFFF"), child.get("cause"));

        assertTrue(child.get("provision").startsWith("java.lang.IllegalStateException: netlib-native is unavailable"), child.get("provision"));
        assertTrue(child.get("provision").contains(MISSING), child.get("provision"));
        assertTrue(child.get("provisionCause").startsWith("java.lang.UnsatisfiedLinkError"), child.get("provisionCause"));

        assertEquals("31.0", child.get("javaGemm"), "netlib-java still computes 2·5 + 3·7");
    }

    @Test
    void missingLibraryPathIsReportedAsNonExistent() throws Exception {
        String path = "/nonexistent/kronograd/libblas.so.3";
        Map<String, String> child = ChildJvm.run(NativeLoadFailureProbe.class, "-D" + NativeBlasLibrary.NATIVE_LIB_PATH_PROPERTY + "=" + path);

        assertEquals("false", child.get("available"), child::toString);
        assertTrue(child.get("detail").contains(path + " (-Ddev.ludovic.netlib.blas.nativeLibPath)"), child.get("detail"));
        assertTrue(child.get("detail").contains(path + " does not exist."), child.get("detail"));
        assertTrue(child.get("provision").contains(path), child.get("provision"));
    }
}
