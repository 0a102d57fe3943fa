package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.ShapeMismatchException;
import dev.kronograd.core.operator.LinearOperator;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * The spectral density of a symmetric operator A (P×P) by stochastic Lanczos quadrature (SLQ; Golub
 * & Meurant, Ubaru et al. 2017, as PyHessian's and curvlinops' density), from products only.
 *
 * <p>For each of N probes v (Rademacher, drawn from {@code new java.util.Random(seed)}, normalised),
 * s Lanczos steps with full reorthogonalisation give the tridiagonal T (s×s) with eigenpairs
 * (θ_j, u_j); the Gauss quadrature {@code vᵀ f(A) v ≈ Σ_j τ_j f(θ_j)}, {@code τ_j = u_{1j}²}, is
 * exact for polynomials f of degree ≤ 2s − 1. The density is the mixture of all probes' nodes with
 * weights τ_j / N (they sum to 1): the spectral measure {@code (1/P) Σ_i δ(t − λ_i)} estimated, and
 * {@code tr f(A) ≈ P Σ w_j f(θ_j)} ({@link #trace}). A Krylov space that becomes invariant
 * (β ≈ 0) ends that probe early with exact nodes.
 *
 * <p>Cost: N·s products, O(N s² P) for the reorthogonalisation, O(s³) per probe for T's
 * eigenpairs. Immutable (copies in and out).
 *
 * @param nodes     the quadrature nodes θ of all probes (Ritz values)
 * @param weights   their weights, summing to 1
 * @param dimension P, the operator's size
 */
public record SpectralDensity(double[] nodes, double[] weights, int dimension) {
    /** β ≤ this · ‖T‖ ends a probe: its Krylov space is invariant. */
    private static final double INVARIANCE = 1e-12;

    public SpectralDensity {
        if (nodes.length != weights.length) {
            throw new IllegalArgumentException("nodes and weights must have the same length, got " + nodes.length + " and " + weights.length);
        }
        nodes = nodes.clone();
        weights = weights.clone();
    }

    @Override
    public double[] nodes() {
        return nodes.clone();
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /**
     * Estimates the spectral density of the symmetric operator a.
     *
     * @param a      square and symmetric (symmetry is assumed, not checked); not modified
     * @param probes N ≥ 1 random start vectors
     * @param steps  s, Lanczos steps per probe, 1 ≤ s (at most P are taken)
     * @param seed   the seed of the probes
     * @throws IllegalArgumentException if probes or steps is below 1
     * @throws ShapeMismatchException   if a is not square
     */
    public static SpectralDensity estimate(LinearOperator a, int probes, int steps, long seed) {
        Objects.requireNonNull(a, "a");
        if (a.rows() != a.cols()) {
            throw new ShapeMismatchException("a spectral density needs a square operator, but a is "
                    + ShapeMismatchException.shape(a.rows(), a.cols()) + " (" + a.describe() + ")");
        }
        if (probes < 1) {
            throw new IllegalArgumentException("probes must be at least 1, got " + probes);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        int p = a.rows();
        int s = Math.min(steps, p);
        Random rnd = new Random(seed);
        double[] allNodes = new double[probes * s];
        double[] allWeights = new double[probes * s];
        int count = 0;
        for (int probe = 0; probe < probes; probe++) {
            DenseVector v = DenseVector.zeros(p);
            double scale = 1 / Math.sqrt(p);
            for (int i = 0; i < p; i++) {
                v.set(i, rnd.nextBoolean() ? scale : -scale);
            }
            double[][] t = tridiagonal(a, v, s);
            int m = t.length;
            DenseMatrix tm = DenseMatrix.zeros(m, m);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    tm.set(i, j, t[i][j]);
                }
            }
            SymmetricEigen e = SymmetricEigen.of(tm);
            double[] theta = e.values();
            DenseMatrix u = e.vectors();
            for (int j = 0; j < m; j++) {
                allNodes[count] = theta[j];
                allWeights[count++] = u.get(0, j) * u.get(0, j) / probes;
            }
        }
        return new SpectralDensity(Arrays.copyOf(allNodes, count), Arrays.copyOf(allWeights, count), p);
    }

    /** Lanczos from the unit vector q1 with full reorthogonalisation: T (at most s×s, smaller if the space becomes invariant). */
    private static double[][] tridiagonal(LinearOperator a, DenseVector q1, int s) {
        int p = q1.length();
        DenseVector[] q = new DenseVector[s];
        double[] alpha = new double[s];
        double[] beta = new double[s];
        q[0] = q1.copy();
        DenseVector w = DenseVector.zeros(p);
        double norm = 0;
        int m = s;
        for (int j = 0; j < s; j++) {
            a.apply(q[j], w);
            alpha[j] = w.dot(q[j]);
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i <= j; i++) {
                    double c = w.dot(q[i]);
                    for (int r = 0; r < p; r++) {
                        w.set(r, w.get(r) - c * q[i].get(r));
                    }
                }
            }
            norm = Math.max(norm, Math.abs(alpha[j]) + (j > 0 ? beta[j - 1] : 0));
            if (j == s - 1) {
                break;
            }
            beta[j] = w.norm();
            if (beta[j] <= INVARIANCE * Math.max(norm, Double.MIN_NORMAL)) {
                m = j + 1;
                break;
            }
            q[j + 1] = DenseVector.zeros(p);
            for (int r = 0; r < p; r++) {
                q[j + 1].set(r, w.get(r) / beta[j]);
            }
        }
        double[][] t = new double[m][m];
        for (int j = 0; j < m; j++) {
            t[j][j] = alpha[j];
            if (j + 1 < m) {
                t[j][j + 1] = beta[j];
                t[j + 1][j] = beta[j];
            }
        }
        return t;
    }

    /** {@code tr f(A) ≈ P Σ_j w_j f(θ_j)}: e.g. f = log gives log det A, f = identity the trace. */
    public double trace(DoubleUnaryOperator f) {
        double sum = 0;
        for (int j = 0; j < nodes.length; j++) {
            sum += weights[j] * f.applyAsDouble(nodes[j]);
        }
        return dimension * sum;
    }

    /**
     * The density smoothed by a Gaussian kernel of standard deviation {@code width}, at each grid
     * point: {@code φ(t) = Σ_j w_j N(t; θ_j, width²)} (integrates to 1 over the real line).
     *
     * @throws IllegalArgumentException if width is not positive and finite
     */
    public double[] density(double[] grid, double width) {
        if (!(width > 0) || !Double.isFinite(width)) {
            throw new IllegalArgumentException("width must be a positive finite number, was " + width);
        }
        double[] out = new double[grid.length];
        double norm = 1 / (width * Math.sqrt(2 * Math.PI));
        for (int g = 0; g < grid.length; g++) {
            double sum = 0;
            for (int j = 0; j < nodes.length; j++) {
                double z = (grid[g] - nodes[j]) / width;
                sum += weights[j] * norm * Math.exp(-0.5 * z * z);
            }
            out[g] = sum;
        }
        return out;
    }
}
