package dev.kronograd.sdk.nn;

import dev.kronograd.sdk.loss.SoftmaxCrossEntropy;
import dev.kronograd.sdk.loss.SquaredError;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.testing.NaiveDense;
import dev.kronograd.core.ShapeMismatchException;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import dev.kronograd.core.operator.Operators;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-sample gradients and norms, workspaces, accuracy against exact arithmetic, and input validation. */
class NetworkBehaviourTest {
    private final Operators ops = Operators.using(ReferenceLinearAlgebra.INSTANCE);
    private final Random rnd = new Random(17);

    private Network net(int n, int[] widths, List<String> acts) {
        return NetworkGradientTest.randomNetwork(ops, rnd, n, widths, acts);
    }

    @Test
    void perSampleGradientsSumToTheBatchGradientAndNormsNeedNoPerSampleGradient() {
        Network net = net(4, new int[] {5, 3}, List.of("tanh", "sigmoid"));
        int batch = 6;
        DenseMatrix x = DenseMatrix.ofRows(NaiveDense.random(rnd, 4, batch));
        DenseMatrix y = DenseMatrix.ofRows(NaiveDense.random(rnd, 3, batch));
        SquaredError loss = new SquaredError();
        DenseMatrix per = net.perSampleGradients(x, loss, y);
        DenseVector norms = net.perSampleGradientNorms(x, loss, y);
        double[] sum = new double[net.parameterCount()];
        for (int s = 0; s < batch; s++) {
            DenseMatrix xs = x.block(0, s, 4, 1).copy();
            DenseMatrix ys = y.block(0, s, 3, 1).copy();
            double[] single = net.gradient(xs, loss, ys).flat().toArray();
            assertTrue(NaiveDense.relativeError(per.column(s).toArray(), single) < 1e-13, "sample " + s);
            assertEquals(DenseVector.of(single).norm(), norms.get(s), 1e-12 * (1 + norms.get(s)), "norm of sample " + s);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += single[i];
            }
        }
        assertTrue(NaiveDense.relativeError(net.gradient(x, loss, y).flat().toArray(), sum) < 1e-13);
    }

    @Test
    void aWorkspaceIsReusedAcrossBatchesAndSizesWithIdenticalResults() {
        Network net = net(3, new int[] {4, 2}, List.of("gelu", "identity"));
        BatchWorkspace ws = net.newWorkspace();
        DenseVector g = DenseVector.zeros(net.parameterCount());
        for (int batch : new int[] {5, 5, 1, 7, 5}) {
            DenseMatrix x = DenseMatrix.ofRows(NaiveDense.random(rnd, 3, batch));
            DenseMatrix y = DenseMatrix.ofRows(NaiveDense.random(rnd, 2, batch));
            g.fill(Double.NaN);
            double value = net.gradient(x, new SquaredError(), y, ws, g);
            Gradient fresh = net.gradient(x, new SquaredError(), y);
            assertEquals(fresh.loss(), value, 0.0);
            assertArrayEquals(fresh.flat().toArray(), g.toArray(), 0.0, "batch " + batch);
            assertEquals(batch, ws.batchSize());
        }
    }

    @Test
    void gradientIsWithin1e12OfExactArithmetic() {
        // Reference: every sum and product in 50-digit decimal arithmetic; σ, σ' from the activation
        // (their own accuracy, ≤ 1e-13 componentwise, is tested in the activations module).
        for (String act : List.of("tanh", "sigmoid", "softplus", "identity")) {
            Network net = net(5, new int[] {6, 4}, List.of(act, "identity"));
            int batch = 4;
            DenseMatrix x = DenseMatrix.ofRows(NaiveDense.random(rnd, 5, batch));
            DenseMatrix y = DenseMatrix.ofRows(NaiveDense.random(rnd, 4, batch));
            double[] exact = ExactBackprop.gradient(net, x, y);
            double[] got = net.gradient(x, new SquaredError(), y).flat().toArray();
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < got.length; i++) {
                diff += (got[i] - exact[i]) * (got[i] - exact[i]);
                norm += exact[i] * exact[i];
            }
            double rel = Math.sqrt(diff / norm);
            assertTrue(rel <= 1e-12, act + ": normwise relative error " + rel);
        }
    }

    @Test
    void badInputsAreRejectedWithTheShapeOrPosition() {
        Network net = net(4, new int[] {3}, List.of("tanh"));
        SquaredError loss = new SquaredError();
        ShapeMismatchException shape = assertThrows(ShapeMismatchException.class,
                () -> net.gradient(DenseMatrix.zeros(5, 2), loss, DenseMatrix.zeros(3, 2)));
        assertTrue(shape.getMessage().contains("W is 3×4") && shape.getMessage().contains("length 5") && shape.getMessage().contains("expected 4"),
                shape.getMessage());
        DenseMatrix x = DenseMatrix.zeros(4, 2);
        x.set(2, 1, Double.NaN);
        NonFiniteInputException nan = assertThrows(NonFiniteInputException.class, () -> net.gradient(x, loss, DenseMatrix.zeros(3, 2)));
        assertTrue(nan.getMessage().contains("row 2, column 1"), nan.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> net.gradient(DenseMatrix.zeros(4, 0), loss, DenseMatrix.zeros(3, 0)));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        ShapeMismatchException targets = assertThrows(ShapeMismatchException.class,
                () -> net.gradient(DenseMatrix.zeros(4, 2), loss, DenseMatrix.zeros(3, 3)));
        assertTrue(targets.getMessage().contains("2 input samples but 3 targets"), targets.getMessage());
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> net.gradient(DenseMatrix.zeros(4, 2), loss, DenseMatrix.zeros(2, 2)));
        assertTrue(width.getMessage().contains("3 outputs"), width.getMessage());
        IllegalArgumentException prob = assertThrows(IllegalArgumentException.class,
                () -> net.gradient(DenseMatrix.zeros(4, 1), new SoftmaxCrossEntropy(), DenseMatrix.wrap(new double[] {0.5, 0.6, 0}, 3, 1)));
        assertTrue(prob.getMessage().contains("sums to 1.1"), prob.getMessage());

        Network unchecked = new NetworkBuilder(ops, TestActivations.resolver()).checkFinite(false)
                .layer(DenseMatrix.zeros(3, 4), DenseVector.zeros(3), "tanh").build();
        assertTrue(Double.isNaN(unchecked.gradient(x, loss, DenseMatrix.zeros(3, 2)).loss()), "opt-out lets NaN through");
    }

    @Test
    void buildingBadNetworksNamesTheLayer() {
        NetworkBuilder b = new NetworkBuilder(ops, TestActivations.resolver());
        b.layer(DenseMatrix.zeros(3, 4), DenseVector.zeros(3), "tanh");
        ShapeMismatchException chain = assertThrows(ShapeMismatchException.class,
                () -> b.layer(DenseMatrix.zeros(2, 5), DenseVector.zeros(2), "tanh"));
        assertTrue(chain.getMessage().contains("layer 1: W is 2×5 but layer 0 has 3 outputs"), chain.getMessage());
        ShapeMismatchException bias = assertThrows(ShapeMismatchException.class,
                () -> b.layer(DenseMatrix.zeros(2, 3), DenseVector.zeros(3), "tanh"));
        assertTrue(bias.getMessage().contains("b has length 3; expected 2"), bias.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.layer(DenseMatrix.zeros(2, 3), DenseVector.zeros(2), "no-such"));
        assertThrows(IllegalArgumentException.class, () -> new NetworkBuilder(ops, TestActivations.resolver()).build());
        DenseMatrix inf = DenseMatrix.zeros(2, 3);
        inf.set(1, 0, Double.POSITIVE_INFINITY);
        NonFiniteInputException e = assertThrows(NonFiniteInputException.class, () -> b.layer(inf, DenseVector.zeros(2), "tanh"));
        assertTrue(e.getMessage().contains("layer 1 weights") && e.getMessage().contains("row 1, column 0"), e.getMessage());
    }

    /** Plain backprop in 50-digit decimals. */
    static final class ExactBackprop {
        private static final MathContext MC = new MathContext(50);

        static double[] gradient(Network net, DenseMatrix x, DenseMatrix y) {
            int layers = net.layers().size();
            int batch = x.cols();
            BigDecimal[][][] a = new BigDecimal[layers + 1][][];
            BigDecimal[][][] d = new BigDecimal[layers][][];
            a[0] = big(x);
            for (int k = 0; k < layers; k++) {
                DenseLayer l = net.layer(k);
                a[k + 1] = new BigDecimal[l.outputs()][batch];
                d[k] = new BigDecimal[l.outputs()][batch];
                for (int i = 0; i < l.outputs(); i++) {
                    for (int s = 0; s < batch; s++) {
                        BigDecimal z = new BigDecimal(l.bias().get(i));
                        for (int c = 0; c < l.inputs(); c++) {
                            z = z.add(new BigDecimal(l.weights().get(i, c)).multiply(a[k][c][s], MC), MC);
                        }
                        double zd = z.doubleValue();
                        a[k + 1][i][s] = new BigDecimal(l.activation().value(zd));
                        d[k][i][s] = new BigDecimal(l.activation().derivative(zd));
                    }
                }
            }
            BigDecimal[][] g = new BigDecimal[net.outputs()][batch];
            for (int i = 0; i < net.outputs(); i++) {
                for (int s = 0; s < batch; s++) {
                    g[i][s] = a[layers][i][s].subtract(new BigDecimal(y.get(i, s)), MC);
                }
            }
            double[] out = new double[net.parameterCount()];
            for (int k = layers - 1; k >= 0; k--) {
                DenseLayer l = net.layer(k);
                int m = l.outputs();
                for (int i = 0; i < m; i++) {
                    for (int s = 0; s < batch; s++) {
                        g[i][s] = g[i][s].multiply(d[k][i][s], MC);
                    }
                }
                for (int i = 0; i < m; i++) {
                    BigDecimal db = BigDecimal.ZERO;
                    for (int s = 0; s < batch; s++) {
                        db = db.add(g[i][s], MC);
                    }
                    out[l.parameterOffset() + m * l.inputs() + i] = db.doubleValue();
                    for (int c = 0; c < l.inputs(); c++) {
                        BigDecimal dw = BigDecimal.ZERO;
                        for (int s = 0; s < batch; s++) {
                            dw = dw.add(g[i][s].multiply(a[k][c][s], MC), MC);
                        }
                        out[l.parameterOffset() + c * m + i] = dw.doubleValue();
                    }
                }
                BigDecimal[][] prev = new BigDecimal[l.inputs()][batch];
                for (int c = 0; c < l.inputs(); c++) {
                    for (int s = 0; s < batch; s++) {
                        BigDecimal t = BigDecimal.ZERO;
                        for (int i = 0; i < m; i++) {
                            t = t.add(new BigDecimal(l.weights().get(i, c)).multiply(g[i][s], MC), MC);
                        }
                        prev[c][s] = t;
                    }
                }
                g = prev;
            }
            return out;
        }

        private static BigDecimal[][] big(DenseMatrix m) {
            BigDecimal[][] out = new BigDecimal[m.rows()][m.cols()];
            for (int i = 0; i < m.rows(); i++) {
                for (int j = 0; j < m.cols(); j++) {
                    out[i][j] = new BigDecimal(m.get(i, j));
                }
            }
            return out;
        }
    }
}
