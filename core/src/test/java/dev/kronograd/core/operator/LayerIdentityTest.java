package dev.kronograd.core.operator;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.testing.NaiveDense;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed's identity: [xᵀ ⊗ I_m, I_m] [vec W; b] = W x + b, and its transpose. */
class LayerIdentityTest {
    private static final double TOL = 1e-12;
    private final Operators ops = Operators.using(ReferenceLinearAlgebra.INSTANCE);

    @Test
    void linearPartOfALayerIsAKroneckerBlockRow() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            int m = 1 + rnd.nextInt(7);
            int n = 1 + rnd.nextInt(7);
            double[][] w = NaiveDense.random(rnd, m, n);
            double[] b = NaiveDense.random(rnd, m);
            double[] x = NaiveDense.random(rnd, n);
            LinearOperator j = ops.horizontal(ops.kronecker(ops.rowVector(DenseVector.of(x)), ops.identity(m)), ops.identity(m));
            assertEquals(m, j.rows());
            assertEquals(m * n + m, j.cols());

            double[] theta = new double[m * n + m];
            System.arraycopy(NaiveDense.vec(w, n), 0, theta, 0, m * n);
            System.arraycopy(b, 0, theta, m * n, m);
            double[] wxPlusB = NaiveDense.multiply(w, x);
            for (int i = 0; i < m; i++) {
                wxPlusB[i] += b[i];
            }
            assertTrue(NaiveDense.relativeError(j.apply(DenseVector.of(theta)).toArray(), wxPlusB) < TOL, "trial " + trial);

            double[] u = NaiveDense.random(rnd, m);
            double[] expected = new double[m * n + m];
            for (int c = 0; c < n; c++) {
                for (int i = 0; i < m; i++) {
                    expected[c * m + i] = u[i] * x[c];   // vec(u xᵀ)
                }
            }
            System.arraycopy(u, 0, expected, m * n, m);
            DenseVector out = DenseVector.zeros(m * n + m).fill(Double.NaN);
            j.applyTranspose(DenseVector.of(u), out);
            assertTrue(NaiveDense.relativeError(out.toArray(), expected) < TOL, "transpose, trial " + trial);
            // the gradient block reshapes without copying: dW = u xᵀ
            DenseMatrix dw = out.slice(0, m * n).unvec(m, n);
            assertEquals(u[m - 1] * x[n - 1], dw.get(m - 1, n - 1), TOL);
        }
    }

    @Test
    void batchLinearPartIsTheKroneckerOfTheAugmentedInput() {
        Random rnd = new Random(6);
        int m = 4;
        int n = 3;
        int batch = 5;
        DenseMatrix x = DenseMatrix.ofRows(NaiveDense.random(rnd, n, batch));
        double[][] w = NaiveDense.random(rnd, m, n);
        double[] b = NaiveDense.random(rnd, m);
        // vec(W X + b 1ᵀ) = [Xᵀ ⊗ I_m, 1_B ⊗ I_m] [vec W; b] = (X̄ᵀ ⊗ I_m) θ
        LinearOperator j = ops.horizontal(ops.kronecker(ops.denseTranspose(x), ops.identity(m)),
                ops.kronecker(ops.columnVector(DenseVector.zeros(batch).fill(1)), ops.identity(m)));
        double[] theta = new double[m * n + m];
        System.arraycopy(NaiveDense.vec(w, n), 0, theta, 0, m * n);
        System.arraycopy(b, 0, theta, m * n, m);
        double[][] z = NaiveDense.multiply(w, x.toRowArrays());
        for (int i = 0; i < m; i++) {
            for (int s = 0; s < batch; s++) {
                z[i][s] += b[i];
            }
        }
        assertTrue(NaiveDense.relativeError(j.apply(DenseVector.of(theta)).toArray(), NaiveDense.vec(z, batch)) < TOL);

        // and against the dense Kronecker of X̄ᵀ = [Xᵀ, 1] with I_m, built by the definition
        double[][] xBarT = new double[batch][n + 1];
        for (int s = 0; s < batch; s++) {
            for (int c = 0; c < n; c++) {
                xBarT[s][c] = x.get(c, s);
            }
            xBarT[s][n] = 1;
        }
        double[][] kron = NaiveDense.kron(xBarT, n + 1, DenseMatrix.identity(m).toRowArrays(), m);
        NaiveDense.assertClose(kron, j.toDense().toRowArrays(), 0.0, "dense (X̄ᵀ ⊗ I_m)");
    }
}
