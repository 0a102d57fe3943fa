package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.linalg.LinearAlgebra;
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

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Curvature#ekfac()}: the contract against {@code Q diag(S) Qᵀ} with S the diagonal of the
 * dense GGN (over B) in KFAC's eigenbasis, and at least KFAC's Frobenius fidelity to the exact GGN
 * blocks on random cases (strictly better on most).
 */
class EkfacTest extends CurvatureOperatorContract {

    @Override
    CurvatureOperator operatorAt(Curvature at) {
        return at.ekfac();
    }

    /** Per layer: Q = Q_A ⊗ Q_G from KFAC's factors, S = diag(Qᵀ GGN_k Q)/B from the dense GGN, Q diag(S) Qᵀ. */
    @Override
    double[][] denseReference(Case c) {
        double[][] ggn = denseGgn(c);
        int p = ggn.length;
        int batch = c.x().cols();
        KfacOperator kfac = c.at().kfac();
        double[][] out = new double[p][p];
        for (int k = 0; k < c.net().layers().size(); k++) {
            DenseLayer l = c.net().layer(k);
            KfacOperator.Factors f = kfac.factors(k);
            double[][] qa = SymmetricEigen.of(f.a()).vectors().toRowArrays();
            double[][] qg = SymmetricEigen.of(f.g()).vectors().toRowArrays();
            int len = l.parameterCount();
            double[][] q = NaiveDense.kron(qa, qa.length, qg, qg.length);
            double[][] block = DenseLinearAlgebra.block(ggn, l.parameterOffset(), len);
            double[][] rotated = NaiveDense.multiply(NaiveDense.multiply(NaiveDense.transpose(q, len), block), q);
            for (int i = 0; i < len; i++) {
                for (int j = 0; j < len; j++) {
                    double sum = 0;
                    for (int t = 0; t < len; t++) {
                        sum += q[i][t] * rotated[t][t] / batch * q[j][t];
                    }
                    out[l.parameterOffset() + i][l.parameterOffset() + j] = sum;
                }
            }
        }
        return out;
    }

    @Override
    double referenceTolerance() {
        return 1e-12;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void isAtLeastAsCloseToTheGgnAsKfac(LinearAlgebra la) {
        Operators ops = Operators.using(la);
        Random rnd = new Random(81);
        int strictlyBetter = 0;
        int blocks = 0;
        for (int trial = 0; trial < 12; trial++) {
            Loss loss = List.of(new SquaredError(), new SoftmaxCrossEntropy(), new SigmoidCrossEntropy()).get(trial % 3);
            int depth = 1 + trial % 3;
            int[] widths = new int[depth];
            String[] acts = new String[depth];
            for (int k = 0; k < depth; k++) {
                widths[k] = 2 + rnd.nextInt(3);
                acts[k] = List.of("tanh", "softplus", "sigmoid", "gelu").get(rnd.nextInt(4));
            }
            int batch = 3 + rnd.nextInt(6);
            Network net = NetworkGradientTest.randomNetwork(ops, rnd, 3, widths, List.of(acts));
            DenseMatrix x = DenseMatrix.ofRows(NaiveDense.random(rnd, 3, batch));
            DenseMatrix y = KfacEigendecompositionTest.targets(loss, rnd, widths[depth - 1], batch);
            Curvature at = Curvature.at(net, x, loss, y);
            double[][] ggn = at.ggn().toDense().toRowArrays();
            KfacOperator kfac = at.kfac();
            KroneckerEigenOperator ekfac = at.ekfac();
            for (int k = 0; k < depth; k++) {
                DenseLayer l = net.layer(k);
                double[][] exact = DenseLinearAlgebra.block(ggn, l.parameterOffset(), l.parameterCount());
                double kfacError = DenseLinearAlgebra.frobeniusDistance(exact, scaled(kfac.layer(k).toDense().toRowArrays(), batch));
                double ekfacError = DenseLinearAlgebra.frobeniusDistance(exact, scaled(ekfac.layer(k).toDense().toRowArrays(), batch));
                String where = loss.name() + " " + List.of(acts) + " B=" + batch + " layer " + k;
                assertTrue(ekfacError <= kfacError * (1 + 1e-12) + 1e-14, where + ": EKFAC " + ekfacError + " > KFAC " + kfacError);
                blocks++;
                if (ekfacError < 0.99 * kfacError) {
                    strictlyBetter++;
                }
            }
        }
        assertTrue(strictlyBetter >= blocks / 2, "EKFAC strictly better on only " + strictlyBetter + " of " + blocks + " blocks");
    }

    private static double[][] scaled(double[][] a, double c) {
        for (double[] row : a) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= c;
            }
        }
        return a;
    }
}
