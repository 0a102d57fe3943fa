package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.ShapeMismatchException;
import dev.kronograd.core.testing.NaiveDense;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SymmetricEigen}: reconstruction, orthogonality, ordering and known spectra. */
class SymmetricEigenTest {

    @Test
    void reconstructsRandomSymmetricMatricesWithOrthonormalVectors() {
        Random rnd = new Random(7);
        for (int n : new int[] {1, 2, 3, 5, 8, 17}) {
            double[][] g = NaiveDense.random(rnd, n, n);
            double[][] s = new double[n][n];
            double scale = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    s[i][j] = g[i][j] + g[j][i];
                    scale = Math.max(scale, Math.abs(s[i][j]));
                }
            }
            SymmetricEigen e = SymmetricEigen.of(DenseMatrix.ofRows(s));
            double[] values = e.values();
            double[][] q = e.vectors().toRowArrays();
            for (int j = 1; j < n; j++) {
                assertTrue(values[j - 1] <= values[j], "ascending");
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double rebuilt = 0;
                    double gram = 0;
                    for (int k = 0; k < n; k++) {
                        rebuilt += q[i][k] * values[k] * q[j][k];
                        gram += q[k][i] * q[k][j];
                    }
                    assertEquals(s[i][j], rebuilt, 1e-13 * scale * n, "Q Λ Qᵀ n=" + n);
                    assertEquals(i == j ? 1.0 : 0.0, gram, 1e-13 * n, "QᵀQ n=" + n);
                }
            }
        }
    }

    @Test
    void findsAKnownSpectrumWithRepeatedAndNegativeValues() {
        // S = R diag(-2, 1, 1, 5) Rᵀ with R a random orthogonal matrix (Gram–Schmidt).
        Random rnd = new Random(3);
        int n = 4;
        double[][] r = NaiveDense.random(rnd, n, n);
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < j; k++) {
                double d = 0;
                for (int i = 0; i < n; i++) {
                    d += r[i][j] * r[i][k];
                }
                for (int i = 0; i < n; i++) {
                    r[i][j] -= d * r[i][k];
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += r[i][j] * r[i][j];
            }
            for (int i = 0; i < n; i++) {
                r[i][j] /= Math.sqrt(norm);
            }
        }
        double[] lambda = {-2, 1, 1, 5};
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    s[i][j] += r[i][k] * lambda[k] * r[j][k];
                }
            }
        }
        double[] values = SymmetricEigen.of(DenseMatrix.ofRows(s)).values();
        for (int i = 0; i < n; i++) {
            assertEquals(lambda[i], values[i], 1e-14 * 5);
        }
    }

    @Test
    void rejectsNonSquareAndNonFiniteMatrices() {
        assertThrows(ShapeMismatchException.class, () -> SymmetricEigen.of(DenseMatrix.zeros(2, 3)));
        DenseMatrix nan = DenseMatrix.identity(2);
        nan.set(1, 0, Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(nan));
        assertTrue(e.getMessage().contains("(1, 0)"), e.getMessage());
    }
}
