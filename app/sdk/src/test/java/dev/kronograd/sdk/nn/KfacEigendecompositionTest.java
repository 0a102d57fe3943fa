package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.Operators;
import dev.kronograd.core.testing.NaiveDense;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.loss.SigmoidCrossEntropy;
import dev.kronograd.sdk.loss.SoftmaxCrossEntropy;
import dev.kronograd.sdk.loss.SquaredError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KfacOperator#eigendecomposition()}: the same matrix as KFAC (the contract against
 * {@code ⊕ kron(A_k, G_k)}), and exact {@code (A⊗G + λI)⁻¹}, {@code log det(A⊗G + λI)} and trace
 * against dense Cholesky on {@code kron(A, G) + λI}; the scaling convention (times B it is the
 * summed loss's GGN where KFAC is exact: one sample, or one linear layer under squared error).
 */
class KfacEigendecompositionTest extends CurvatureOperatorContract {
    /** Relative tolerance of inverses, solves and log-determinants against the dense ones. */
    private static final double DENSE = 1e-12;

    @Override
    CurvatureOperator operatorAt(Curvature at) {
        return at.kfac().eigendecomposition();
    }

    @Override
    double[][] denseReference(Case c) {
        return new KfacOperatorTest().denseReference(c);
    }

    @Override
    double referenceTolerance() {
        return 1e-12;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void inverseLogDeterminantAndTraceMatchDenseKronPlusDamping(LinearAlgebra la) {
        Random rnd = new Random(71);
        for (Case c : cases(la, 72)) {
            KroneckerEigenOperator eig = c.at().kfac().eigendecomposition();
            double[][] kron = new KfacOperatorTest().denseReference(c);
            int p = kron.length;
            double trace = 0;
            for (int i = 0; i < p; i++) {
                trace += kron[i][i];
            }
            assertEquals(trace, eig.trace(), DENSE * Math.abs(trace) + 1e-300, c.where() + ": trace");
            for (double lambda : new double[] {0.05, 1.0, 30.0}) {
                double[][] damped = DenseLinearAlgebra.plusDiagonal(kron, lambda);
                double logDet = DenseLinearAlgebra.logDet(damped);
                assertEquals(logDet, eig.logDeterminant(lambda), DENSE * Math.max(1, Math.abs(logDet)), c.where() + ": log det λ=" + lambda);
                double[] v = NaiveDense.random(rnd, p);
                double[] expected = DenseLinearAlgebra.solve(damped, v);
                double[] actual = eig.inverse(lambda).apply(DenseVector.of(v)).toArray();
                assertTrue(NaiveDense.relativeError(expected, actual) <= DENSE, c.where() + ": (A⊗G + λI)⁻¹ v λ=" + lambda
                        + " error " + NaiveDense.relativeError(expected, actual));
                double layerSum = 0;
                for (int k = 0; k < eig.layers(); k++) {
                    DenseLayer l = c.net().layer(k);
                    double[][] block = DenseLinearAlgebra.block(damped, l.parameterOffset(), l.parameterCount());
                    double layerLogDet = DenseLinearAlgebra.logDet(block);
                    assertEquals(layerLogDet, eig.layerLogDeterminant(k, lambda), DENSE * Math.max(1, Math.abs(layerLogDet)),
                            c.where() + ": layer " + k + " log det");
                    layerSum += eig.layerLogDeterminant(k, lambda);
                }
                assertEquals(eig.logDeterminant(lambda), layerSum, 1e-14 * Math.max(1, Math.abs(layerSum)), c.where());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void timesBIsTheSummedLossGgnOnOneSample(LinearAlgebra la) {
        Operators ops = Operators.using(la);
        Random rnd = new Random(73);
        for (Loss loss : new Loss[] {new SquaredError(), new SoftmaxCrossEntropy(), new SigmoidCrossEntropy()}) {
            for (int depth = 1; depth <= 3; depth++) {
                int[] widths = new int[depth];
                String[] acts = new String[depth];
                for (int k = 0; k < depth; k++) {
                    widths[k] = 2 + rnd.nextInt(2);
                    acts[k] = List.of("tanh", "softplus", "sigmoid").get(rnd.nextInt(3));
                }
                Network net = NetworkGradientTest.randomNetwork(ops, rnd, 3, widths, List.of(acts));
                DenseMatrix x = DenseMatrix.ofRows(NaiveDense.random(rnd, 3, 1));
                DenseMatrix y = targets(loss, rnd, widths[depth - 1], 1);
                assertBlocksAreTheGgn(net, x, loss, y, loss.name() + " depth " + depth + " B=1");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void timesBIsTheSummedLossGgnOfALinearLayerUnderSquaredError(LinearAlgebra la) {
        // z = W x + b, ℓ = ½‖z − y‖²: M̃_i = I for every sample, so Σ_i ā_i ā_iᵀ ⊗ I = B (A ⊗ G) exactly.
        Operators ops = Operators.using(la);
        Random rnd = new Random(74);
        Network net = NetworkGradientTest.randomNetwork(ops, rnd, 4, new int[] {3}, List.of("identity"));
        DenseMatrix x = DenseMatrix.ofRows(NaiveDense.random(rnd, 4, 6));
        DenseMatrix y = DenseMatrix.ofRows(NaiveDense.random(rnd, 3, 6));
        assertBlocksAreTheGgn(net, x, new SquaredError(), y, "linear B=6");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void inverseNeedsAPositiveDefiniteDampedMatrix(LinearAlgebra la) {
        KroneckerEigenOperator eig = cases(la, 75).get(1).at().kfac().eigendecomposition();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> eig.inverse(-1e6));
        assertTrue(e.getMessage().contains("not positive definite") && e.getMessage().contains("λ = -1000000.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> eig.logDeterminant(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> eig.scaled(-1));
    }

    /** Each layer block of B·KFAC (and B·EKFAC) equals the GGN's diagonal block of the summed loss. */
    private static void assertBlocksAreTheGgn(Network net, DenseMatrix x, Loss loss, DenseMatrix y, String where) {
        Curvature at = Curvature.at(net, x, loss, y);
        int batch = x.cols();
        double[][] ggn = at.ggn().toDense().toRowArrays();
        double scale = 1 + maxAbs(ggn);
        for (CurvatureOperator op : new CurvatureOperator[] {at.kfac().eigendecomposition().scaled(batch), at.ekfac().scaled(batch)}) {
            for (int k = 0; k < net.layers().size(); k++) {
                DenseLayer l = net.layer(k);
                double[][] expected = DenseLinearAlgebra.block(ggn, l.parameterOffset(), l.parameterCount());
                NaiveDense.assertClose(expected, op.layer(k).toDense().toRowArrays(), 1e-12 * scale, where + " layer " + k + " " + op.describe());
            }
        }
    }

    static DenseMatrix targets(Loss loss, Random rnd, int m, int batch) {
        DenseMatrix y = NetworkGradientTest.targetsFor(loss, rnd, m, batch);
        if (loss instanceof SigmoidCrossEntropy) {
            for (int s = 0; s < batch; s++) {
                for (int i = 0; i < m; i++) {
                    y.set(i, s, rnd.nextDouble());
                }
            }
        }
        return y;
    }
}
