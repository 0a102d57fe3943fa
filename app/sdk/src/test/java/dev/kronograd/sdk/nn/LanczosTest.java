package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.ShapeMismatchException;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.Operators;
import dev.kronograd.core.testing.NaiveDense;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.loss.SigmoidCrossEntropy;
import dev.kronograd.sdk.loss.SoftmaxCrossEntropy;
import dev.kronograd.sdk.loss.SquaredError;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Lanczos#topEigenvalues} against a cyclic Jacobi eigendecomposition (written here, not the
 * code under test) of {@code toDense()}: the Hessian and GGN of small random networks (depth 1–3,
 * smooth activations, all three losses, batch 1 and 3), matrices with repeated, clustered and
 * low-rank spectra, and argument errors. Residuals are recomputed as {@code ‖A v − λ v‖}.
 */
class LanczosTest {
    private static final double TOLERANCE = 1e-10;
    /** Eigenvalues agree with the dense reference to this, relative to max(1, ‖A‖₂). */
    private static final double AGREEMENT = 1e-8;
    /** Residuals stay below this, relative to max(1, ‖A‖₂). */
    private static final double RESIDUAL = 1e-8;

    private final Operators ops = Operators.using(ReferenceLinearAlgebra.INSTANCE);

    /** Each case: the top 4 with the cap P, and the top 1 with the cap min(P, 50) as the CLI would use. */
    @Test
    void topEigenvaluesOfHessiansAndGgnsMatchTheDenseEigendecomposition() {
        Random rnd = new Random(2024);
        List<Loss> losses = List.of(new SquaredError(), new SoftmaxCrossEntropy(), new SigmoidCrossEntropy());
        List<String> activations = List.of("tanh", "softplus", "sigmoid");
        double worst = 0;
        int cases = 0;
        for (int depth = 1; depth <= 3; depth++) {
            for (Loss loss : losses) {
                for (int batch : new int[] {1, 3}) {
                    String activation = activations.get(cases % activations.size());
                    int[] widths = new int[depth];
                    for (int d = 0; d < depth; d++) {
                        widths[d] = 2 + rnd.nextInt(2);
                    }
                    Curvature at = network(rnd, 3, widths, activation, loss, batch);
                    for (CurvatureOperator a : List.of(at.hessian(), at.ggn())) {
                        String where = a.describe() + ", depth " + depth + ", " + activation + ", " + loss.name() + ", B = " + batch;
                        int p = a.rows();
                        int k = Math.min(4, p);
                        worst = Math.max(worst, check(a, k, p, where));
                        worst = Math.max(worst, check(a, 1, Math.min(p, 50), where));
                        cases++;
                    }
                }
            }
        }
        assertEquals(36, cases);
        assertTrue(worst <= AGREEMENT, "worst relative error " + worst);
    }

    @Test
    void repeatedEigenvaluesAreFoundWithTheirMultiplicity() {
        // λ = 5 (×3), 2, 1 (×2), 0 (×35): few distinct values, the Krylov space is exhausted quickly
        double[] spectrum = new double[41];
        spectrum[0] = spectrum[1] = spectrum[2] = 5;
        spectrum[3] = 2;
        spectrum[4] = spectrum[5] = 1;
        LinearOperator a = ops.dense(DenseMatrix.ofRows(withSpectrum(new Random(5), spectrum)));
        Eigenpairs top = Lanczos.topEigenvalues(a, 6, 41, TOLERANCE, 3);
        assertArrayEquals(new double[] {5, 5, 5, 2, 1, 1}, top.values(), 1e-12);
        assertResiduals(a, top, 5);
        assertOrthonormal(top);
        assertTrue(top.iterations() < 41, "restarts end at exhaustion of the top: " + top.iterations());
    }

    @Test
    void clusteredEigenvaluesAreResolved() {
        double[] spectrum = new double[60];
        for (int i = 0; i < spectrum.length; i++) {
            spectrum[i] = i < 4 ? 10 - 1e-3 * i : 9 * Math.pow(0.9, i);
        }
        double[][] dense = withSpectrum(new Random(8), spectrum);
        LinearOperator a = ops.dense(DenseMatrix.ofRows(dense));
        Eigenpairs top = Lanczos.topEigenvalues(a, 4, 60, TOLERANCE, 1);
        assertArrayEquals(new double[] {10, 10 - 1e-3, 10 - 2e-3, 10 - 3e-3}, top.values(), 1e-9);
        assertResiduals(a, top, 10);
    }

    @Test
    void aLowRankOperatorEndsEarlyAtAnInvariantSubspace() {
        // rank 3 with one negative eigenvalue: the top 3 are 4, 1 and 0
        double[] spectrum = new double[50];
        spectrum[0] = 4;
        spectrum[1] = 1;
        spectrum[2] = -2;
        LinearOperator a = ops.dense(DenseMatrix.ofRows(withSpectrum(new Random(6), spectrum)));
        Eigenpairs top = Lanczos.topEigenvalues(a, 3, 50, TOLERANCE, 4);
        assertArrayEquals(new double[] {4, 1, 0}, top.values(), 1e-12);
        assertResiduals(a, top, 4);
        assertTrue(top.iterations() <= 6, "rank 3: " + top.iterations() + " iterations");

        // one sample, one output: the GGN has rank 1
        Curvature one = network(new Random(9), 3, new int[] {4, 1}, "tanh", new SquaredError(), 1);
        double[] reference = jacobiEigenvalues(one.ggn().toDense());
        Eigenpairs ggn = Lanczos.topEigenvalues(one.ggn(), 1, 100, TOLERANCE, 0);
        assertEquals(reference[0], ggn.values()[0], AGREEMENT * Math.max(1, reference[0]));
        assertTrue(ggn.iterations() <= 3, "rank 1: " + ggn.iterations() + " iterations");
    }

    @Test
    void theIterationCapReturnsUnconvergedPairsWithHonestResiduals() {
        double[] spectrum = new double[80];
        for (int i = 0; i < spectrum.length; i++) {
            spectrum[i] = 1 - i / 80.0;   // no gap: slow
        }
        LinearOperator a = ops.dense(DenseMatrix.ofRows(withSpectrum(new Random(2), spectrum)));
        Eigenpairs top = Lanczos.topEigenvalues(a, 2, 5, TOLERANCE, 1);
        assertEquals(5, top.iterations());
        assertResiduals(a, top, Double.POSITIVE_INFINITY);
        assertTrue(top.residuals()[0] > TOLERANCE, "not converged after 5 iterations: " + top.residuals()[0]);
    }

    @Test
    void sameSeedSameResult() {
        Curvature at = network(new Random(1), 3, new int[] {3, 2}, "tanh", new SquaredError(), 3);
        assertEquals(Lanczos.topEigenvalues(at.hessian(), 3, 30, TOLERANCE, 7), Lanczos.topEigenvalues(at.hessian(), 3, 30, TOLERANCE, 7));
    }

    @Test
    void argumentErrorsNameTheProblem() {
        Curvature at = network(new Random(1), 2, new int[] {2}, "tanh", new SquaredError(), 1);
        CurvatureOperator h = at.hessian();   // P = 2·2 + 2 = 6
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> Lanczos.topEigenvalues(h, 0, 10, TOLERANCE, 0));
        assertEquals("k must be between 1 and P = 6 (the operator's size), got k = 0", zero.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> Lanczos.topEigenvalues(h, 7, 10, TOLERANCE, 0));
        assertEquals("k must be between 1 and P = 6 (the operator's size), got k = 7", big.getMessage());
        IllegalArgumentException cap = assertThrows(IllegalArgumentException.class, () -> Lanczos.topEigenvalues(h, 3, 2, TOLERANCE, 0));
        assertEquals("maxIterations must be at least k = 3, got 2", cap.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Lanczos.topEigenvalues(h, 3, 6, Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> Lanczos.topEigenvalues(h, 3, 6, -1, 0));
        ShapeMismatchException shape = assertThrows(ShapeMismatchException.class,
                () -> Lanczos.topEigenvalues(ops.dense(DenseMatrix.zeros(3, 4)), 1, 3, TOLERANCE, 0));
        assertTrue(shape.getMessage().startsWith("eigenvalues need a square operator, but a is 3×4"), shape.getMessage());
    }

    /** Largest error of the k values relative to max(1, ‖A‖₂); also checks the residuals and vectors. */
    private double check(LinearOperator a, int k, int maxIterations, String where) {
        double[] reference = jacobiEigenvalues(a.toDense());
        double norm = Math.max(Math.abs(reference[0]), Math.abs(reference[reference.length - 1]));
        Eigenpairs top = Lanczos.topEigenvalues(a, k, maxIterations, TOLERANCE, 11);
        assertEquals(k, top.count(), where);
        double worst = 0;
        for (int i = 0; i < k; i++) {
            double error = Math.abs(top.values()[i] - reference[i]) / Math.max(1, norm);
            assertTrue(error <= AGREEMENT, where + ": λ_" + i + " = " + top.values()[i] + " vs " + reference[i]);
            worst = Math.max(worst, error);
        }
        assertResiduals(a, top, norm);
        return worst;
    }

    /** Reported residuals are ‖A v − λ v‖ recomputed here, within the convergence bound, vectors unit. */
    private static void assertResiduals(LinearOperator a, Eigenpairs top, double norm) {
        for (int i = 0; i < top.count(); i++) {
            DenseVector v = top.vectors()[i];
            assertEquals(1, v.norm(), 1e-12);
            double[] r = a.apply(v).toArray();
            for (int j = 0; j < r.length; j++) {
                r[j] -= top.values()[i] * v.get(j);
            }
            double residual = DenseVector.wrap(r).norm();
            assertEquals(residual, top.residuals()[i], 1e-14 * Math.max(1, Math.abs(top.values()[i])) + 1e-12 * residual);
            if (Double.isFinite(norm)) {
                assertTrue(residual <= RESIDUAL * Math.max(1, norm), "residual " + residual + " of λ = " + top.values()[i]);
            }
        }
    }

    private static void assertOrthonormal(Eigenpairs top) {
        for (int i = 0; i < top.count(); i++) {
            for (int j = 0; j < top.count(); j++) {
                assertEquals(i == j ? 1 : 0, top.vectors()[i].dot(top.vectors()[j]), 1e-10);
            }
        }
    }

    private Curvature network(Random rnd, int inputs, int[] widths, String activation, Loss loss, int batch) {
        Network net = NetworkGradientTest.randomNetwork(ops, rnd, inputs, widths, Collections.nCopies(widths.length, activation));
        DenseMatrix x = DenseMatrix.ofRows(NaiveDense.random(rnd, inputs, batch));
        int m = widths[widths.length - 1];
        DenseMatrix y;
        if (loss instanceof SigmoidCrossEntropy) {
            y = DenseMatrix.zeros(m, batch);
            for (int s = 0; s < batch; s++) {
                for (int i = 0; i < m; i++) {
                    y.set(i, s, rnd.nextDouble());
                }
            }
        } else {
            y = NetworkGradientTest.targetsFor(loss, rnd, m, batch);
        }
        return Curvature.at(net, x, loss, y);
    }

    /** U diag(λ) Uᵀ with U a random orthogonal matrix. */
    private static double[][] withSpectrum(Random rnd, double[] spectrum) {
        int n = spectrum.length;
        double[][] u = NaiveDense.random(rnd, n, n);
        for (int c = 0; c < n; c++) {   // modified Gram–Schmidt, twice
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < c; p++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += u[i][p] * u[i][c];
                    }
                    for (int i = 0; i < n; i++) {
                        u[i][c] -= dot * u[i][p];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += u[i][c] * u[i][c];
            }
            for (int i = 0; i < n; i++) {
                u[i][c] /= Math.sqrt(norm);
            }
        }
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int c = 0; c < n; c++) {
                    a[i][j] += u[i][c] * spectrum[c] * u[j][c];
                }
            }
        }
        return a;
    }

    /** All eigenvalues of a symmetric matrix by cyclic Jacobi rotations, largest first. */
    static double[] jacobiEigenvalues(DenseMatrix m) {
        int n = m.rows();
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = 0.5 * (m.get(i, j) + m.get(j, i));
            }
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double total = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    total += a[i][j] * a[i][j];
                    if (i != j) {
                        off += a[i][j] * a[i][j];
                    }
                }
            }
            if (off <= 1e-30 * total || off == 0) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {   // A ← A J (columns p, q)
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {   // A ← Jᵀ A (rows p, q)
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = a[i][i];
        }
        Arrays.sort(values);
        double[] descending = new double[n];
        for (int i = 0; i < n; i++) {
            descending[i] = values[n - 1 - i];
        }
        return descending;
    }
}
