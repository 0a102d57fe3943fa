package dev.kronograd.backend.openblas;

import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import dev.kronograd.core.linalg.Transpose;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shim's worker pool behind the private copy's threads callback: a multi-threaded gemm runs
 * its jobs there (counted), gives the single-threaded result bit for bit, also when the workers
 * have gone to sleep between calls; and the two properties are checked.
 */
class WorkerPoolTest {

    private static final int M = 256, K = 192, N = 224;

    @Test
    void multiThreadedGemmRunsOnThePoolAndEqualsTheSingleThreadedProductBitForBit() throws Exception {
        assumeTrue(CriticalGemm.builtForThisPlatform(), "this build has no zero-copy shim for the platform (compiled on linux-x86_64 when /usr/bin/gcc exists; .ci/run installs gcc)");
        CriticalGemm shim = CriticalGemm.get();
        assertTrue(shim.loaded(), shim.detail());
        assertTrue(shim.detail().contains("shim's worker threads"), shim.detail());
        OpenBlasLinearAlgebra multi = OpenBlasLinearAlgebra.create(new OpenBlasLinearAlgebra.Settings(2, 0, 0));
        OpenBlasLinearAlgebra single = OpenBlasLinearAlgebra.create(new OpenBlasLinearAlgebra.Settings(1, 0, 0));
        long[] before = shim.poolStats();
        assertTrue(before[2] >= 1, "workers started: " + before[2]);
        for (int r = 0; r < 12; r++) {
            Random random = new Random(r);
            Transpose ta = r % 2 == 0 ? Transpose.N : Transpose.T;
            Transpose tb = r % 3 == 0 ? Transpose.T : Transpose.N;
            double[] a = random.doubles((long) M * K, -1, 1).toArray();
            double[] b = random.doubles((long) K * N, -1, 1).toArray();
            double[] c1 = new double[M * N];
            double[] c2 = new double[M * N];
            double[] expected = new double[M * N];
            int lda = ta == Transpose.N ? M : K;
            int ldb = tb == Transpose.N ? K : N;
            single.gemm(ta, tb, M, N, K, 1.0, a, 0, lda, b, 0, ldb, 0.0, c1, 0, M);
            multi.gemm(ta, tb, M, N, K, 1.0, a, 0, lda, b, 0, ldb, 0.0, c2, 0, M);
            assertArrayEquals(c1, c2, "product " + r + " (" + ta + ", " + tb + ")");
            ReferenceLinearAlgebra.INSTANCE.gemm(ta, tb, M, N, K, 1.0, a, 0, lda, b, 0, ldb, 0.0, expected, 0, M);
            for (int i = 0; i < expected.length; i++) {
                assertTrue(Math.abs(c2[i] - expected[i]) <= 1e-12 * K, "product " + r + ", element " + i);
            }
            if (r % 4 == 3) {
                Thread.sleep(20); // past the spin: the next call wakes sleeping workers
            }
        }
        long[] after = shim.poolStats();
        assertEquals(1, multi.currentThreads());
        assertTrue(after[0] - before[0] >= 12, "parallel calls served by the pool: " + (after[0] - before[0]));
        assertTrue(after[1] - before[1] >= 12, "jobs run by its workers: " + (after[1] - before[1]));
    }

    @Test
    void morePerThreadOpenBlasThreadsThanWorkersGrowThePool() {
        assumeTrue(CriticalGemm.builtForThisPlatform(), "this build has no zero-copy shim for the platform (compiled on linux-x86_64 when /usr/bin/gcc exists; .ci/run installs gcc)");
        CriticalGemm shim = CriticalGemm.get();
        assertTrue(shim.loaded(), shim.detail());
        int threads = (int) shim.poolStats()[2] + 2; // one more job than there are workers now
        int n = 384;
        Random random = new Random(3);
        double[] a = random.doubles((long) n * n, -1, 1).toArray();
        double[] b = random.doubles((long) n * n, -1, 1).toArray();
        double[] single = new double[n * n];
        double[] wide = new double[n * n];
        shim.dgemm(false, false, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, single, 0, n);
        long[] before = shim.poolStats();
        int previous = shim.setThreadsLocal(threads);
        assumeTrue(previous >= 0, "this OpenBLAS has no openblas_set_num_threads_local (0.3.27 and later have)");
        try {
            shim.dgemm(false, false, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, wide, 0, n);
        } finally {
            shim.setThreadsLocal(0);
        }
        long[] after = shim.poolStats();
        assertTrue(after[2] >= threads - 1, "workers: " + after[2] + ", wanted " + (threads - 1));
        assertTrue(after[0] > before[0], "the product ran on the pool");
        assertArrayEquals(single, wide);
    }

    @Test
    void openBlasOwnThreadsOnRequestAndAMalformedValueFailsProvisionNamingIt() throws Exception {
        assumeTrue(CriticalGemm.builtForThisPlatform(), "this build has no zero-copy shim for the platform (compiled on linux-x86_64 when /usr/bin/gcc exists; .ci/run installs gcc)");
        Map<String, String> own = ChildJvm.run(BundledLoadProbe.class, "-Dkronograd.openblas.workers=openblas");
        assertTrue(own.get("listing").contains("; parallel gemm on OpenBLAS's own threads (-Dkronograd.openblas.workers=openblas)"), own.get("listing"));
        assertEquals("openblas-bundled", own.get("provision"));
        assertTrue(Double.parseDouble(own.get("gemmMaxError")) <= 1e-12, own.get("gemmMaxError"));

        Map<String, String> bad = ChildJvm.run(BundledLoadProbe.class, "-Dkronograd.openblas.spinMicros=soon");
        assertTrue(bad.get("provision").contains("-Dkronograd.openblas.spinMicros=soon"), bad.get("provision"));
    }

    @Test
    void workerPropertiesAreCheckedAndNamed() {
        assertTrue(CriticalGemm.workersRequested(new Properties()).own());
        assertEquals(CriticalGemm.DEFAULT_SPIN_MICROS, CriticalGemm.workersRequested(new Properties()).spinMicros());
        assertTrue(CriticalGemm.workersRequested(props(" Kronograd ", "0")).own());
        assertEquals(0, CriticalGemm.workersRequested(props("kronograd", "0")).spinMicros());
        assertFalse(CriticalGemm.workersRequested(props("openblas", null)).own());
        for (String[] bad : new String[][]{{"omp", null}, {null, "-1"}, {null, "fast"}, {null, "1000001"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CriticalGemm.workersRequested(props(bad[0], bad[1])));
            assertTrue(e.getMessage().contains(bad[0] != null ? CriticalGemm.WORKERS_PROPERTY : CriticalGemm.SPIN_PROPERTY), e.getMessage());
        }
    }


    private static Properties props(String workers, String spin) {
        Properties p = new Properties();
        if (workers != null) {
            p.setProperty(CriticalGemm.WORKERS_PROPERTY, workers);
        }
        if (spin != null) {
            p.setProperty(CriticalGemm.SPIN_PROPERTY, spin);
        }
        return p;
    }
}
