package dev.kronograd.benchmarks;

import dev.kronograd.core.DenseVector;
import dev.kronograd.sdk.nn.Curvature;
import dev.kronograd.sdk.nn.CurvatureOperator;
import dev.kronograd.sdk.nn.GgnOperator;
import dev.kronograd.sdk.nn.HessianOperator;

/**
 * The exact Hessian or GGN of a {@link Curvature} behind one type, so that a benchmark can take
 * either as a JMH parameter (their shared base class is not public).
 */
interface ExactCurvature {

    /** The operator, for products (Hutchinson). */
    CurvatureOperator operator();

    /** The diagonal of the whole matrix. */
    DenseVector diagonal();

    /** Layer k's diagonal. */
    DenseVector layerDiagonal(int k);

    /** The trace of the whole matrix. */
    double trace();

    /** The Frobenius norm of the whole matrix. */
    double frobeniusNorm();

    /**
     * {@code hessian} or {@code ggn} of {@code c}.
     *
     * @throws IllegalArgumentException for any other name
     */
    static ExactCurvature of(Curvature c, String name) {
        return switch (name) {
            case "hessian" -> hessian(c.hessian());
            case "ggn" -> ggn(c.ggn());
            default -> throw new IllegalArgumentException("curvature must be hessian or ggn, got " + name);
        };
    }

    private static ExactCurvature hessian(HessianOperator h) {
        return new ExactCurvature() {
            @Override public CurvatureOperator operator() { return h; }
            @Override public DenseVector diagonal() { return h.diagonal(); }
            @Override public DenseVector layerDiagonal(int k) { return h.layerDiagonal(k); }
            @Override public double trace() { return h.trace(); }
            @Override public double frobeniusNorm() { return h.frobeniusNorm(); }
        };
    }

    private static ExactCurvature ggn(GgnOperator g) {
        return new ExactCurvature() {
            @Override public CurvatureOperator operator() { return g; }
            @Override public DenseVector diagonal() { return g.diagonal(); }
            @Override public DenseVector layerDiagonal(int k) { return g.layerDiagonal(k); }
            @Override public double trace() { return g.trace(); }
            @Override public double frobeniusNorm() { return g.frobeniusNorm(); }
        };
    }
}
