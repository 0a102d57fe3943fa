package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseVector;
import dev.kronograd.core.ShapeMismatchException;
import dev.kronograd.core.operator.LinearOperator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Stochastic trace estimators that only need products {@code A v}, for when the exact trace is
 * too costly (the closed forms {@link HessianOperator#trace()} and {@link GgnOperator#trace()}
 * back-propagate per-sample blocks; an operator without a closed form would need P products with
 * the unit vectors). They take any square {@link LinearOperator} — a {@link CurvatureOperator}
 * ({@code Curvature.hessian()}, {@code .ggn()}, {@code .kfac()}), one of its layer blocks, or
 * any other operator. Both are unbiased for any square A; Hutch++'s variance reduction is the one
 * analysed for symmetric (positive semi-definite) A, as curvature matrices are.
 *
 * <p>Probes are Rademacher vectors (entries ±1 with probability ½ each) drawn from
 * {@code new java.util.Random(seed)}, so an estimate is reproducible from its seed. Each call
 * owns its scratch vectors; the class holds no state and is thread-safe.
 */
public final class TraceEstimator {
    /**
     * A sketch column whose norm after orthogonalisation is at most this fraction of the largest
     * column's norm lies in the span of the previous ones (to rounding): it is dropped.
     */
    private static final double RANK_TOLERANCE = 1e-12;

    private TraceEstimator() {
    }

    /**
     * Hutchinson's estimator: {@code t = (1/m) Σ_j z_jᵀ A z_j} over m Rademacher probes z_j, with
     * {@code E[zᵀAz] = tr(A)}. Standard error {@code s/√m}, s the sample standard deviation of the
     * m terms (their variance is {@code 2 (‖A‖_F² − Σ_i a_ii²)} for symmetric A). Cost: m products
     * {@code A z}, two length-P vectors of scratch.
     *
     * @param a      the square operator, not modified
     * @param probes m ≥ 1, the number of probes and of products
     * @param seed   the seed of the probes
     * @return the estimate; its standard error is {@code NaN} when m = 1
     * @throws IllegalArgumentException if {@code probes < 1}
     * @throws ShapeMismatchException   if {@code a} is not square
     */
    public static TraceEstimate hutchinson(LinearOperator a, int probes, long seed) {
        requireSquare(a);
        if (probes < 1) {
            throw new IllegalArgumentException("Hutchinson's trace estimator needs probes ≥ 1, got " + probes);
        }
        Random rnd = new Random(seed);
        int n = a.rows();
        DenseVector z = DenseVector.zeros(n);
        DenseVector az = DenseVector.zeros(n);
        double[] terms = new double[probes];
        for (int j = 0; j < probes; j++) {
            rademacher(rnd, z);
            a.apply(z, az);
            terms[j] = z.dot(az);
        }
        return new TraceEstimate(mean(terms), standardError(terms), probes);
    }

    /**
     * Hutch++ (Meyer, Musco, Musco and Woodruff, "Hutch++: Optimal Stochastic Trace Estimation",
     * SOSA 2021): with a budget of m products, k = ⌊m/3⌋ go to a sketch and the other
     * {@code r = m − 2k} to Hutchinson on what the sketch leaves:
     * <pre>
     *   S  = [s_1 … s_k]  (P×k Rademacher),   Q = orth(A S)  (P×q, q ≤ k)
     *   t  = tr(Qᵀ A Q) + (1/r) Σ_j g_jᵀ (I − QQᵀ) A (I − QQᵀ) g_j   (g_j Rademacher)
     * </pre>
     * The first term is exact; since {@code tr(A) = tr(QᵀAQ) + tr((I − QQᵀ) A (I − QQᵀ))} for any
     * orthonormal Q, the estimate is unbiased, and its error is Hutchinson's on the deflated
     * matrix, whose Frobenius norm is small when A's spectrum decays (variance O(1/m²) instead of
     * O(1/m) for a matrix of low effective rank; exact when rank(A) ≤ k). Standard error
     * {@code s/√r}, s the sample standard deviation of the r residual terms: the error given Q.
     *
     * <p>Q comes from classical Gram–Schmidt with reorthogonalisation (each column projected out
     * twice); columns that vanish to rounding (A S of rank below k) are dropped. Cost: k + q + r
     * ≤ m products, (2k + 3)·P doubles of scratch, O(P k²) flops for the orthogonalisation.
     *
     * @param a      the square, symmetric operator, not modified
     * @param probes m ≥ 3, the budget of products
     * @param seed   the seed of S and of the g_j
     * @return the estimate; its standard error is {@code NaN} when r = 1 (m ≤ 4)
     * @throws IllegalArgumentException if {@code probes < 3}
     * @throws ShapeMismatchException   if {@code a} is not square
     */
    public static TraceEstimate hutchPlusPlus(LinearOperator a, int probes, long seed) {
        requireSquare(a);
        if (probes < 3) {
            throw new IllegalArgumentException("Hutch++ needs probes ≥ 3 (a third each for the sketch, its exact trace "
                    + "and the residual's probes), got " + probes);
        }
        Random rnd = new Random(seed);
        int n = a.rows();
        int k = probes / 3;
        int r = probes - 2 * k;

        List<DenseVector> q = orthonormalBasisOfSketch(a, k, rnd);

        double exact = 0;
        DenseVector aq = DenseVector.zeros(n);
        for (DenseVector column : q) {
            a.apply(column, aq);
            exact += column.dot(aq);
        }

        // (I − QQᵀ) g is in the complement of span Q, so gᵀ(I − QQᵀ) A (I − QQᵀ) g = wᵀ A w with w = (I − QQᵀ) g.
        DenseVector w = DenseVector.zeros(n);
        DenseVector aw = DenseVector.zeros(n);
        double[] terms = new double[r];
        for (int j = 0; j < r; j++) {
            rademacher(rnd, w);
            projectOut(q, w);
            a.apply(w, aw);
            terms[j] = w.dot(aw);
        }
        return new TraceEstimate(exact + mean(terms), standardError(terms), probes);
    }

    /** Q = orth(A S) for k Rademacher columns s: one product each, CGS2, vanishing columns dropped. */
    private static List<DenseVector> orthonormalBasisOfSketch(LinearOperator a, int k, Random rnd) {
        int n = a.rows();
        List<DenseVector> sketch = new ArrayList<>(k);
        DenseVector s = DenseVector.zeros(n);
        double largest = 0;
        for (int j = 0; j < k; j++) {
            rademacher(rnd, s);
            DenseVector y = a.apply(s);
            largest = Math.max(largest, y.norm());
            sketch.add(y);
        }
        List<DenseVector> q = new ArrayList<>(k);
        for (DenseVector y : sketch) {
            projectOut(q, y);
            projectOut(q, y);   // once more: classical Gram–Schmidt loses orthogonality in one pass
            double norm = y.norm();
            if (norm > RANK_TOLERANCE * largest && norm > 0) {
                double[] d = y.data();
                int off = y.offset();
                for (int i = 0; i < n; i++) {
                    d[off + i] /= norm;
                }
                q.add(y);
            }
        }
        return q;
    }

    /** v ← v − Q (Qᵀ v), Q's columns orthonormal. */
    private static void projectOut(List<DenseVector> q, DenseVector v) {
        int n = v.length();
        double[] coefficients = new double[q.size()];
        for (int c = 0; c < q.size(); c++) {
            coefficients[c] = q.get(c).dot(v);
        }
        for (int c = 0; c < q.size(); c++) {
            DenseVector column = q.get(c);
            for (int i = 0; i < n; i++) {
                v.set(i, v.get(i) - coefficients[c] * column.get(i));
            }
        }
    }

    private static void rademacher(Random rnd, DenseVector z) {
        for (int i = 0; i < z.length(); i++) {
            z.set(i, rnd.nextBoolean() ? 1.0 : -1.0);
        }
    }

    private static double mean(double[] terms) {
        double sum = 0;
        for (double t : terms) {
            sum += t;
        }
        return sum / terms.length;
    }

    /** s/√m with s² = Σ (t_j − t̄)² / (m − 1); NaN for m = 1. */
    private static double standardError(double[] terms) {
        int m = terms.length;
        if (m < 2) {
            return Double.NaN;
        }
        double mean = mean(terms);
        double squares = 0;
        for (double t : terms) {
            squares += (t - mean) * (t - mean);
        }
        return Math.sqrt(squares / (m - 1) / m);
    }

    private static void requireSquare(LinearOperator a) {
        Objects.requireNonNull(a, "a");
        if (a.rows() != a.cols()) {
            throw new ShapeMismatchException("a trace needs a square operator, but a is "
                    + ShapeMismatchException.shape(a.rows(), a.cols()) + " (" + a.describe() + ")");
        }
    }
}
