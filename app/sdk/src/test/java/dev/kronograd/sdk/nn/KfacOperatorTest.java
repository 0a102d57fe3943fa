package dev.kronograd.sdk.nn;

import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.loss.SoftmaxCrossEntropy;
import dev.kronograd.sdk.loss.SquaredError;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.Operators;
import dev.kronograd.core.testing.NaiveDense;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KfacOperator}: the contract against {@code ⊕_k kron(A_k, G_k)} with A_k from the forward
 * pass and G_k from the dense GGN, each layer block against the dense {@code kron(A, G)} of its
 * factors, exactness (times B) when all samples are equal, damping and the inverse.
 */
class KfacOperatorTest extends CurvatureOperatorContract {
    /** Relative tolerance of a Cholesky solve followed by the product it inverts. */
    private static final double SOLVE = 1e-10;
    private static final double DAMPING = 0.1;

    @Override
    CurvatureOperator operatorAt(Curvature at) {
        return at.kfac();
    }

    /**
     * ⊕_k kron(A_k, G_k): A_k = (1/B) Σ ā ā^T from the layers' inputs, G_k = (1/B) Σ_i M̃_{k,i},
     * which is the bias–bias block of the dense GGN divided by B (b_k enters every sample's z).
     */
    @Override
    double[][] denseReference(Case c) {
        Network net = c.net();
        int p = net.parameterCount();
        int batch = c.x().cols();
        double[][] ggn = denseGgn(c);
        List<LayerEvaluation> forward = net.forward(c.x(), net.newWorkspace());
        double[][] expected = new double[p][p];
        for (int k = 0; k < net.layers().size(); k++) {
            DenseLayer l = net.layer(k);
            int n = l.inputs();
            int m = l.outputs();
            DenseMatrix input = k == 0 ? c.x() : forward.get(k - 1).output();
            double[][] a = new double[n + 1][n + 1];
            for (int s = 0; s < batch; s++) {
                for (int i = 0; i <= n; i++) {
                    for (int j = 0; j <= n; j++) {
                        double ai = i < n ? input.get(i, s) : 1.0;
                        double aj = j < n ? input.get(j, s) : 1.0;
                        a[i][j] += ai * aj / batch;
                    }
                }
            }
            int bias = l.parameterOffset() + m * n;
            double[][] g = new double[m][m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    g[i][j] = ggn[bias + i][bias + j] / batch;
                }
            }
            double[][] block = NaiveDense.kron(a, n + 1, g, m);
            for (int i = 0; i < l.parameterCount(); i++) {
                System.arraycopy(block[i], 0, expected[l.parameterOffset() + i], l.parameterOffset(), l.parameterCount());
            }
        }
        return expected;
    }

    @Override
    double referenceTolerance() {
        return ROUNDING;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void eachLayerIsTheDenseKroneckerProductOfItsFactors(LinearAlgebra la) {
        for (Case c : cases(la, 61)) {
            KfacOperator kfac = c.at().kfac();
            for (int k = 0; k < kfac.layers(); k++) {
                KfacOperator.Factors f = kfac.factors(k);
                int n1 = c.net().layer(k).inputs() + 1;
                int m = c.net().layer(k).outputs();
                assertEquals(n1, f.a().rows(), c.where() + ": A is (n+1)×(n+1)");
                assertEquals(m, f.g().rows(), c.where() + ": G is m×m");
                double[][] kron = NaiveDense.kron(f.a().toRowArrays(), n1, f.g().toRowArrays(), m);
                double scale = 1 + maxAbs(kron);
                NaiveDense.assertClose(kron, kfac.layer(k).toDense().toRowArrays(), ROUNDING * scale, c.where() + ": layer " + k + " = A ⊗ G");
                NaiveDense.assertClose(f.a().toRowArrays(), NaiveDense.transpose(f.a().toRowArrays(), n1), ROUNDING * scale,
                        c.where() + ": A symmetric");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void isTheGaussNewtonOverBWhenAllSamplesAreEqual(LinearAlgebra la) {
        // Σ_i (ā āᵀ) ⊗ M̃ = B (ā āᵀ) ⊗ M̃ = B (A ⊗ G): exact for B = 1 and for repeated samples.
        Operators ops = Operators.using(la);
        Random rnd = new Random(62);
        for (int batch : new int[] {1, 3}) {
            for (Loss loss : new Loss[] {new SquaredError(), new SoftmaxCrossEntropy()}) {
                Network net = NetworkGradientTest.randomNetwork(ops, rnd, 3, new int[] {4, 3, 2}, List.of("tanh", "softplus", "sigmoid"));
                double[][] sample = NaiveDense.random(rnd, 3, 1);
                DenseMatrix one = NetworkGradientTest.targetsFor(loss, rnd, 2, 1);
                DenseMatrix x = DenseMatrix.zeros(3, batch);
                DenseMatrix y = DenseMatrix.zeros(2, batch);
                for (int s = 0; s < batch; s++) {
                    x.column(s).setFrom(DenseMatrix.ofRows(sample).column(0));
                    y.column(s).setFrom(one.column(0));
                }
                Curvature c = Curvature.at(net, x, loss, y);
                KfacOperator kfac = c.kfac();
                GgnOperator ggn = c.ggn();
                for (int k = 0; k < kfac.layers(); k++) {
                    double[][] expected = ggn.layer(k).toDense().toRowArrays();
                    double scale = 1 + maxAbs(expected);
                    LinearOperator scaled = ops.scale(batch, kfac.layer(k));
                    NaiveDense.assertClose(expected, scaled.toDense().toRowArrays(), ROUNDING * scale,
                            "B=" + batch + " " + loss.name() + ": layer " + k + " B·(A ⊗ G) = GGN block");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void dampedFactorsAndTheInverse(LinearAlgebra la) {
        Random rnd = new Random(63);
        for (Case c : cases(la, 63)) {
            KfacOperator kfac = c.at().kfac();
            KfacOperator damped = kfac.damped(DAMPING);
            for (int k = 0; k < kfac.layers(); k++) {
                KfacOperator.Factors f = kfac.factors(k);
                KfacOperator.Factors d = damped.factors(k);
                int n1 = f.a().rows();
                int m = f.g().rows();
                double[][] a = f.a().toRowArrays();
                double[][] g = f.g().toRowArrays();
                for (int i = 0; i < n1; i++) {
                    a[i][i] += DAMPING;
                }
                for (int i = 0; i < m; i++) {
                    g[i][i] += DAMPING;
                }
                NaiveDense.assertClose(a, d.a().toRowArrays(), 0.0, c.where() + ": A + λI");
                NaiveDense.assertClose(g, d.g().toRowArrays(), 0.0, c.where() + ": G + λI");
                double[][] kron = NaiveDense.kron(a, n1, g, m);
                NaiveDense.assertClose(kron, damped.layer(k).toDense().toRowArrays(), ROUNDING * (1 + maxAbs(kron)),
                        c.where() + ": damped layer " + k);
            }
            LinearOperator inverse = damped.inverse();
            assertSame(inverse, inverse.transpose(), c.where());
            for (int probe = 0; probe < 3; probe++) {
                DenseVector v = DenseVector.of(NaiveDense.random(rnd, kfac.cols()));
                assertTrue(NaiveDense.relativeError(v.toArray(), damped.apply(inverse.apply(v)).toArray()) < SOLVE, c.where() + ": F F⁻¹ v = v");
                assertTrue(NaiveDense.relativeError(v.toArray(), inverse.apply(damped.apply(v)).toArray()) < SOLVE, c.where() + ": F⁻¹ F v = v");
                assertTrue(NaiveDense.relativeError(inverse.apply(v).toArray(), inverse.applyTranspose(v).toArray()) <= ROUNDING, c.where());
            }
            double[][] inv = inverse.toDense().toRowArrays();
            NaiveDense.assertClose(inv, inverse.toSparse().toDense().toRowArrays(), 0.0, c.where() + ": inverse sparse = dense");
            NaiveDense.assertClose(NaiveDense.transpose(inv, kfac.cols()), inv, SOLVE * (1 + maxAbs(inv)), c.where() + ": inverse symmetric");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void dampingMustBePositiveAndFinite(LinearAlgebra la) {
        KfacOperator kfac = cases(la, 64).get(0).at().kfac();
        for (double bad : new double[] {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kfac.damped(bad));
            assertTrue(e.getMessage().contains("damping λ must be a positive finite number"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void factorsAreCopies(LinearAlgebra la) {
        Random rnd = new Random(65);
        KfacOperator kfac = cases(la, 65).get(4).at().kfac();
        DenseVector v = DenseVector.of(NaiveDense.random(rnd, kfac.cols()));
        double[] before = kfac.apply(v).toArray();
        KfacOperator.Factors f = kfac.factors(0);
        f.a().fill(7.0);
        f.g().fill(-3.0);
        assertEquals(0.0, NaiveDense.relativeError(before, kfac.apply(v).toArray()), "the operator is unchanged");
        assertThrows(IndexOutOfBoundsException.class, () -> kfac.factors(kfac.layers()));
    }
}
