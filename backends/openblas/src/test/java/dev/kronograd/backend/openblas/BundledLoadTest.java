package dev.kronograd.backend.openblas;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loading for real, in child JVMs (JavaCPP and netlib load once per JVM): the bundled OpenBLAS
 * needs no system BLAS, names the file it loaded, coexists with netlib's system BLAS, and says why
 * when there are no natives for the platform.
 */
class BundledLoadTest {

    @Test
    void loadsAndComputesWithTheSystemBlasUnloadableFromAFreshCache(@TempDir Path cache) throws Exception {
        Map<String, String> child = ChildJvm.run(BundledLoadProbe.class,
                "-Ddev.ludovic.netlib.blas.nativeLib=libkronograd-no-such-blas.so.3",
                "-Dorg.bytedeco.javacpp.cachedir=" + cache);

        assertEquals("unavailable", child.get("netlibNative"), "netlib's system BLAS is made unloadable: " + child);
        assertEquals("true", child.get("available"), child::toString);
        String listing = child.get("listing");
        assertTrue(listing.startsWith("openblas-bundled (rank 250"), listing);
        // The file it loaded, extracted into the (fresh) JavaCPP cache.
        assertTrue(listing.contains(cache.toString()) && listing.contains("libopenblas"), listing);
        assertTrue(listing.contains("org.bytedeco:openblas:0.3.31-1.5.13"), listing);
        assertEquals("openblas-bundled", child.get("provision"));
        assertTrue(Double.parseDouble(child.get("gemmMaxError")) <= 1e-12, child.get("gemmMaxError"));
        // Nothing from the system: every OpenBLAS file mapped is the bundled one (or the zero-copy shim, also in the cache).
        for (String file : child.get("mappedOpenBlas").split(",")) {
            assertTrue(file.startsWith(cache.toString()), "mapped from outside the cache: " + file);
        }
        if (CriticalGemm.builtForThisPlatform()) {
            assertTrue(listing.contains("; gemm zero-copy through kronograd's JNI shim " + cache.resolve("kronograd-openblas")), listing);
            assertTrue(listing.contains("on a private copy of the bundled OpenBLAS, " + cache), listing);
            assertTrue(child.get("mappedOpenBlas").contains(CriticalGemm.LIBRARY), child.get("mappedOpenBlas"));
            assertTrue(child.get("mappedOpenBlas").contains(CriticalGemm.PRIVATE_SUFFIX), child.get("mappedOpenBlas"));
        }
    }

    @Test
    void zeroCopyTurnedOffByThePropertyStagesAndSaysSo() throws Exception {
        Map<String, String> child = ChildJvm.run(BundledLoadProbe.class, "-Dkronograd.openblas.zeroCopy=false");

        assertEquals("true", child.get("available"), child::toString);
        String listing = child.get("listing");
        assertTrue(listing.contains("; gemm through staging copies: zero-copy turned off by -Dkronograd.openblas.zeroCopy=false"), listing);
        assertEquals("openblas-bundled", child.get("provision"));
        assertTrue(Double.parseDouble(child.get("gemmMaxError")) <= 1e-12, child.get("gemmMaxError"));
        assertFalse(child.get("mappedOpenBlas").contains(CriticalGemm.LIBRARY), "the shim is not even loaded: " + child.get("mappedOpenBlas"));
    }

    @Test
    void aMalformedZeroCopyPropertyFailsProvisionNamingIt() throws Exception {
        Map<String, String> child = ChildJvm.run(BundledLoadProbe.class, "-Dkronograd.openblas.zeroCopy=maybe");

        String provision = child.get("provision");
        assertTrue(provision.contains("-Dkronograd.openblas.zeroCopy=maybe"), provision);
        assertTrue(child.get("listing").contains("gemm through staging copies: -Dkronograd.openblas.zeroCopy=maybe"), child.get("listing"));
    }


    @Test
    void coexistsWithNetlibsSystemBlas() throws Exception {
        // Both OpenBLAS copies have the soname libopenblas.so.0; loaded in the wrong order the JVM crashed (SIGSEGV).
        Map<String, String> child = ChildJvm.run(BundledLoadProbe.class);

        assertEquals("true", child.get("available"), child::toString);
        assertTrue(Double.parseDouble(child.get("gemmMaxError")) <= 1e-12, child.get("gemmMaxError"));
        if (child.get("netlibNative").equals("loaded")) {
            assertTrue(child.get("mappedOpenBlas").contains(".javacpp"), child.get("mappedOpenBlas"));
            if (CriticalGemm.builtForThisPlatform()) {
                // With the system OpenBLAS in the global scope, the bundled code still computes (its private copy).
                assertTrue(child.get("listing").contains("on a private copy of the bundled OpenBLAS")
                        && child.get("listing").contains("OpenBLAS 0.3.31"), child.get("listing"));
            }
        }
    }

    @Test
    void aPlatformWithoutNativesIsExplainedWithTheClassifierToAdd() throws Exception {
        Map<String, String> child = ChildJvm.run(BundledLoadProbe.class, "-Dorg.bytedeco.javacpp.platform=linux-riscv64");

        assertEquals("false", child.get("available"), child::toString);
        String listing = child.get("listing");
        assertTrue(listing.contains("no bundled OpenBLAS for platform linux-riscv64"), listing);
        assertTrue(listing.contains("org.bytedeco:openblas:0.3.31-1.5.13:linux-riscv64"), listing);
        assertFalse(child.get("cause").equals("none"), "the underlying error is kept");
        String provision = child.get("provision");
        assertTrue(provision.startsWith("dev.kronograd.backend.BackendUnavailableException"), provision);
        assertTrue(provision.contains("openblas-bundled") && provision.contains("linux-riscv64"), provision);
    }
}
