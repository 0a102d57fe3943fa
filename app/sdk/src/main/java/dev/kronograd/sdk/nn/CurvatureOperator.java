package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseVector;
import dev.kronograd.core.operator.LinearOperator;

/**
 * A curvature matrix of a network's loss over all its parameters θ = [θ_0; θ_1; …] (P×P), as a
 * symmetric operator with one diagonal block per layer. One type per curvature, each computing
 * its own maths: {@link HessianOperator} (∇²_θ L), {@link GgnOperator} (J_θᵀ ∇²ℓ J_θ) and
 * {@link KfacOperator} (⊕_k A_k ⊗ G_k); take them from a {@link Curvature}.
 *
 * <p>Contract: the matrix is symmetric (self-adjoint), so {@code applyTranspose(u, out)} is
 * {@code apply(u, out)} and {@link #transpose()} is the operator itself; {@code layer(k)} is the
 * diagonal block of θ_k ((m_k n_k + m_k)² entries, {@code θ_k = vec W̄_k = [vec W_k; b_k]}).
 * Anything that only needs products (CG, Lanczos, trace estimators such as {@link TraceEstimator})
 * can take any implementation.
 */
public interface CurvatureOperator extends LinearOperator {

    /** Number of layers: the diagonal blocks. */
    int layers();

    /**
     * The diagonal block of layer k's parameters θ_k, an (m_k n_k + m_k)-square symmetric operator.
     *
     * @throws IndexOutOfBoundsException if the network has no layer k
     */
    LinearOperator layer(int k);

    /** {@code out = Aᵀ u = A u}: the matrix is symmetric. */
    @Override
    default void applyTranspose(DenseVector u, DenseVector out) {
        apply(u, out);
    }

    /** The operator itself: the matrix is symmetric. */
    @Override
    default CurvatureOperator transpose() {
        return this;
    }
}
