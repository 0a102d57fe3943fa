package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.testing.NaiveDense;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HessianOperator}: the contract against the Hessian by central differences of the
 * analytic gradient, Hessian-vector products against differences of the gradient along random
 * directions, and the pre-activation curvature M_k against its recursion written out densely.
 */
class HessianOperatorTest extends CurvatureOperatorContract {
    /** Step of the central differences of the gradient. */
    private static final double STEP = 1e-5;
    /** Central differences at {@link #STEP}: O(h²) truncation plus rounding of the gradient over h. */
    private static final double FINITE_DIFFERENCE = 1e-6;

    @Override
    CurvatureOperator operatorAt(Curvature at) {
        return at.hessian();
    }

    /** Column j: (∇L(θ + h e_j) − ∇L(θ − h e_j)) / 2h. */
    @Override
    double[][] denseReference(Case c) {
        int p = c.net().parameterCount();
        double[][] h = new double[p][p];
        for (int j = 0; j < p; j++) {
            DenseVector e = DenseVector.zeros(p);
            e.set(j, 1.0);
            double[] column = gradientDifference(c, e);
            for (int i = 0; i < p; i++) {
                h[i][j] = column[i];
            }
        }
        return h;
    }

    @Override
    double referenceTolerance() {
        return FINITE_DIFFERENCE;
    }

    /** (∇L(θ + h v) − ∇L(θ − h v)) / 2h. */
    private static double[] gradientDifference(Case c, DenseVector v) {
        Network probe = c.net().copy();
        DenseVector theta = probe.parameters();
        DenseVector start = theta.copy();
        for (int i = 0; i < theta.length(); i++) {
            theta.set(i, start.get(i) + STEP * v.get(i));
        }
        double[] up = probe.gradient(c.x(), c.loss(), c.y()).flat().toArray();
        for (int i = 0; i < theta.length(); i++) {
            theta.set(i, start.get(i) - STEP * v.get(i));
        }
        double[] down = probe.gradient(c.x(), c.loss(), c.y()).flat().toArray();
        double[] d = new double[up.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = (up[i] - down[i]) / (2 * STEP);
        }
        return d;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void productsAlongRandomDirectionsMatchDifferencesOfTheGradient(LinearAlgebra la) {
        Random rnd = new Random(46);
        for (Case c : cases(la, 46)) {
            HessianOperator h = c.at().hessian();
            for (int probe = 0; probe < 3; probe++) {
                DenseVector v = DenseVector.of(NaiveDense.random(rnd, h.cols()));
                double[] fd = gradientDifference(c, v);
                double[] hv = h.apply(v).toArray();
                double scale = 1 + maxAbs(new double[][] {fd});
                for (int i = 0; i < fd.length; i++) {
                    assertEquals(fd[i], hv[i], FINITE_DIFFERENCE * scale, c.where() + ": (H v)_" + i);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void preActivationCurvatureFollowsItsRecursion(LinearAlgebra la) {
        // M_L = D_L ∇²ℓ D_L + diag(σ''_L ⊙ ∂L/∂A_L),
        // M_k = D_k (I_B ⊗ W_{k+1})ᵀ M_{k+1} (I_B ⊗ W_{k+1}) D_k + diag(σ''_k ⊙ ∂L/∂A_k), written out densely.
        for (Case c : cases(la, 47)) {
            HessianOperator h = c.at().hessian();
            int batch = c.x().cols();
            int last = h.layers() - 1;
            for (int k = 0; k <= last; k++) {
                LayerEvaluation e = c.at().evals.get(k);
                int m = e.layer.outputs();
                int mb = m * batch;
                double[][] d = new double[mb][mb];
                double[] activationCurvature = new double[mb];
                for (int i = 0; i < mb; i++) {
                    int row = i % m;     // vec order: entry i is (i mod m, sample i / m)
                    int sample = i / m;
                    d[i][i] = e.layer.activation().derivative(e.z.get(row, sample));
                    activationCurvature[i] = e.layer.activation().secondDerivative(e.z.get(row, sample))
                            * c.at().outputGradient[k].get(row, sample);
                }
                double[][] inner;
                if (k == last) {
                    inner = c.at().lossHessian().toDense().toRowArrays();
                } else {
                    DenseLayer next = c.net().layer(k + 1);
                    double[][] w = NaiveDense.kron(DenseMatrix.identity(batch).toRowArrays(), batch, next.weights().toRowArrays(), m);
                    double[][] mNext = h.preActivationCurvature(k + 1).toDense().toRowArrays();
                    inner = NaiveDense.multiply(NaiveDense.multiply(NaiveDense.transpose(w, mb), mNext), w);
                }
                double[][] expected = NaiveDense.multiply(NaiveDense.multiply(d, inner), d);
                for (int i = 0; i < mb; i++) {
                    expected[i][i] += activationCurvature[i];
                }
                double[][] actual = h.preActivationCurvature(k).toDense().toRowArrays();
                assertEquals(mb, actual.length, c.where() + ": M_k is mB × mB");
                NaiveDense.assertClose(expected, actual, ROUNDING * (1 + maxAbs(expected)), c.where() + ": M_" + k);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void layerKroneckerSumEqualsTheComposedBlock(LinearAlgebra la) {
        for (Case c : cases(la, 48)) {
            HessianOperator h = c.at().hessian();
            for (int k = 0; k < h.layers(); k++) {
                double[][] block = h.layer(k).toDense().toRowArrays();
                double scale = 1 + maxAbs(block);
                NaiveDense.assertClose(block, h.layerKroneckerSum(k).toDense().toRowArrays(), ROUNDING * scale,
                        c.where() + ": layer " + k + " K̄ᵀMK̄ = Σ (āāᵀ) ⊗ M_i");
            }
            assertTrue(h.describe().startsWith("∇²L("), h.describe());
        }
    }
}
