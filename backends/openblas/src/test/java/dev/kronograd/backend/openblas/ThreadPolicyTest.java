package dev.kronograd.backend.openblas;

import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import dev.kronograd.core.linalg.Transpose;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-call thread policy: OpenBLAS's process-global thread count is back at 1 after a
 * multi-threaded gemm, and multi- and single-threaded products racing from several Java threads
 * all come out right (the count is only changed under the write lock).
 */
class ThreadPolicyTest {

    private static final int M = 96, K = 80, N = 72;

    @Test
    void threadCountIsOneAgainAfterAMultiThreadedGemm() {
        OpenBlasLinearAlgebra la = OpenBlasLinearAlgebra.create(new OpenBlasLinearAlgebra.Settings(2, 0, 0));
        Product p = new Product(1);
        la.gemm(Transpose.N, Transpose.N, M, N, K, 1.0, p.a, 0, M, p.b, 0, K, 0.0, p.c, 0, M);
        assertEquals(1, la.currentThreads());
        p.assertExact();
    }

    @Test
    void multiAndSingleThreadedProductsRacingFromSeveralThreadsAreExact() throws Exception {
        // Every product of the multi instance takes the write lock and switches the count; the single instance's read it.
        OpenBlasLinearAlgebra multi = OpenBlasLinearAlgebra.create(new OpenBlasLinearAlgebra.Settings(2, 0, 0));
        LinearAlgebra single = OpenBlasLinearAlgebra.create(new OpenBlasLinearAlgebra.Settings(1, 0, 0));
        int threads = 4;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                LinearAlgebra la = t % 2 == 0 ? multi : single;
                long seed = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < 25; r++) {
                        Product p = new Product(seed * 100 + r);
                        la.gemm(Transpose.N, Transpose.N, M, N, K, 1.0, p.a, 0, M, p.b, 0, K, 0.0, p.c, 0, M);
                        p.assertExact();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS); // a hang guard, not synchronisation
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, multi.currentThreads());
    }

    /** A seeded product and its reference result. */
    private static final class Product {
        final double[] a;
        final double[] b;
        final double[] c = new double[M * N];
        final double[] expected = new double[M * N];

        Product(long seed) {
            Random random = new Random(seed);
            a = random.doubles((long) M * K, -1, 1).toArray();
            b = random.doubles((long) K * N, -1, 1).toArray();
            ReferenceLinearAlgebra.INSTANCE.gemm(Transpose.N, Transpose.N, M, N, K, 1.0, a, 0, M, b, 0, K, 0.0, expected, 0, M);
        }

        void assertExact() {
            for (int i = 0; i < c.length; i++) {
                assertTrue(Math.abs(c[i] - expected[i]) <= 1e-12, "element " + i + ": " + c[i] + " vs " + expected[i]);
            }
        }
    }
}
