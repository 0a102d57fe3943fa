package dev.kronograd.backend.openblas;

import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import dev.kronograd.core.linalg.Transpose;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zero-copy route: the JNI shim is in use wherever the build produced it (and with
 * {@code KRONOGRAD_REQUIRE_NATIVE=1} it must be, or these tests fail instead of skipping), it checks
 * its arguments before the native call, it computes in place on shared arrays, and it is extracted
 * once per content into JavaCPP's cache.
 */
class ZeroCopyShimTest {

    /** The shim must be in use: it was built for this platform, or CI requires the native routes. */
    private static CriticalGemm requireShim() {
        String platform = Loader.getPlatform();
        boolean built = CriticalGemm.class.getResource(CriticalGemm.resource(platform)) != null;
        boolean required = "1".equals(System.getenv("KRONOGRAD_REQUIRE_NATIVE"));
        if (!built && !required) {
            Assumptions.abort("no zero-copy shim was built for " + platform + " (it needs linux-x86_64 and /usr/bin/gcc at build time);"
                    + " KRONOGRAD_REQUIRE_NATIVE=1 makes this a failure");
        }
        CriticalGemm shim = CriticalGemm.get();
        assertTrue(shim.loaded(), () -> "the zero-copy shim did not load (built: " + built + "): " + shim.detail()
                + shim.cause().map(e -> " — " + e).orElse(""));
        return shim;
    }

    @Test
    void theShimIsInUseAndNamedInTheAvailabilityWhenItWasBuilt() throws IOException {
        CriticalGemm shim = requireShim();
        assertTrue(OpenBlasLinearAlgebra.create(OpenBlasLinearAlgebra.Settings.withThreads(2)).zeroCopy());
        String detail = OpenBlasLinearAlgebra.availability().detail();
        String marker = "; gemm zero-copy through kronograd's JNI shim ";
        assertTrue(detail.contains(marker), detail);
        // The shim file is in JavaCPP's cache, and mapped into this process.
        String rest = detail.substring(detail.indexOf(marker) + marker.length());
        Path file = Path.of(rest.substring(0, rest.indexOf(" on a private copy of the bundled OpenBLAS, ")));
        assertTrue(file.startsWith(Loader.getCacheDir().toPath()) && file.endsWith(CriticalGemm.LIBRARY), file.toString());
        assertTrue(Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(l -> l.endsWith(file.toString())),
                "not mapped: " + file);
        assertEquals(shim.detail(), detail.substring(detail.indexOf(marker) + 2));
        // The private copy of the bundled file is what computes: mapped, in the cache, and the bundled version.
        Path copy = shim.privateCopy().orElseThrow();
        assertTrue(copy.startsWith(Loader.getCacheDir().toPath()) && copy.getFileName().toString().endsWith(CriticalGemm.PRIVATE_SUFFIX), copy.toString());
        assertTrue(Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(l -> l.endsWith(copy.toString())), "not mapped: " + copy);
        assertTrue(shim.config().orElseThrow().startsWith("OpenBLAS 0.3.31"), shim.config().toString());
    }

    @Test
    void theThreadCountIsThePrivateCopysOwnAndLeavesAnySystemOpenBlasAlone() {
        CriticalGemm shim = requireShim();
        OpenBlasLinearAlgebra la = OpenBlasLinearAlgebra.create(new OpenBlasLinearAlgebra.Settings(2, 0, 0));
        assertTrue(la.zeroCopy());
        // Through JavaCPP this reaches netlib's system OpenBLAS when one was loaded first (interposition), else the
        // bundled file JavaCPP loaded: either way not the private copy, whose count the backend sets.
        int javacppBefore = org.bytedeco.openblas.global.openblas_nolapack.blas_get_num_threads();
        shim.setThreads(2);
        assertEquals(2, shim.threads());
        double[] a = new double[64 * 64];
        double[] c = new double[64 * 64];
        java.util.Arrays.fill(a, 0.5);
        la.gemm(dev.kronograd.core.linalg.Transpose.N, dev.kronograd.core.linalg.Transpose.N, 64, 64, 64, 1.0, a, 0, 64, a, 0, 64, 0.0, c, 0, 64);
        assertEquals(16.0, c[64 * 64 - 1]);
        assertEquals(1, la.currentThreads(), "the policy sets the copy back to one thread after a multi-threaded gemm");
        assertEquals(javacppBefore, org.bytedeco.openblas.global.openblas_nolapack.blas_get_num_threads(),
                "the library JavaCPP's calls reach kept its thread count");
    }

    @Test
    void anInstanceWithoutZeroCopyStagesEvenWhenTheShimLoaded() {
        assertFalse(OpenBlasLinearAlgebra.create(OpenBlasLinearAlgebra.Settings.withThreads(2), false).zeroCopy());
    }

    @Test
    void zeroCopyPropertyTakesTrueOrFalseAndNamesItselfOtherwise() {
        assertTrue(CriticalGemm.zeroCopyRequested(new Properties()));
        assertTrue(CriticalGemm.zeroCopyRequested(props(" TRUE ")));
        assertTrue(CriticalGemm.zeroCopyRequested(props("")));
        assertFalse(CriticalGemm.zeroCopyRequested(props("false")));
        assertFalse(CriticalGemm.zeroCopyRequested(props("False")));
        for (String bad : List.of("no", "0", "off")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CriticalGemm.zeroCopyRequested(props(bad)));
            assertTrue(e.getMessage().startsWith("-Dkronograd.openblas.zeroCopy=" + bad + ":"), e.getMessage());
        }
    }

    @Test
    void theShimRejectsBadArgumentsBeforeTheNativeCall() {
        CriticalGemm shim = requireShim();
        double[] a = new double[12];
        double[] b = new double[12];
        double[] c = new double[9];
        // 3×4 · 4×3 = 3×3 fits exactly; each variant below breaks one assumption of the C side.
        shim.dgemm(false, false, 3, 3, 4, 1, a, 0, 3, b, 0, 4, 0, c, 0, 3);
        assertThrows(IndexOutOfBoundsException.class, () -> shim.dgemm(false, false, 3, 3, 4, 1, a, 1, 3, b, 0, 4, 0, c, 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> shim.dgemm(false, false, 3, 3, 4, 1, a, -1, 3, b, 0, 4, 0, c, 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> shim.dgemm(false, false, 3, 3, 4, 1, a, 0, 3, b, 0, 4, 0, c, 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> shim.dgemm(true, false, 3, 3, 4, 1, a, 0, 5, b, 0, 4, 0, c, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> shim.dgemm(false, false, 3, 3, 4, 1, a, 0, 2, b, 0, 4, 0, c, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> shim.dgemm(false, false, 0, 3, 4, 1, a, 0, 3, b, 0, 4, 0, c, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> shim.dgemm(false, false, 3, 3, 4, 1, a, 0, 3, b, 0, 4, 0, a, 3, 3));
        assertThrows(NullPointerException.class, () -> shim.dgemm(false, false, 3, 3, 4, 1, a, 0, 3, null, 0, 4, 0, c, 0, 3));
    }

    @Test
    void oneArrayHoldingAAndBAndCInDisjointViewsGivesTheReferenceAndTouchesNothingElse() {
        requireShim();
        LinearAlgebra zeroCopy = OpenBlasLinearAlgebra.create(new OpenBlasLinearAlgebra.Settings(2, 0, 0));
        int m = 37, n = 29, k = 23;
        int lda = k + 3, ldc = m + 5; // A is stored transposed (k×m), C has gaps between its columns
        int aOff = 7, cOff = aOff + (m - 1) * lda + k + 11;
        double[] shared = new Random(5).doubles(cOff + (long) (n - 1) * ldc + m + 9, -1, 1).toArray();
        for (double beta : new double[] {0.0, 0.6}) {
            double[] expected = shared.clone();
            double[] actual = shared.clone();
            // C ← 1.3·Aᵀ·A[:, :n] + β·C, with B a view of the same region as A (read twice, never written).
            new ReferenceLinearAlgebra().gemm(Transpose.T, Transpose.N, m, n, k, 1.3, expected, aOff, lda, expected, aOff, lda, beta, expected, cOff, ldc);
            zeroCopy.gemm(Transpose.T, Transpose.N, m, n, k, 1.3, actual, aOff, lda, actual, aOff, lda, beta, actual, cOff, ldc);
            for (int i = 0; i < actual.length; i++) {
                int column = (i - cOff) / ldc;
                boolean inC = i >= cOff && column < n && (i - cOff) % ldc < m;
                if (inC) {
                    assertEquals(expected[i], actual[i], 1e-12, "C at array index " + i);
                } else {
                    assertEquals(Double.doubleToRawLongBits(shared[i]), Double.doubleToRawLongBits(actual[i]), "outside C at index " + i);
                }
            }
        }
    }

    @Test
    void extractionWritesOncePerContentAndRepairsADamagedFile(@TempDir Path cache) throws IOException {
        byte[] one = {1, 2, 3, 4};
        byte[] two = {1, 2, 3, 5};
        Path first = CriticalGemm.extract(one, cache);
        assertArrayEquals(one, Files.readAllBytes(first));
        assertTrue(first.startsWith(cache.resolve("kronograd-openblas")) && first.endsWith(CriticalGemm.LIBRARY), first.toString());
        assertEquals(first, CriticalGemm.extract(one, cache));
        Path second = CriticalGemm.extract(two, cache);
        assertNotEquals(first.getParent(), second.getParent());
        assertArrayEquals(one, Files.readAllBytes(first));
        Files.write(first, new byte[] {9});
        assertEquals(first, CriticalGemm.extract(one, cache));
        assertArrayEquals(one, Files.readAllBytes(first));
        try (var files = Files.list(first.getParent())) {
            assertEquals(List.of(CriticalGemm.LIBRARY), files.map(p -> p.getFileName().toString()).toList(), "no temporary files left");
        }
    }

    private static Properties props(String value) {
        Properties p = new Properties();
        p.setProperty(CriticalGemm.ZERO_COPY_PROPERTY, value);
        return p;
    }
}
