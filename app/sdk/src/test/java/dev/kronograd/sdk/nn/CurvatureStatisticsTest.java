package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.operator.Operators;
import dev.kronograd.core.testing.NaiveDense;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.loss.SigmoidCrossEntropy;
import dev.kronograd.sdk.loss.SoftmaxCrossEntropy;
import dev.kronograd.sdk.loss.SquaredError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The closed-form diagonal, trace and layer Frobenius norm of the exact Hessian and the GGN
 * ({@code diag(C_k) = Σ_i (ā_i ∘ ā_i) ⊗ diag(M_{k,i})}, {@code tr(C_k) = Σ_i ‖ā_i‖² tr(M_{k,i})},
 * {@code ‖C_k‖_F² = Σ_{i,j} (ā_iᵀ ā_j)² tr(M_{k,i} M_{k,j})}) against the operators' dense
 * matrices, which {@link HessianOperatorTest} and {@link GgnOperatorTest} check against finite
 * differences and the dense Jacobian. Every smooth built-in activation, all three losses, depth
 * 1–3, B ∈ {1, 3, 8}.
 */
class CurvatureStatisticsTest {
    /** Relative to the magnitude (of the terms summed, or of the norm): the two differ only by rounding. */
    private static final double ROUNDING = 1e-12;
    private static final List<String> SMOOTH = List.of("tanh", "sigmoid", "softplus", "gelu", "gelu-tanh", "silu", "elu", "selu",
            "softsign", "identity");
    private static final int[] BATCHES = {1, 3, 8};

    static List<LinearAlgebra> backends() {
        return TestBackends.available();
    }

    private static List<Loss> losses() {
        return List.of(new SquaredError(), new SoftmaxCrossEntropy(), new SigmoidCrossEntropy());
    }

    private record Case(Network net, Loss loss, DenseMatrix y, Curvature at, String where) {
    }

    /** Every activation × loss × depth × batch (270 cases); widths 1–3 drawn from the seed, the activation in every layer. */
    private static List<Case> cases(LinearAlgebra la, long seed) {
        Operators ops = Operators.using(la);
        Random rnd = new Random(seed);
        List<Case> cases = new ArrayList<>();
        for (String act : SMOOTH) {
            for (Loss loss : losses()) {
                for (int depth = 1; depth <= 3; depth++) {
                    for (int batch : BATCHES) {
                        int n = 1 + rnd.nextInt(3);
                        int[] widths = new int[depth];
                        for (int k = 0; k < depth; k++) {
                            widths[k] = 1 + rnd.nextInt(3);
                        }
                        if (loss instanceof SoftmaxCrossEntropy && widths[depth - 1] == 1) {
                            widths[depth - 1] = 2;   // a one-class softmax is constant: its curvature is zero
                        }
                        Network net = NetworkGradientTest.randomNetwork(ops, rnd, n, widths, Collections.nCopies(depth, act));
                        DenseMatrix x = DenseMatrix.ofRows(NaiveDense.random(rnd, n, batch));
                        DenseMatrix y = targets(loss, rnd, widths[depth - 1], batch);
                        String where = la.name() + " " + act + " depth=" + depth + " n=" + n + " B=" + batch + " " + loss.name();
                        cases.add(new Case(net, loss, y, Curvature.at(net, x, loss, y), where));
                    }
                }
            }
        }
        return cases;
    }

    private static DenseMatrix targets(Loss loss, Random rnd, int m, int batch) {
        if (loss instanceof SigmoidCrossEntropy) {
            DenseMatrix y = DenseMatrix.zeros(m, batch);
            for (int s = 0; s < batch; s++) {
                for (int i = 0; i < m; i++) {
                    y.set(i, s, rnd.nextDouble());
                }
            }
            return y;
        }
        return NetworkGradientTest.targetsFor(loss, rnd, m, batch);
    }

    private static List<BackPropagatedCurvature> operators(Curvature at) {
        return List.of(at.hessian(), at.ggn());
    }

    /**
     * Each diagonal entry against the dense matrix's, to {@link #ROUNDING} of the entry's magnitude:
     * the same sum taken over absolute values ({@link #magnitudeOfDiagonal}), because the entries
     * are sums with cancellation (a softmax Hessian's rows sum to zero) whose rounding scales with
     * the terms, not with the result. The trace likewise, to the sum of those magnitudes.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void diagonalAndTraceEqualTheDenseMatrices(LinearAlgebra la) {
        for (Case c : cases(la, 71)) {
            for (BackPropagatedCurvature op : operators(c.at())) {
                String where = c.where() + " " + op.describe();
                double[][] dense = op.toDense().toRowArrays();
                double[] magnitude = magnitudeOfDiagonal(c, op instanceof HessianOperator);
                int p = dense.length;
                double[] expected = new double[p];
                double trace = 0;
                double traceMagnitude = 0;
                for (int i = 0; i < p; i++) {
                    expected[i] = dense[i][i];
                    trace += dense[i][i];
                    traceMagnitude += magnitude[i];
                }
                assertClose(expected, op.diagonal().toArray(), magnitude, where + ": diagonal");
                assertEquals(trace, op.trace(), ROUNDING * traceMagnitude, where + ": trace");
                for (int k = 0; k < op.layers(); k++) {
                    DenseLayer l = c.net().layer(k);
                    int len = l.parameterCount();
                    double[] block = new double[len];
                    double[] blockMagnitude = new double[len];
                    double blockTrace = 0;
                    double blockTraceMagnitude = 0;
                    for (int i = 0; i < len; i++) {
                        block[i] = expected[l.parameterOffset() + i];
                        blockMagnitude[i] = magnitude[l.parameterOffset() + i];
                        blockTrace += block[i];
                        blockTraceMagnitude += blockMagnitude[i];
                    }
                    assertClose(block, op.layerDiagonal(k).toArray(), blockMagnitude, where + ": layer " + k + " diagonal");
                    assertEquals(blockTrace, op.layerTrace(k), ROUNDING * blockTraceMagnitude, where + ": layer " + k + " trace");
                }
            }
        }
    }

    /**
     * The diagonal's formula over absolute values, {@code Σ_i (ā_i ∘ ā_i) ⊗ diag(|M|_{k,i})} with
     * {@code |M|_L = |D| |∇²ℓ| |D| + |S|}, {@code |M|_k = |D| |W|ᵀ |M|_{k+1} |W| |D| + |S|} (S the
     * σ'' term, Hessian only): the scale of the terms each entry sums, written out densely here.
     * For softmax cross-entropy {@code |∇²ℓ|} is the scale of its own terms, {@code Σy (diag(p) + p pᵀ)}
     * ({@code ∇²ℓ = Σy (diag(p) − p pᵀ)} cancels where p is near 1).
     */
    private static double[] magnitudeOfDiagonal(Case c, boolean hessian) {
        Curvature at = c.at();
        int layers = at.layers();
        int batch = at.batch;
        double[] out = new double[at.net.parameterCount()];
        double[][][] next = null;
        for (int k = layers - 1; k >= 0; k--) {
            LayerEvaluation e = at.evals.get(k);
            int m = e.layer.outputs();
            double[][][] blocks = new double[batch][][];
            List<DenseMatrix> loss = k == layers - 1 ? at.sampleBlocks(at.lossHessian(), m) : null;
            for (int s = 0; s < batch; s++) {
                double[][] core;
                if (loss != null && c.loss() instanceof SoftmaxCrossEntropy) {
                    core = softmaxTerms(e.output, c.y(), s);
                } else if (loss != null) {
                    core = abs(loss.get(s).toRowArrays());
                } else {
                    double[][] w = abs(at.evals.get(k + 1).weights.toRowArrays());
                    core = NaiveDense.multiply(NaiveDense.multiply(NaiveDense.transpose(w, m), next[s]), w);
                }
                for (int r = 0; r < m; r++) {
                    for (int col = 0; col < m; col++) {
                        core[r][col] *= Math.abs(e.derivative.get(r, s)) * Math.abs(e.derivative.get(col, s));
                    }
                    if (hessian) {
                        core[r][r] += Math.abs(at.second[k].get(r, s) * at.outputGradient[k].get(r, s));
                    }
                }
                blocks[s] = core;
                for (int j = 0; j <= e.layer.inputs(); j++) {
                    double x = e.inputBar.get(j, s);
                    for (int r = 0; r < m; r++) {
                        out[e.layer.parameterOffset() + j * m + r] += x * x * core[r][r];
                    }
                }
            }
            next = blocks;
        }
        return out;
    }

    /** Σy (diag(p) + p pᵀ) of sample s, p = softmax(f_s). */
    private static double[][] softmaxTerms(DenseMatrix f, DenseMatrix y, int s) {
        int m = f.rows();
        double max = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < m; r++) {
            max = Math.max(max, f.get(r, s));
        }
        double[] p = new double[m];
        double sum = 0;
        double ySum = 0;
        for (int r = 0; r < m; r++) {
            p[r] = Math.exp(f.get(r, s) - max);
            sum += p[r];
            ySum += y.get(r, s);
        }
        double[][] out = new double[m][m];
        for (int r = 0; r < m; r++) {
            for (int col = 0; col < m; col++) {
                out[r][col] = Math.abs(ySum) * (p[r] * p[col] / (sum * sum) + (r == col ? p[r] / sum : 0));
            }
        }
        return out;
    }

    private static double[][] abs(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = new double[a[i].length];
            for (int j = 0; j < a[i].length; j++) {
                out[i][j] = Math.abs(a[i][j]);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void layerFrobeniusNormEqualsTheDenseBlocks(LinearAlgebra la) {
        for (Case c : cases(la, 72)) {
            for (BackPropagatedCurvature op : operators(c.at())) {
                for (int k = 0; k < op.layers(); k++) {
                    double[][] block = op.layer(k).toDense().toRowArrays();
                    double sum = 0;
                    for (double[] row : block) {
                        for (double v : row) {
                            sum += v * v;
                        }
                    }
                    double expected = Math.sqrt(sum);
                    assertEquals(expected, op.layerFrobeniusNorm(k), ROUNDING * expected,
                            c.where() + " " + op.describe() + ": layer " + k + " ‖C_k‖_F");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void frobeniusNormEqualsTheDenseMatrix(LinearAlgebra la) {
        for (Case c : cases(la, 74)) {
            for (BackPropagatedCurvature op : operators(c.at())) {
                double sum = 0;
                for (double[] row : op.toDense().toRowArrays()) {
                    for (double v : row) {
                        sum += v * v;
                    }
                }
                double expected = Math.sqrt(sum);
                assertEquals(expected, op.frobeniusNorm(), ROUNDING * expected, c.where() + " " + op.describe() + ": ‖C‖_F");
            }
        }
    }

    @Test
    void layerIndicesAreChecked() {
        Case c = cases(TestBackends.available().get(0), 73).get(0);
        HessianOperator h = c.at().hessian();
        assertThrows(IndexOutOfBoundsException.class, () -> h.layerDiagonal(h.layers()));
        assertThrows(IndexOutOfBoundsException.class, () -> h.layerTrace(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> c.at().ggn().layerFrobeniusNorm(h.layers()));
    }

    /** |expected_i − actual_i| ≤ ROUNDING · magnitude_i for every i. */
    private static void assertClose(double[] expected, double[] actual, double[] magnitude, String where) {
        assertEquals(expected.length, actual.length, where + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], ROUNDING * magnitude[i], where + "[" + i + "] (magnitude " + magnitude[i] + ")");
        }
    }
}
