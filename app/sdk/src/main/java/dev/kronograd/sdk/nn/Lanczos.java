package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseVector;
import dev.kronograd.core.ShapeMismatchException;
import dev.kronograd.core.operator.LinearOperator;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

/**
 * The k largest (algebraic) eigenvalues of a symmetric operator from products {@code A v} only, by
 * the Lanczos method with full reorthogonalisation. It takes any symmetric {@link LinearOperator}:
 * a {@link CurvatureOperator} ({@code Curvature.hessian()}, {@code .ggn()}, {@code .kfac()}), one of
 * its layer blocks, or any other operator; the matrix is never formed.
 *
 * <p>Algorithm. From a unit start q_1 (a Rademacher vector drawn from
 * {@code new java.util.Random(seed)}, normalised), iteration j computes
 * <pre>
 *   w = A q_j − α_j q_j − β_{j−1} q_{j−1},   α_j = q_jᵀ A q_j,   q_{j+1} = w / β_j,  β_j = ‖w‖
 * </pre>
 * with w projected out of all previous q_1 … q_j twice (classical Gram–Schmidt, twice is enough),
 * so Q_j = [q_1 … q_j] stays orthonormal to rounding and no spurious copies of converged
 * eigenvalues appear. Then {@code A Q_j = Q_j T_j + β_j q_{j+1} e_jᵀ} with T_j the j×j symmetric
 * tridiagonal matrix of the α and β. After every iteration the eigenpairs (θ_i, s_i) of T_j are
 * computed (implicit-shift QL, tracking only the last row of the eigenvectors); the Ritz pair
 * (θ_i, Q_j s_i) has residual {@code ‖A Q_j s_i − θ_i Q_j s_i‖ = β_j |s_{j,i}|}. The iteration stops
 * when the k largest Ritz values all have {@code β_j |s_{j,i}| ≤ tolerance · max(1, |θ_i|)}, or at
 * {@code min(P, maxIterations)} iterations.
 *
 * <p>If β_j vanishes (relative to ‖T_j‖), span Q_j is an invariant subspace and its Ritz pairs are
 * exact. A single Krylov space holds only one eigenvector per eigenvalue, so the method then
 * restarts with a fresh random vector orthogonal to Q_j (T becomes block diagonal), and keeps
 * restarting while the newest invariant block still reaches into the k largest values: an
 * eigenvalue of multiplicity m is found m times, and a low-rank operator ends early (after its
 * rank plus a couple of products). A repeated eigenvalue whose eigenspace is <em>not</em> exhausted
 * before the other top values converge is, as for any single-vector Krylov method, found fewer
 * times than its multiplicity; the residuals are still small, and one of them being a copy is
 * what a block method would add.
 *
 * <p>Cost: n ≤ min(P, maxIterations) products for the basis plus k to measure the residuals;
 * O(P n²) flops and n·P doubles for the reorthogonalisation and the basis; O(n²) per iteration
 * for the tridiagonal eigenvalues and O(n³) once for the final eigenvectors of T_n. Each call owns
 * its scratch; the class holds no state and is thread-safe.
 */
public final class Lanczos {
    /** β ≤ this · ‖T‖ (estimated by the largest row sum seen) counts as an invariant subspace. */
    private static final double INVARIANCE = 1e-12;
    /** A restart vector that keeps less than this fraction of its norm after orthogonalisation is redrawn. */
    private static final double RESTART_REMAINDER = 1e-6;
    private static final int RESTART_DRAWS = 10;

    private Lanczos() {
    }

    /**
     * The k largest eigenvalues of the symmetric operator A (P×P), largest algebraic first, with
     * their Ritz vectors and residuals {@code ‖A v − λ v‖}.
     *
     * @param a             the square, symmetric operator, not modified (symmetry is assumed, not checked)
     * @param k             how many eigenvalues, 1 ≤ k ≤ P
     * @param maxIterations the cap on Lanczos iterations (products), at least k; the effective cap is
     *                      {@code min(P, maxIterations)}
     * @param tolerance     relative residual bound for convergence, ≥ 0: stop when each of the k
     *                      largest Ritz values θ has {@code β |s_last| ≤ tolerance · max(1, |θ|)}
     * @param seed          the seed of the start (and any restart) vector
     * @return the k largest Ritz pairs; unconverged ones (iteration cap reached) show in the residuals
     * @throws IllegalArgumentException if k is not in [1, P], {@code maxIterations < k}, or the
     *                                  tolerance is negative or NaN
     * @throws ShapeMismatchException   if {@code a} is not square
     */
    public static Eigenpairs topEigenvalues(LinearOperator a, int k, int maxIterations, double tolerance, long seed) {
        Objects.requireNonNull(a, "a");
        if (a.rows() != a.cols()) {
            throw new ShapeMismatchException("eigenvalues need a square operator, but a is "
                    + ShapeMismatchException.shape(a.rows(), a.cols()) + " (" + a.describe() + ")");
        }
        int p = a.rows();
        if (k < 1 || k > p) {
            throw new IllegalArgumentException("k must be between 1 and P = " + p + " (the operator's size), got k = " + k);
        }
        if (maxIterations < k) {
            throw new IllegalArgumentException("maxIterations must be at least k = " + k + ", got " + maxIterations);
        }
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance must be ≥ 0, got " + tolerance);
        }
        int cap = Math.min(p, maxIterations);
        Random rnd = new Random(seed);
        double[][] q = new double[cap][];
        double[] alpha = new double[cap];
        double[] beta = new double[cap];   // beta[j] couples q_j and q_{j+1}; 0 where a block ends
        q[0] = rademacher(rnd, p);
        scale(q[0], 1 / norm(q[0]));
        double[] w = new double[p];
        double normT = 0;
        int blockStart = 0;
        int m = 0;
        while (true) {
            int j = m;
            a.apply(DenseVector.wrap(q[j]), DenseVector.wrap(w));
            alpha[j] = dot(q[j], w);
            axpy(-alpha[j], q[j], w);
            if (j > blockStart) {
                axpy(-beta[j - 1], q[j - 1], w);
            }
            for (int pass = 0; pass < 2; pass++) {
                // the correction along q_j belongs to α_j; the others are rounding and are dropped
                alpha[j] += projectOut(q, j + 1, w, j);
            }
            m = j + 1;
            double b = norm(w);
            normT = Math.max(normT, Math.abs(alpha[j]) + b + (j > blockStart ? beta[j - 1] : 0));
            if (b <= INVARIANCE * normT) {
                beta[j] = 0;
                if (m < cap && newestBlockReachesTop(alpha, beta, blockStart, m, k, tolerance, INVARIANCE * normT)) {
                    q[m] = restartVector(rnd, q, m, p);
                    blockStart = m;
                    continue;
                }
                break;
            }
            beta[j] = b;
            if (m == cap) {
                break;
            }
            q[m] = w.clone();
            scale(q[m], 1 / b);
            if (m >= k && converged(alpha, beta, blockStart, m, k, tolerance)) {
                break;
            }
        }
        return ritzPairs(a, q, alpha, beta, m, k);
    }

    /**
     * Whether the k largest Ritz values of T_m have residual bounds within the tolerance and, after
     * a restart, the newest block's largest Ritz value too (else its eigenvalue, still climbing,
     * might belong among the k).
     */
    private static boolean converged(double[] alpha, double[] beta, int blockStart, int m, int k, double tolerance) {
        double last = beta[m - 1];
        Tridiagonal all = Tridiagonal.solve(alpha, beta, 0, m, false);
        for (int i = 0; i < k; i++) {
            double theta = all.values[i];
            if (last * Math.abs(all.lastRow[i]) > tolerance * Math.max(1, Math.abs(theta))) {
                return false;
            }
        }
        if (blockStart > 0) {
            Tridiagonal newest = Tridiagonal.solve(alpha, beta, blockStart, m, false);
            return last * Math.abs(newest.lastRow[0]) <= tolerance * Math.max(1, Math.abs(newest.values[0]));
        }
        return true;
    }

    /**
     * At an invariant subspace: restart if the newest block's largest eigenvalue exceeds the k-th
     * largest of the earlier blocks (or these have fewer than k), i.e. may still be among the top k.
     */
    private static boolean newestBlockReachesTop(double[] alpha, double[] beta, int blockStart, int m, int k,
                                                 double tolerance, double rounding) {
        if (blockStart < k) {
            return true;
        }
        double kth = Tridiagonal.solve(alpha, beta, 0, blockStart, false).values[k - 1];
        double top = Tridiagonal.solve(alpha, beta, blockStart, m, false).values[0];
        return top > kth + rounding + tolerance * Math.max(1, Math.abs(kth));
    }

    private static Eigenpairs ritzPairs(LinearOperator a, double[][] q, double[] alpha, double[] beta, int m, int k) {
        Tridiagonal t = Tridiagonal.solve(alpha, beta, 0, m, true);
        int p = a.rows();
        double[] values = new double[k];
        DenseVector[] vectors = new DenseVector[k];
        double[] residuals = new double[k];
        DenseVector av = DenseVector.zeros(p);
        for (int i = 0; i < k; i++) {
            double[] v = new double[p];
            for (int j = 0; j < m; j++) {
                axpy(t.vectors[j][i], q[j], v);
            }
            scale(v, 1 / norm(v));   // unit already, to rounding
            values[i] = t.values[i];
            vectors[i] = DenseVector.wrap(v);
            a.apply(vectors[i], av);
            double[] r = av.toArray();
            axpy(-values[i], v, r);
            residuals[i] = norm(r);
        }
        return new Eigenpairs(values, vectors, m, residuals);
    }

    /** A random unit vector orthogonal to q_0 … q_{m−1} (m < P). */
    private static double[] restartVector(Random rnd, double[][] q, int m, int p) {
        for (int draw = 0; draw < RESTART_DRAWS; draw++) {
            double[] v = rademacher(rnd, p);
            double before = norm(v);
            projectOut(q, m, v, -1);
            projectOut(q, m, v, -1);
            double after = norm(v);
            if (after > RESTART_REMAINDER * before) {
                scale(v, 1 / after);
                return v;
            }
        }
        throw new IllegalStateException("could not draw a vector orthogonal to " + m + " Lanczos vectors in " + p + " dimensions");
    }

    /** v ← v − Σ_{c<count} (q_cᵀ v) q_c; returns the coefficient of q_{track} (0 if track < 0). */
    private static double projectOut(double[][] q, int count, double[] v, int track) {
        double[] coefficients = new double[count];
        for (int c = 0; c < count; c++) {
            coefficients[c] = dot(q[c], v);
        }
        for (int c = 0; c < count; c++) {
            axpy(-coefficients[c], q[c], v);
        }
        return track >= 0 ? coefficients[track] : 0;
    }

    private static double[] rademacher(Random rnd, int n) {
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = rnd.nextBoolean() ? 1.0 : -1.0;
        }
        return z;
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    private static double norm(double[] x) {
        return Math.sqrt(dot(x, x));
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static void scale(double[] x, double a) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= a;
        }
    }

    /**
     * Eigenpairs of a symmetric tridiagonal matrix by the implicit-shift QL algorithm (EISPACK
     * tql2, as in JAMA), sorted largest first. Either all eigenvectors (columns of
     * {@code vectors}) or only their last components ({@code lastRow}): the rotations act on
     * columns, so any subset of the rows of the identity can be carried along.
     */
    static final class Tridiagonal {
        final double[] values;
        final double[] lastRow;
        final double[][] vectors;

        private Tridiagonal(double[] values, double[] lastRow, double[][] vectors) {
            this.values = values;
            this.lastRow = lastRow;
            this.vectors = vectors;
        }

        /** T over indices [from, to): diagonal alpha, off-diagonal beta[i] between i and i+1. */
        static Tridiagonal solve(double[] alpha, double[] beta, int from, int to, boolean allVectors) {
            int n = to - from;
            double[] d = Arrays.copyOfRange(alpha, from, to);
            double[] e = new double[n];
            System.arraycopy(beta, from, e, 0, n - 1);
            double[][] z;
            if (allVectors) {
                z = new double[n][n];
                for (int i = 0; i < n; i++) {
                    z[i][i] = 1;
                }
            } else {
                z = new double[1][n];
                z[0][n - 1] = 1;
            }
            ql(d, e, z);
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> Double.compare(d[y], d[x]));
            double[] values = new double[n];
            double[][] sorted = new double[z.length][n];
            for (int i = 0; i < n; i++) {
                values[i] = d[order[i]];
                for (int r = 0; r < z.length; r++) {
                    sorted[r][i] = z[r][order[i]];
                }
            }
            return allVectors ? new Tridiagonal(values, sorted[n - 1], sorted) : new Tridiagonal(values, sorted[0], null);
        }

        /** d: diagonal → eigenvalues; e[0..n−2]: off-diagonal (destroyed); z: rows carried along. */
        private static void ql(double[] d, double[] e, double[][] z) {
            int n = d.length;
            double eps = Math.ulp(1.0);
            double f = 0;
            double tst1 = 0;
            for (int l = 0; l < n; l++) {
                tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
                int m = l;
                while (m < n - 1 && Math.abs(e[m]) > eps * tst1) {
                    m++;
                }
                if (m > l) {
                    int iterations = 0;
                    do {
                        if (++iterations > 60) {
                            throw new IllegalStateException("tridiagonal QL did not converge in 60 sweeps for eigenvalue " + l + " of " + n);
                        }
                        double g = d[l];
                        double p = (d[l + 1] - g) / (2 * e[l]);
                        double r = Math.hypot(p, 1);
                        if (p < 0) {
                            r = -r;
                        }
                        d[l] = e[l] / (p + r);
                        d[l + 1] = e[l] * (p + r);
                        double dl1 = d[l + 1];
                        double h = g - d[l];
                        for (int i = l + 2; i < n; i++) {
                            d[i] -= h;
                        }
                        f += h;
                        p = d[m];
                        double c = 1;
                        double c2 = 1;
                        double c3 = 1;
                        double el1 = e[l + 1];
                        double s = 0;
                        double s2 = 0;
                        for (int i = m - 1; i >= l; i--) {
                            c3 = c2;
                            c2 = c;
                            s2 = s;
                            g = c * e[i];
                            h = c * p;
                            r = Math.hypot(p, e[i]);
                            e[i + 1] = s * r;
                            s = e[i] / r;
                            c = p / r;
                            p = c * d[i] - s * g;
                            d[i + 1] = h + s * (c * g + s * d[i]);
                            for (double[] row : z) {
                                h = row[i + 1];
                                row[i + 1] = s * row[i] + c * h;
                                row[i] = c * row[i] - s * h;
                            }
                        }
                        p = -s * s2 * c3 * el1 * e[l] / dl1;
                        e[l] = s * p;
                        d[l] = c * p;
                    } while (Math.abs(e[l]) > eps * tst1);
                }
                d[l] += f;
                e[l] = 0;
            }
        }
    }
}
