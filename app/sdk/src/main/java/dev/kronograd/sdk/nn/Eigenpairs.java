package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseVector;

import java.util.Arrays;

/**
 * The largest eigenvalues of a symmetric operator and their eigenvectors, from {@link Lanczos}.
 * Immutable: the arrays and vectors are copied in and out.
 *
 * @param values     the k largest eigenvalue estimates (Ritz values), largest algebraic first
 * @param vectors    the matching unit eigenvector estimates (Ritz vectors), each of length P
 * @param iterations the number of Lanczos iterations, i.e. operator products spent building the
 *                   Krylov basis (the k products that measure the residuals come on top)
 * @param residuals  {@code ‖A v_i − λ_i v_i‖} per pair, computed with one product each. For
 *                   symmetric A some eigenvalue of A lies within this distance of λ_i
 *                   (Bauer–Fike / Kahan), so it is an error bound for the value.
 */
public record Eigenpairs(double[] values, DenseVector[] vectors, int iterations, double[] residuals) {
    public Eigenpairs {
        if (values.length != vectors.length || values.length != residuals.length) {
            throw new IllegalArgumentException("values, vectors and residuals must have the same length, got "
                    + values.length + ", " + vectors.length + " and " + residuals.length);
        }
        values = values.clone();
        vectors = copy(vectors);
        residuals = residuals.clone();
    }

    /** The number of pairs, k. */
    public int count() {
        return values.length;
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public DenseVector[] vectors() {
        return copy(vectors);
    }

    @Override
    public double[] residuals() {
        return residuals.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Eigenpairs e && iterations == e.iterations && Arrays.equals(values, e.values)
                && Arrays.equals(residuals, e.residuals) && Arrays.deepEquals(arrays(vectors), arrays(e.vectors));
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(values) + Arrays.hashCode(residuals)) + iterations;
    }

    @Override
    public String toString() {
        return "Eigenpairs[values=" + Arrays.toString(values) + ", iterations=" + iterations
                + ", residuals=" + Arrays.toString(residuals) + "]";
    }

    private static DenseVector[] copy(DenseVector[] vectors) {
        DenseVector[] out = new DenseVector[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            out[i] = vectors[i].copy();
        }
        return out;
    }

    private static double[][] arrays(DenseVector[] vectors) {
        double[][] out = new double[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            out[i] = vectors[i].toArray();
        }
        return out;
    }
}
