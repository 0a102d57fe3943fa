package dev.kronograd.sdk.nn;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.loss.SoftmaxCrossEntropy;
import dev.kronograd.sdk.loss.SquaredError;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import dev.kronograd.core.operator.Operators;
import dev.kronograd.core.testing.NaiveDense;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The elementwise phases split over column ranges ({@link NetworkBuilder#elementwiseThreads}):
 * gradients bit for bit equal to the serial computation for every split, the loss to rounding,
 * errors as the serial loop would throw them, and the workspace intact afterwards.
 */
class ElementwiseThreadsTest {
    private final Operators ops = Operators.using(ReferenceLinearAlgebra.INSTANCE);

    /** 12 → 384 → 384 → 10: B·384 elements decide the split (3 ranges need ≥ 3·32,768). */
    private Network network(int threads, long seed) {
        Random rnd = new Random(seed);
        NetworkBuilder b = new NetworkBuilder(ops, TestActivations.resolver()).elementwiseThreads(threads);
        int[] widths = {384, 384, 10};
        String[] acts = {"tanh", "softplus", "identity"};
        int n = 12;
        for (int k = 0; k < widths.length; k++) {
            double[][] w = NaiveDense.random(rnd, widths[k], n);
            for (double[] row : w) {
                for (int j = 0; j < n; j++) {
                    row[j] /= Math.sqrt(n);
                }
            }
            b.layer(DenseMatrix.ofRows(w), DenseVector.of(NaiveDense.random(rnd, widths[k])), acts[k]);
            n = widths[k];
        }
        return b.build();
    }

    private static DenseMatrix random(Random rnd, int rows, int cols) {
        return DenseMatrix.ofRows(NaiveDense.random(rnd, rows, cols));
    }

    @Test
    void gradientsAndLossAreBitForBitTheSameForEveryNumberOfThreads() {
        for (Loss loss : List.<Loss>of(new SquaredError(), new SoftmaxCrossEntropy())) {
            for (int batch : new int[] {1, 85, 86, 128, 171, 263}) {
                Random rnd = new Random(batch);
                DenseMatrix x = random(rnd, 12, batch);
                DenseMatrix y = NetworkGradientTest.targetsFor(loss, rnd, 10, batch);
                Network serial = network(1, 5);
                BatchWorkspace ws1 = serial.newWorkspace();
                DenseVector g1 = DenseVector.zeros(serial.parameterCount());
                double l1 = serial.gradient(x, loss, y, ws1, g1);
                long elements = (long) batch * 384;
                int expected = elements < 2L * ColumnSplit.RANGE_ELEMENTS ? 1 : (int) Math.min(batch, elements / ColumnSplit.RANGE_ELEMENTS);
                // The ranges do not depend on the threads (one thread runs them in order, in cache).
                assertEquals(expected, ws1.elementwiseChunks(), "ranges for B = " + batch + ", 1 thread");
                assertEquals(0, ws1.elementwiseHelpers());
                for (int threads : new int[] {2, 3, 8}) {
                    Network net = network(threads, 5);
                    BatchWorkspace ws = net.newWorkspace();
                    DenseVector g = DenseVector.zeros(net.parameterCount());
                    double l = net.gradient(x, loss, y, ws, g);
                    assertEquals(expected, ws.elementwiseChunks(), "ranges for B = " + batch + ", " + threads + " threads");
                    // Helpers from four ranges on (86 and 128 columns make 2 and 3 ranges: run on the caller).
                    assertEquals(expected < ColumnSplit.MIN_RANGES_FOR_HELPERS ? 0 : Math.min(threads - 1, expected - 1),
                            ws.elementwiseHelpers(), "helpers for B = " + batch + ", " + threads + " threads");
                    String what = loss.name() + ", B = " + batch + ", threads = " + threads;
                    assertArrayEquals(g1.toArray(), g.toArray(), what); // exact: the same operations on every element
                    assertEquals(l1, l, 0.0, what); // exact too: the same ranges, their sums added in range order
                    // The forward pass alone and the VJP take the same split.
                    DenseMatrix out = net.predict(x);
                    assertArrayEquals(serial.predict(x).vec().toArray(), out.vec().toArray(), what);
                    DenseMatrix u = random(rnd, 10, batch);
                    DenseMatrix dx1 = DenseMatrix.zeros(12, batch);
                    DenseMatrix dx = DenseMatrix.zeros(12, batch);
                    assertArrayEquals(serial.vjp(x, u, dx1).toArray(), net.vjp(x, u, dx).toArray(), what);
                    assertArrayEquals(dx1.vec().toArray(), dx.vec().toArray(), what);
                }
            }
        }
    }

    @Test
    void theSplitNeedsEnoughElementsPerRange() {
        Network net = network(8, 1);
        BatchWorkspace ws = net.newWorkspace();
        Loss loss = new SquaredError();
        Random rnd = new Random(2);
        // 85·384 = 32,640 < 2·16,384: one range; from 86 columns, one range per 16,384 elements.
        int[][] cases = {{85, 1}, {86, 2}, {171, 4}, {256, 6}, {1024, 24}};
        for (int[] c : cases) {
            DenseMatrix x = random(rnd, 12, c[0]);
            net.gradient(x, loss, random(rnd, 10, c[0]), ws, DenseVector.zeros(net.parameterCount()));
            assertEquals(c[1], ws.elementwiseChunks(), "B = " + c[0]);
        }
    }

    /** A squared error that refuses the target value 42, naming the column of the whole batch. */
    private static final class RefusesFortyTwo implements Loss {
        private final SquaredError inner = new SquaredError();

        @Override
        public String name() {
            return "refuses-42";
        }

        @Override
        public void validateTargets(int outputs, DenseMatrix targets) {
            inner.validateTargets(outputs, targets);
        }

        @Override
        public double value(DenseMatrix outputs, DenseMatrix targets) {
            return inner.value(outputs, targets);
        }

        @Override
        public double valueAndGradient(DenseMatrix outputs, DenseMatrix targets, DenseMatrix gradient) {
            for (int j = 0; j < targets.cols(); j++) {
                for (int i = 0; i < targets.rows(); i++) {
                    if (targets.get(i, j) == 42) {
                        throw new IllegalStateException("42 in column " + (targets.offset() / targets.ld() + j));
                    }
                }
            }
            return inner.valueAndGradient(outputs, targets, gradient);
        }

        @Override
        public void hessianVectorProduct(DenseMatrix outputs, DenseMatrix targets, DenseMatrix v, DenseMatrix out) {
            inner.hessianVectorProduct(outputs, targets, v, out);
        }
    }

    @Test
    void aFailingRangeThrowsTheSerialLoopsExceptionAndLeavesTheWorkspaceUsable() {
        Network net = network(3, 9);
        BatchWorkspace ws = net.newWorkspace();
        Loss loss = new RefusesFortyTwo();
        Random rnd = new Random(4);
        int batch = 300;
        DenseMatrix x = random(rnd, 12, batch);
        DenseMatrix y = random(rnd, 10, batch);
        DenseVector expected = DenseVector.zeros(net.parameterCount());
        double value = net.gradient(x, loss, y, ws, expected);
        assertEquals(7, ws.elementwiseChunks()); // columns 0, 42, 85, 128, 171, 214, 257

        DenseMatrix bad = y.copy();
        bad.set(4, 250, 42);   // range 5
        bad.set(7, 120, 42);   // range 2: the first the serial loop meets
        DenseVector out = DenseVector.zeros(net.parameterCount());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.gradient(x, loss, bad, ws, out));
        assertEquals("42 in column 120", e.getMessage()); // the original exception, not a wrapper
        bad.set(7, 120, 0.5);
        e = assertThrows(IllegalStateException.class, () -> net.gradient(x, loss, bad, ws, out));
        assertEquals("42 in column 250", e.getMessage());

        // Non-finite targets are found by the ranges' loss phase; the first in column order is reported.
        DenseMatrix nan = y.copy();
        nan.set(1, 260, Double.NaN);
        nan.set(3, 150, Double.POSITIVE_INFINITY);
        NonFiniteInputException n = assertThrows(NonFiniteInputException.class,
                () -> net.gradient(x, new SquaredError(), nan, ws, out));
        assertEquals("targets has a non-finite value Infinity at row 3, column 150 (sample 150)", n.getMessage());

        // The same workspace and buffer afterwards: the same answer as before the failures.
        DenseVector again = DenseVector.zeros(net.parameterCount());
        assertEquals(value, net.gradient(x, loss, y, ws, again));
        assertArrayEquals(expected.toArray(), again.toArray());
    }

    @Test
    void concurrentCallersAndCallsFromInsideAForkJoinPoolGetTheSameResults() throws Exception {
        Network net = network(2, 3);
        Loss loss = new SquaredError();
        Random rnd = new Random(6);
        int batch = 256;
        DenseMatrix x = random(rnd, 12, batch);
        DenseMatrix y = random(rnd, 10, batch);
        double[] expected = network(1, 3).gradient(x, loss, y).flat().toArray();

        ExecutorService pool = Executors.newFixedThreadPool(3);
        ForkJoinPool forkJoin = new ForkJoinPool(1);
        try {
            List<Future<double[]>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 6; t++) {
                results.add(pool.submit(() -> {
                    BatchWorkspace ws = net.newWorkspace();
                    DenseVector g = DenseVector.zeros(net.parameterCount());
                    for (int r = 0; r < 5; r++) {
                        net.gradient(x, loss, y, ws, g);
                    }
                    return g.toArray();
                }));
            }
            // From a fork/join worker (its own pool of one, so the range is forked there and taken back or stolen).
            results.add(forkJoin.submit(() -> net.gradient(x, loss, y).flat().toArray()));
            results.add(ForkJoinPool.commonPool().submit(() -> net.gradient(x, loss, y).flat().toArray()));
            for (Future<double[]> f : results) {
                assertArrayEquals(expected, f.get());
            }
        } finally {
            pool.shutdownNow();
            forkJoin.shutdownNow();
        }
    }

    @Test
    void steadyStateGradientsAllocateAlmostNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Loss loss = new SquaredError();
        Random rnd = new Random(8);
        for (int t : new int[] {1, 3}) {
            Network net = network(t, 4);
            int batch = 300;
            DenseMatrix x = random(rnd, 12, batch);
            DenseMatrix y = random(rnd, 10, batch);
            BatchWorkspace ws = net.newWorkspace();
            DenseVector g = DenseVector.zeros(net.parameterCount());
            for (int warm = 0; warm < 8; warm++) {
                net.gradient(x, loss, y, ws, g);
            }
            long id = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(id);
            for (int r = 0; r < 8; r++) {
                net.gradient(x, loss, y, ws, g);
            }
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            // One batch-sized buffer would be 300·384·8 B ≈ 920 kB; waiting for a forked range may allocate a
            // small wait node in the JDK's fork/join code.
            assertTrue(allocated < 8 * 256, t + " threads: " + allocated + " bytes allocated in 8 gradients");
        }
    }

    @Test
    void theSettingComesFromTheBuilderThePropertyOrTheEnvironment() {
        Properties none = new Properties();
        Properties three = new Properties();
        three.setProperty("kronograd.elementwise.threads", "3");
        Map<String, String> env5 = Map.of("KRONOGRAD_ELEMENTWISE_THREADS", "5");

        Kronograd byDefault = Kronograd.builder().backend("ejml").environment(Map.of(), none).build();
        assertEquals(NetworkBuilder.defaultElementwiseThreads(), byDefault.elementwiseThreads());
        assertEquals(Kronograd.builder().backend("ejml").environment(env5, three).build().elementwiseThreads(), 3);
        assertEquals(Kronograd.builder().backend("ejml").environment(env5, none).build().elementwiseThreads(), 5);
        Kronograd explicit = Kronograd.builder().backend("ejml").environment(Map.of("KRONOGRAD_ELEMENTWISE_THREADS", "nonsense"), three)
                .elementwiseThreads(1).build();
        assertEquals(1, explicit.elementwiseThreads());
        Network net = explicit.network().inputs(2).layer(3, "tanh").build(new Random(1));
        assertEquals(1, net.elementwiseThreads());
        assertEquals(1, net.copy().elementwiseThreads());
        assertTrue(NetworkBuilder.defaultElementwiseThreads() >= 1);
        assertTrue(NetworkBuilder.defaultElementwiseThreads() <= Runtime.getRuntime().availableProcessors());

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Kronograd.builder().backend("ejml").environment(Map.of("KRONOGRAD_ELEMENTWISE_THREADS", "two"), none).build());
        assertTrue(bad.getMessage().contains("KRONOGRAD_ELEMENTWISE_THREADS") && bad.getMessage().contains("'two'"), bad.getMessage());
        Properties zero = new Properties();
        zero.setProperty("kronograd.elementwise.threads", "0");
        bad = assertThrows(IllegalArgumentException.class, () -> Kronograd.builder().backend("ejml").environment(Map.of(), zero).build());
        assertTrue(bad.getMessage().contains("kronograd.elementwise.threads") && bad.getMessage().contains("≥ 1"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Kronograd.builder().elementwiseThreads(-1));
        bad = assertThrows(IllegalArgumentException.class, () -> new NetworkBuilder(ops, TestActivations.resolver()).elementwiseThreads(0));
        assertTrue(bad.getMessage().contains("elementwiseThreads"), bad.getMessage());
    }

    @Test
    void theOutputIsAViewWithTheNextLayersOnesRowUntouched() {
        Network net = network(2, 7);
        BatchWorkspace ws = net.newWorkspace();
        Random rnd = new Random(3);
        DenseMatrix x = random(rnd, 12, 200);
        List<LayerEvaluation> evals = net.forward(x, ws);
        for (int k = 0; k < evals.size(); k++) {
            LayerEvaluation e = evals.get(k);
            DenseMatrix in = e.input();
            assertEquals(e.layer().inputs(), in.rows());
            for (int s = 0; s < 200; s++) {
                assertEquals(1.0, in.data()[in.offset() + s * in.ld() + in.rows()], "the ones row under layer " + k + "'s input");
            }
            if (k > 0) {
                assertSame(evals.get(k - 1).output().data(), in.data());
            }
        }
        assertArrayEquals(x.vec().toArray(), evals.get(0).input().copy().vec().toArray());
    }
}
