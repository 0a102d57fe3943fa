package dev.kronograd.sdk.nn;

import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.loss.SoftmaxCrossEntropy;
import dev.kronograd.sdk.loss.SquaredError;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.testing.NaiveDense;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.operator.Operators;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Network gradients, JVPs and VJPs against the dense Kronecker materialisation and against
 * central finite differences: shapes 1×1, 1×n, n×1 and general, depth 1–3, batches 1–8, every
 * built-in activation, both losses, on every available backend.
 */
class NetworkGradientTest {
    private static final int[][] SHAPES = {{1, 1}, {1, 4}, {4, 1}, {3, 5}};
    private static final int[] BATCHES = {1, 3, 8};

    static List<LinearAlgebra> backends() {
        return TestBackends.available();
    }

    static Network randomNetwork(Operators ops, Random rnd, int inputs, int[] widths, List<String> activations) {
        NetworkBuilder b = new NetworkBuilder(ops, TestActivations.resolver());
        int n = inputs;
        for (int k = 0; k < widths.length; k++) {
            DenseMatrix w = DenseMatrix.ofRows(NaiveDense.random(rnd, widths[k], n));
            DenseVector bias = DenseVector.of(NaiveDense.random(rnd, widths[k]));
            b.layer(w, bias, activations.get(k));
            n = widths[k];
        }
        return b.build();
    }

    static DenseMatrix targetsFor(Loss loss, Random rnd, int m, int batch) {
        DenseMatrix y = DenseMatrix.ofRows(NaiveDense.random(rnd, m, batch));
        if (loss instanceof SoftmaxCrossEntropy) {
            for (int s = 0; s < batch; s++) {
                double sum = 0;
                for (int i = 0; i < m; i++) {
                    y.set(i, s, rnd.nextDouble());
                    sum += y.get(i, s);
                }
                for (int i = 0; i < m; i++) {
                    y.set(i, s, y.get(i, s) / sum);
                }
            }
        }
        return y;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void gradientsAgreeWithDenseKroneckerAndFiniteDifferences(LinearAlgebra la) {
        Operators ops = Operators.using(la);
        Random rnd = new Random(42);
        List<String> names = new ArrayList<>(TestActivations.ALL.keySet());
        assertTrue(names.size() >= 12, "built-in activations found: " + names);
        int cases = 0;
        int act = 0;
        for (int depth = 1; depth <= 3; depth++) {
            for (int[] shape : SHAPES) {
                for (int batch : BATCHES) {
                    for (Loss loss : new Loss[] {new SquaredError(), new SoftmaxCrossEntropy()}) {
                        int[] widths = new int[depth];
                        List<String> acts = new ArrayList<>();
                        for (int k = 0; k < depth; k++) {
                            widths[k] = k == depth - 1 ? shape[0] : 1 + rnd.nextInt(4);
                            acts.add(names.get(act++ % names.size()));
                        }
                        Network net = randomNetwork(ops, rnd, shape[1], widths, acts);
                        DenseMatrix x = DenseMatrix.ofRows(NaiveDense.random(rnd, shape[1], batch));
                        DenseMatrix y = targetsFor(loss, rnd, shape[0], batch);
                        String where = la.name() + " depth " + depth + " " + shape[0] + "×" + shape[1] + " B=" + batch + " " + acts + " " + loss.name();

                        Gradient g = net.gradient(x, loss, y);
                        DenseMatrix gl = DenseMatrix.zeros(net.outputs(), batch);
                        loss.valueAndGradient(g.outputs(), y, gl);
                        double[][] jac = DenseKronReference.parameterJacobian(net, x);
                        double[] dense = NaiveDense.multiply(NaiveDense.transpose(jac, net.parameterCount()), gl.vec().toArray());
                        assertTrue(NaiveDense.relativeError(g.flat().toArray(), dense) < 1e-11, where + ": vs dense kron");

                        GradientCheck.Report fd = GradientCheck.run(net, x, loss, y, Integer.MAX_VALUE, 1);
                        assertEquals(net.parameterCount(), fd.checkedParameters());
                        assertTrue(fd.maxAbsoluteError() < 1e-6 * (1 + fd.gradientNorm()), where + ": finite differences " + fd);

                        double[] v = NaiveDense.random(rnd, net.parameterCount());
                        double[] u = NaiveDense.random(rnd, net.outputs() * batch);
                        double[] jv = net.jvp(x, DenseVector.of(v)).copy().vec().toArray();
                        assertTrue(NaiveDense.relativeError(jv, NaiveDense.multiply(jac, v)) < 1e-11, where + ": jvp");
                        double[] jtu = net.vjp(x, DenseVector.of(u).unvec(net.outputs(), batch), null).toArray();
                        assertTrue(NaiveDense.relativeError(jtu, NaiveDense.multiply(NaiveDense.transpose(jac, net.parameterCount()), u)) < 1e-11,
                                where + ": vjp");
                        cases++;
                    }
                }
            }
        }
        assertEquals(3 * SHAPES.length * BATCHES.length * 2, cases);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void singleLayerOperatorsMaterialiseToTheKroneckerFormula(LinearAlgebra la) {
        Operators ops = Operators.using(la);
        Random rnd = new Random(3);
        for (String activation : TestActivations.ALL.keySet()) {
            int m = 1 + rnd.nextInt(4);
            int n = 1 + rnd.nextInt(4);
            int batch = 1 + rnd.nextInt(4);
            Network net = randomNetwork(ops, rnd, n, new int[] {m}, List.of(activation));
            DenseMatrix x = DenseMatrix.ofRows(NaiveDense.random(rnd, n, batch));
            BatchWorkspace ws = net.newWorkspace();
            LayerEvaluation e = net.forward(x, ws).get(0);
            double[][] expected = DenseKronReference.parameterJacobian(net, x);
            NaiveDense.assertClose(expected, e.parameterJacobian().toDense().toRowArrays(), 1e-13, activation + " J_θ dense");
            NaiveDense.assertClose(expected, e.parameterJacobian().toSparse().toDense().toRowArrays(), 1e-13, activation + " J_θ sparse");
            // J_x = diag(σ') (I_B ⊗ W)
            double[][] iw = NaiveDense.kron(DenseMatrix.identity(batch).toRowArrays(), batch, net.layer(0).weights().toRowArrays(), n);
            double[] d = e.activationDerivative().vec().toArray();
            for (int r = 0; r < iw.length; r++) {
                for (int c = 0; c < iw[r].length; c++) {
                    iw[r][c] *= d[r];
                }
            }
            NaiveDense.assertClose(iw, e.inputJacobian().toDense().toRowArrays(), 1e-13, activation + " J_x");
            assertEquals((long) m * (n + 1) * batch, e.parameterJacobian().toSparse().nonZeros(), "structural non-zeros m(n+1)B");
        }
    }
}
