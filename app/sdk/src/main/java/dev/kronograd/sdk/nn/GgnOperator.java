package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.operator.LinearOperator;

/**
 * The generalised Gauss–Newton matrix {@code G = J_θᵀ ∇²ℓ J_θ} of a network's loss over all
 * parameters (P×P; J_θ is the Jacobian of the outputs, (m_L B) × P), symmetric and positive
 * semi-definite when the loss is convex in the outputs (squared error, softmax cross-entropy).
 *
 * <p>It is the Hessian without the activations' curvature: layer k's block ({@link #layer(int)})
 * is
 *
 * <pre>
 *   G_k = K_kᵀ M̃_k K_k = Σ_i (ā_i ā_iᵀ) ⊗ M̃_{k,i},   K_k = X̄_{k−1}ᵀ ⊗ I_m
 *   M̃_L = D_L ∇²ℓ D_L
 *   M̃_k = D_k (I_B ⊗ W_{k+1})ᵀ M̃_{k+1} (I_B ⊗ W_{k+1}) D_k
 * </pre>
 *
 * ({@link #preActivationCurvature(int)} is M̃_k, mB × mB). The network-wide product {@code G v}
 * ({@link #apply}) is a JVP, the loss Hessian and a VJP.
 *
 * <p>Closed-form statistics from the per-sample blocks, never the dense matrix: {@link #diagonal()}
 * and {@link #trace()} (and per layer {@link #layerDiagonal(int)}, {@link #layerTrace(int)}),
 * {@code diag(G_k) = Σ_i (ā_i ∘ ā_i) ⊗ diag(M_{k,i})}, {@code tr(G_k) = Σ_i ‖ā_i‖² tr(M_{k,i})}, and the
 * Frobenius norms of the whole matrix ({@link #frobeniusNorm()}, cross-layer blocks included)
 * and of a layer's diagonal block ({@link #layerFrobeniusNorm(int)}).
 *
 * <p>Immutable; valid while the network's parameters do not change. Take it from
 * {@link Curvature#ggn()}.
 */
public final class GgnOperator extends BackPropagatedCurvature {

    GgnOperator(Curvature at) {
        super(at);
    }

    /** M̃_k has no activation-curvature term. */
    @Override
    LinearOperator withActivationCurvature(int k, LinearOperator core) {
        return core;
    }

    /** The GGN has no activation-curvature term: the block is left as it is. */
    @Override
    void addActivationCurvature(int k, int sample, DenseMatrix block) {
    }

    /** Zero: the GGN linearises the network, so the bilinear W_l a_{l−1} adds no curvature. */
    @Override
    DenseMatrix bilinearTermWeights(int l) {
        return DenseMatrix.zeros(at.evals.get(l).layer.outputs(), at.batch);
    }

    @Override
    void product(DenseVector v, DenseVector out) {
        DenseMatrix[] aDot = forward(v).aDot();
        int layers = at.evals.size();
        // u = ∇²ℓ J v, then Jᵀ u by the reverse pass: Δ_k = σ'_k ⊙ U_k, U_{k−1} = W_kᵀ Δ_k
        DenseMatrix u = lossHessianTimes(aDot[layers - 1]);
        for (int k = layers - 1; k >= 0; k--) {
            LayerEvaluation e = at.evals.get(k);
            DenseLayer l = e.layer;
            DenseMatrix d = DenseMatrix.zeros(l.outputs(), at.batch);
            e.sigmaPrime.apply(u.vec(), d.vec());
            e.linear.applyTranspose(d.vec(), out.slice(l.parameterOffset(), l.parameterCount()));  // Δ_k Ā_{k−1}ᵀ
            if (k > 0) {
                DenseMatrix next = DenseMatrix.zeros(l.inputs(), at.batch);
                e.inputLinear.applyTranspose(d.vec(), next.vec());
                u = next;
            }
        }
    }

    @Override
    public String describe() {
        return "Jᵀ∇²ℓJ(" + rows() + ")";
    }
}
