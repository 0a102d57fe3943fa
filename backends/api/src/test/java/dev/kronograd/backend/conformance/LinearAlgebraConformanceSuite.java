package dev.kronograd.backend.conformance;

import dev.kronograd.backend.conformance.ConformanceChecks.GemmCase;
import dev.kronograd.backend.conformance.ConformanceChecks.GemvCase;
import dev.kronograd.backend.conformance.ConformanceChecks.GerCase;
import dev.kronograd.backend.conformance.ConformanceChecks.VectorCase;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import dev.kronograd.core.linalg.Transpose;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conformance suite every {@link LinearAlgebra} backend runs: each operation against
 * {@link ReferenceLinearAlgebra} on the same seeded random inputs (see {@link ConformanceChecks}
 * for what is compared and the tolerance); the reference itself against an independent oracle
 * ({@link #expectedValues()}).
 *
 * <p>Coverage: every transpose combination; four matrix placements (exact, trailing slack,
 * offset, offset with ld &gt; rows) and three vector placements (contiguous, offset, increment 3);
 * 1×1 and empty shapes (m, n or k = 0); α ∈ {1, −0.7, 0}; β ∈ {0 with a NaN-filled output, 1, 0.3};
 * sizes up to 129 plus n−1, n, n+1 around each of the backend's routing boundaries
 * ({@link #routingBoundarySizes()}), so that every route a backend takes is compared; aliasing
 * (the inherited public entry points must reject an output overlapping an input); and concurrent
 * use from several threads.
 *
 * <p>Usage, from a backend module that depends on {@code kronograd-backend-api} with
 * {@code <type>test-jar</type><scope>test</scope>}:
 * <pre>{@code
 * class EjmlConformanceTest extends LinearAlgebraConformanceSuite {
 *     protected LinearAlgebra backend() { return new EjmlLinearAlgebra(); }
 * }
 * }</pre>
 */
public abstract class LinearAlgebraConformanceSuite {

    /** Shapes with m·n·k up to this get every placement and every (α, β); larger ones a sample. */
    private static final long FULL_COVERAGE_MAX_WORK = 40_000;

    private static final double[] ALPHAS = {1.0, -0.7, 0.0};
    private static final double[] BETAS = {0.0, 1.0, 0.3};
    /** Edge dimensions: empty, 1 and two small sizes, combined exhaustively. */
    private static final int[] EDGE_DIMS = {0, 1, 2, 5};
    /** Square sizes on both sides of powers of two and of typical blocking sizes. */
    private static final int[] LADDER = {3, 4, 7, 8, 9, 16, 17, 31, 32, 33, 64, 65, 127, 128, 129};
    /** Rectangular shapes (m, n, k): vectors in disguise, skinny and fat products. */
    private static final int[][] RECTANGLES = {
        {1, 40, 33}, {40, 1, 33}, {40, 33, 1}, {3, 70, 5}, {70, 3, 5}, {5, 6, 70}, {100, 64, 17}, {17, 100, 64},
    };
    /** Level-1 lengths around unroll widths and the usual native thresholds. */
    private static final int[] VECTOR_LENGTHS = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 100, 255, 256, 257, 1000, 4097};

    /** The backend under test. Called once per test; may return a shared instance. */
    protected abstract LinearAlgebra backend();

    /**
     * What the backend's results are compared with: {@link ExpectedValues#REFERENCE} for every
     * backend. Only the reference's own run overrides it, with an oracle independent of the
     * reference.
     */
    protected ExpectedValues expectedValues() {
        return ExpectedValues.REFERENCE;
    }

    /**
     * Sizes n at which the backend changes its implementation route (for example from Java loops
     * to a native call, or to a multi-threaded kernel), expressed as the side of a square problem.
     * The suite adds square gemm, gemv and ger problems of side n−1, n and n+1 for each. Default:
     * none.
     */
    protected int[] routingBoundarySizes() {
        return new int[0];
    }

    @Test
    void nameIsLowerCaseAndStable() {
        LinearAlgebra backend = backend();
        assertTrue(backend.name().matches("[a-z0-9-]+"), () -> "name must match [a-z0-9-]+ but is '" + backend.name() + "'");
        assertEquals(backend.name(), backend().name());
    }

    // ---- gemm ---------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> gemm() {
        LinearAlgebra backend = backend();
        ExpectedValues oracle = expectedValues();
        List<int[]> shapes = new ArrayList<>();
        for (int m : EDGE_DIMS) {
            for (int n : EDGE_DIMS) {
                for (int k : EDGE_DIMS) {
                    shapes.add(new int[] {m, n, k});
                }
            }
        }
        for (int s : LADDER) {
            shapes.add(new int[] {s, s, s});
        }
        shapes.addAll(Arrays.asList(RECTANGLES));
        for (int s : boundaryNeighbourhood()) {
            shapes.add(new int[] {s, s, s});
        }
        return shapes.stream().map(s -> DynamicTest.dynamicTest("m=" + s[0] + " n=" + s[1] + " k=" + s[2], () -> {
            for (Transpose ta : Transpose.values()) {
                for (Transpose tb : Transpose.values()) {
                    forEachSetting((long) s[0] * s[1] * s[2], s[0] + s[1] + s[2],
                            (placement, ab, seed) -> ConformanceChecks.gemm(backend, oracle,
                                    new GemmCase(ta, tb, s[0], s[1], s[2], ab[0], ab[1], placement, seed)));
                }
            }
        }));
    }

    // ---- gemv, ger ----------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> gemv() {
        LinearAlgebra backend = backend();
        ExpectedValues oracle = expectedValues();
        return matrixShapes().map(s -> DynamicTest.dynamicTest("m=" + s[0] + " n=" + s[1], () -> {
            for (Transpose t : Transpose.values()) {
                for (VectorPlacement vectors : VectorPlacement.ALL) {
                    forEachSetting((long) s[0] * s[1], s[0] + 31L * s[1],
                            (placement, ab, seed) -> ConformanceChecks.gemv(backend, oracle,
                                    new GemvCase(t, s[0], s[1], ab[0], ab[1], placement, vectors, seed)));
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> ger() {
        LinearAlgebra backend = backend();
        ExpectedValues oracle = expectedValues();
        return matrixShapes().map(s -> DynamicTest.dynamicTest("m=" + s[0] + " n=" + s[1], () -> {
            for (VectorPlacement vectors : VectorPlacement.ALL) {
                for (MatrixPlacement placement : MatrixPlacement.ALL) {
                    for (double alpha : ALPHAS) {
                        ConformanceChecks.ger(backend, oracle, new GerCase(s[0], s[1], alpha, placement, vectors, seed(s[0], s[1], alpha)));
                    }
                }
            }
        }));
    }

    // ---- level 1 ------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> level1() {
        LinearAlgebra backend = backend();
        ExpectedValues oracle = expectedValues();
        return IntStream.of(VECTOR_LENGTHS).boxed().flatMap(n -> Stream.of(
                vectorTest("axpy", n, c -> ConformanceChecks.axpy(backend, oracle, c)),
                vectorTest("dot", n, c -> ConformanceChecks.dot(backend, oracle, c)),
                vectorTest("scal", n, c -> ConformanceChecks.scal(backend, oracle, c)),
                vectorTest("copy", n, c -> ConformanceChecks.copy(backend, oracle, c)),
                vectorTest("mul", n, c -> ConformanceChecks.mul(backend, oracle, c))));
    }

    private static DynamicTest vectorTest(String op, int n, Consumer<VectorCase> check) {
        return DynamicTest.dynamicTest(op + " n=" + n, () -> {
            for (VectorPlacement x : VectorPlacement.ALL) {
                for (VectorPlacement y : VectorPlacement.ALL) {
                    for (double alpha : new double[] {1.0, -0.7, 0.0, 2.5}) {
                        check.accept(new VectorCase(n, alpha, x, y, seed(n, x.inc() * 7 + y.inc(), alpha)));
                    }
                }
            }
        });
    }

    // ---- aliasing and bounds: the inherited entry points must reject, leaving data untouched ----

    @Test
    void gemmRejectsOutputOverlappingAnInput() {
        LinearAlgebra backend = backend();
        double[] data = randomArray(64, 1);
        double[] before = data.clone();
        // A is 4×4 at offset 0, C is 4×4 at offset 8: they share elements 8..15.
        assertThrows(IllegalArgumentException.class, () -> backend.gemm(Transpose.N, Transpose.N, 4, 4, 4, 1.0,
                data, 0, 4, randomArray(16, 2), 0, 4, 0.0, data, 8, 4));
        assertThrows(IllegalArgumentException.class, () -> backend.gemm(Transpose.N, Transpose.T, 4, 4, 4, 1.0,
                randomArray(16, 3), 0, 4, data, 20, 4, 1.0, data, 30, 4));
        assertArrayEquals(before, data, "a rejected gemm must not write");
    }

    @Test
    void gemmRejectsOutOfBoundsBeforeCallingTheKernel() {
        LinearAlgebra backend = backend();
        double[] c = new double[15];
        assertThrows(IndexOutOfBoundsException.class, () -> backend.gemm(Transpose.N, Transpose.N, 4, 4, 4, 1.0,
                randomArray(16, 4), 0, 4, randomArray(16, 5), 0, 4, 0.0, c, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> backend.gemm(Transpose.N, Transpose.N, 4, 4, 4, 1.0,
                randomArray(16, 4), 0, 3, randomArray(16, 5), 0, 4, 0.0, new double[16], 0, 4));
        assertArrayEquals(new double[15], c);
    }

    @Test
    void gemvAndGerRejectOverlap() {
        LinearAlgebra backend = backend();
        double[] data = randomArray(40, 6);
        double[] before = data.clone();
        assertThrows(IllegalArgumentException.class, () -> backend.gemv(Transpose.N, 4, 4, 1.0, data, 0, 4,
                randomArray(4, 7), 0, 1, 0.0, data, 15, 1));
        assertThrows(IllegalArgumentException.class, () -> backend.gemv(Transpose.T, 4, 4, 1.0, randomArray(16, 8), 0, 4,
                data, 20, 2, 0.0, data, 22, 2));
        assertThrows(IllegalArgumentException.class, () -> backend.ger(4, 4, 1.0, data, 10, 1, randomArray(4, 9), 0, 1, data, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> backend.ger(4, 4, 1.0, randomArray(4, 9), 0, 1, data, 0, 3, data, 5, 4));
        assertArrayEquals(before, data, "a rejected gemv/ger must not write");
    }

    @Test
    void level1RejectsPartialOverlapAndAllowsExactInPlace() {
        LinearAlgebra backend = backend();
        double[] data = randomArray(20, 10);
        double[] before = data.clone();
        assertThrows(IllegalArgumentException.class, () -> backend.axpy(8, 2.0, data, 0, 1, data, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> backend.axpy(8, 2.0, data, 0, 1, data, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> backend.copy(8, data, 0, 1, data, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> backend.mul(8, data, 0, data, 10, data, 1));
        assertArrayEquals(before, data, "a rejected level-1 call must not write");

        backend.copy(8, data, 2, 1, data, 2, 1);
        assertArrayEquals(before, data, "copy onto the identical range is a no-op");

        double[] squares = data.clone();
        backend.mul(20, squares, 0, squares, 0, squares, 0);
        for (int i = 0; i < 20; i++) {
            assertEquals(data[i] * data[i], squares[i], "in-place x ⊙ x at " + i);
        }
    }

    // ---- concurrency --------------------------------------------------------------------------

    @Test
    void concurrentCallsGiveTheReferenceResults() throws Exception {
        LinearAlgebra backend = backend();
        ExpectedValues oracle = expectedValues();
        int threads = 4;
        int size = Math.max(48, largestBoundary() + 1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = 1000 + t;
                futures.add(pool.submit(() -> {
                    for (int rep = 0; rep < 5; rep++) {
                        ConformanceChecks.gemm(backend, oracle, new GemmCase(Transpose.N, Transpose.T, size, size - 1, size + 1,
                                -0.7, 0.3, MatrixPlacement.ALL.get(rep % 4), seed * 31 + rep));
                        ConformanceChecks.gemv(backend, oracle, new GemvCase(Transpose.T, size, size + 2, 1.0, 0.0,
                                MatrixPlacement.PADDED, VectorPlacement.ALL.get(rep % 3), seed * 37 + rep));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- case generation ----------------------------------------------------------------------

    private interface Setting {
        void run(MatrixPlacement placement, double[] alphaBeta, long seed);
    }

    /**
     * Runs {@code setting} for every placement and every (α, β) on small problems, and for a
     * sample (exact and padded placements; (−0.7, 0) and (1.3, 0.3)) on larger ones.
     */
    private static void forEachSetting(long work, long shapeKey, Setting setting) {
        if (work <= FULL_COVERAGE_MAX_WORK) {
            for (MatrixPlacement placement : MatrixPlacement.ALL) {
                for (double alpha : ALPHAS) {
                    for (double beta : BETAS) {
                        setting.run(placement, new double[] {alpha, beta}, seed(shapeKey, placement.offset(), alpha + 3 * beta));
                    }
                }
            }
        } else {
            for (MatrixPlacement placement : List.of(MatrixPlacement.EXACT, MatrixPlacement.PADDED)) {
                setting.run(placement, new double[] {-0.7, 0.0}, seed(shapeKey, placement.offset(), 1));
                setting.run(placement, new double[] {1.3, 0.3}, seed(shapeKey, placement.offset(), 2));
            }
        }
    }

    private Stream<int[]> matrixShapes() {
        List<int[]> shapes = new ArrayList<>();
        for (int m : EDGE_DIMS) {
            for (int n : EDGE_DIMS) {
                shapes.add(new int[] {m, n});
            }
        }
        for (int s : LADDER) {
            shapes.add(new int[] {s, s});
        }
        for (int[] r : RECTANGLES) {
            shapes.add(new int[] {r[0], r[1]});
        }
        for (int s : boundaryNeighbourhood()) {
            shapes.add(new int[] {s, s});
        }
        return shapes.stream();
    }

    private int[] boundaryNeighbourhood() {
        return IntStream.of(routingBoundarySizes())
                .flatMap(n -> IntStream.of(n - 1, n, n + 1))
                .filter(n -> n > 0 && Arrays.stream(LADDER).noneMatch(l -> l == n))
                .distinct().sorted().toArray();
    }

    private int largestBoundary() {
        return IntStream.of(routingBoundarySizes()).filter(n -> n <= 256).max().orElse(0);
    }

    private static long seed(long a, long b, double c) {
        return 0x9E3779B97F4A7C15L * a + 0xC2B2AE3D27D4EB4FL * b + Double.doubleToLongBits(c);
    }

    private static double[] randomArray(int length, long seed) {
        Random random = new Random(seed);
        double[] data = new double[length];
        for (int i = 0; i < length; i++) {
            data[i] = ConformanceChecks.randomValue(random);
        }
        return data;
    }
}
