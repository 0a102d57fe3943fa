package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.ShapeMismatchException;

import java.util.Arrays;
import java.util.Objects;

/**
 * The full eigendecomposition {@code S = Q diag(λ) Qᵀ} of a small dense symmetric matrix, by the
 * cyclic Jacobi method (Golub & Van Loan, §8.5): sweeps of plane rotations, each zeroing one
 * off-diagonal pair, until the off-diagonal part is below rounding relative to the diagonal.
 * Jacobi is slower than tridiagonal QR (a few n³ per sweep, typically 6–10 sweeps) but accurate to
 * rounding in every eigenvalue relative to ‖S‖ and needs no backend: it is meant for KFAC's
 * factors and other matrices of at most a few hundred rows.
 *
 * <p>Only the lower triangle is read (the matrix is assumed symmetric). Immutable.
 *
 * @param values  the eigenvalues, ascending
 * @param vectors the orthonormal eigenvectors, column j for {@code values[j]} (n×n)
 */
public record SymmetricEigen(double[] values, DenseMatrix vectors) {
    private static final int MAX_SWEEPS = 100;

    public SymmetricEigen {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(vectors, "vectors");
        if (vectors.rows() != values.length || vectors.cols() != values.length) {
            throw new ShapeMismatchException("eigenvectors must be " + ShapeMismatchException.shape(values.length, values.length)
                    + " for " + values.length + " eigenvalues, got " + vectors.shape());
        }
        values = values.clone();
        vectors = vectors.copy();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public DenseMatrix vectors() {
        return vectors.copy();
    }

    /**
     * Decomposes the symmetric matrix s (n×n, only its lower triangle is read; not modified).
     *
     * @throws ShapeMismatchException   if s is not square
     * @throws IllegalArgumentException if s has a non-finite entry
     * @throws ArithmeticException      if the sweeps do not converge (not seen for finite input)
     */
    public static SymmetricEigen of(DenseMatrix s) {
        Objects.requireNonNull(s, "s");
        if (s.rows() != s.cols()) {
            throw new ShapeMismatchException("an eigendecomposition needs a square matrix, got " + s.shape());
        }
        int n = s.rows();
        double[][] a = new double[n][n];
        for (int j = 0; j < n; j++) {
            for (int i = j; i < n; i++) {
                double v = s.get(i, j);
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("the matrix has a non-finite entry " + v + " at (" + i + ", " + j + ")");
                }
                a[i][j] = v;
                a[j][i] = v;
            }
        }
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            q[i][i] = 1.0;
        }
        boolean converged = n < 2;
        for (int sweep = 0; sweep < MAX_SWEEPS && !converged; sweep++) {
            double off = 0;
            double diag = 0;
            for (int i = 0; i < n; i++) {
                diag += a[i][i] * a[i][i];
                for (int j = i + 1; j < n; j++) {
                    off += a[i][j] * a[i][j];
                }
            }
            if (off == 0 || Math.sqrt(off) <= 1e-17 * Math.sqrt(diag + 2 * off)) {
                converged = true;
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int r = p + 1; r < n; r++) {
                    rotate(a, q, p, r);
                }
            }
        }
        if (!converged) {
            throw new ArithmeticException("Jacobi eigendecomposition did not converge in " + MAX_SWEEPS + " sweeps");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(a[x][x], a[y][y]));
        double[] values = new double[n];
        DenseMatrix vectors = DenseMatrix.zeros(n, n);
        for (int j = 0; j < n; j++) {
            values[j] = a[order[j]][order[j]];
            for (int i = 0; i < n; i++) {
                vectors.set(i, j, q[i][order[j]]);
            }
        }
        return new SymmetricEigen(values, vectors);
    }

    /** One Jacobi rotation in the (p, r) plane that zeroes a[p][r] (Golub & Van Loan, Alg. 8.5.1 / NR jacobi). */
    private static void rotate(double[][] a, double[][] q, int p, int r) {
        double apr = a[p][r];
        if (apr == 0) {
            return;
        }
        double theta = (a[r][r] - a[p][p]) / (2 * apr);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) {
            t = 1;
        }
        if (Double.isInfinite(theta * theta)) {
            t = 1 / (2 * theta);
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        int n = a.length;
        for (int k = 0; k < n; k++) {
            double akp = a[k][p];
            double akr = a[k][r];
            a[k][p] = c * akp - s * akr;
            a[k][r] = s * akp + c * akr;
        }
        for (int k = 0; k < n; k++) {
            double apk = a[p][k];
            double ark = a[r][k];
            a[p][k] = c * apk - s * ark;
            a[r][k] = s * apk + c * ark;
        }
        a[p][r] = 0;
        a[r][p] = 0;
        for (int k = 0; k < n; k++) {
            double qkp = q[k][p];
            double qkr = q[k][r];
            q[k][p] = c * qkp - s * qkr;
            q[k][r] = s * qkp + c * qkr;
        }
    }
}
