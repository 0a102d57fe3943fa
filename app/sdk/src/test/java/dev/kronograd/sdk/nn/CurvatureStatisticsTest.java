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
    /** Relative to the magnitude of the dense reference: the two differ only by rounding. */
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

    private record Case(Network net, Curvature at, String where) {
    }

    /** Every activation × loss × depth × batch; widths 1–3 drawn from the seed, the activation in every layer. */
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
                        Network net = NetworkGradientTest.randomNetwork(ops, rnd, n, widths, Collections.nCopies(depth, act));
                        DenseMatrix x = DenseMatrix.ofRows(NaiveDense.random(rnd, n, batch));
                        DenseMatrix y = targets(loss, rnd, widths[depth - 1], batch);
                        String where = la.name() + " " + act + " depth=" + depth + " n=" + n + " B=" + batch + " " + loss.name();
                        cases.add(new Case(net, Curvature.at(net, x, loss, y), where));
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void diagonalAndTraceEqualTheDenseMatrices(LinearAlgebra la) {
        for (Case c : cases(la, 71)) {
            for (BackPropagatedCurvature op : operators(c.at())) {
                String where = c.where() + " " + op.describe();
                double[][] dense = op.toDense().toRowArrays();
                int p = dense.length;
                double[] expected = new double[p];
                double trace = 0;
                double traceScale = 0;
                for (int i = 0; i < p; i++) {
                    expected[i] = dense[i][i];
                    trace += dense[i][i];
                    traceScale += Math.abs(dense[i][i]);
                }
                double scale = CurvatureOperatorContract.maxAbs(dense);
                assertClose(expected, op.diagonal().toArray(), ROUNDING * scale, where + ": diagonal");
                assertEquals(trace, op.trace(), ROUNDING * traceScale, where + ": trace");
                for (int k = 0; k < op.layers(); k++) {
                    DenseLayer l = c.net().layer(k);
                    double[] block = new double[l.parameterCount()];
                    double blockTrace = 0;
                    double blockScale = 0;
                    for (int i = 0; i < block.length; i++) {
                        block[i] = expected[l.parameterOffset() + i];
                        blockTrace += block[i];
                        blockScale += Math.abs(block[i]);
                    }
                    assertClose(block, op.layerDiagonal(k).toArray(), ROUNDING * scale, where + ": layer " + k + " diagonal");
                    assertEquals(blockTrace, op.layerTrace(k), ROUNDING * blockScale, where + ": layer " + k + " trace");
                }
            }
        }
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

    private static void assertClose(double[] expected, double[] actual, double tolerance, String where) {
        assertEquals(expected.length, actual.length, where + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, where + "[" + i + "]");
        }
    }
}
