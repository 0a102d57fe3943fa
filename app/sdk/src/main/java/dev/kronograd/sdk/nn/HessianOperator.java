package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.Transpose;
import dev.kronograd.core.operator.LinearOperator;

/**
 * The exact Hessian {@code H = ∇²_θ L} of a network's loss over all parameters (P×P), symmetric.
 *
 * <p>Layer k's block ({@link #layer(int)}, (mn+m) × (mn+m)) is
 *
 * <pre>
 *   H_k = K_kᵀ M_k K_k = Σ_i (ā_i ā_iᵀ) ⊗ M_{k,i},   K_k = X̄_{k−1}ᵀ ⊗ I_m
 *   M_L = D_L ∇²ℓ D_L + diag(σ''_L ⊙ ∂L/∂A_L)
 *   M_k = D_k (I_B ⊗ W_{k+1})ᵀ M_{k+1} (I_B ⊗ W_{k+1}) D_k + diag(σ''_k ⊙ ∂L/∂A_k)
 * </pre>
 *
 * ({@link #preActivationCurvature(int)} is M_k, mB × mB). The network-wide product {@code H v}
 * ({@link #apply}) is Pearlmutter's R-operator, forward-over-reverse: one JVP pass and one
 * reverse pass with the σ'' and {@code V_kᵀ Δ_k} terms, {@code O(Σ_k B(m_k n_k + m_k²))}.
 *
 * <p>Closed-form statistics from the per-sample blocks, never the dense matrix: {@link #diagonal()}
 * and {@link #trace()} (and per layer {@link #layerDiagonal(int)}, {@link #layerTrace(int)}),
 * {@code diag(H_k) = Σ_i (ā_i ∘ ā_i) ⊗ diag(M_{k,i})}, {@code tr(H_k) = Σ_i ‖ā_i‖² tr(M_{k,i})}, and the
 * Frobenius norms of the whole matrix ({@link #frobeniusNorm()}, cross-layer blocks included)
 * and of a layer's diagonal block ({@link #layerFrobeniusNorm(int)}).
 *
 * <p>Immutable; valid while the network's parameters do not change. Take it from
 * {@link Curvature#hessian()}.
 */
public final class HessianOperator extends BackPropagatedCurvature {

    HessianOperator(Curvature at) {
        super(at);
    }

    /** M_k = core + diag(σ''_k ⊙ ∂L/∂A_k). */
    @Override
    LinearOperator withActivationCurvature(int k, LinearOperator core) {
        LayerEvaluation e = at.evals.get(k);
        DenseVector s = DenseVector.zeros(e.z.rows() * at.batch);
        at.la.mul(at.second[k].vec(), at.outputGradient[k].vec(), s);
        return at.ops.sum(core, at.ops.diagonal(s));
    }

    /** block += diag(σ''_k ⊙ ∂L/∂A_k) of sample {@code sample}. */
    @Override
    void addActivationCurvature(int k, int sample, DenseMatrix block) {
        for (int r = 0; r < block.rows(); r++) {
            block.set(r, r, block.get(r, r) + at.second[k].get(r, sample) * at.outputGradient[k].get(r, sample));
        }
    }

    /** ∂L/∂Z_l = Δ_l: the weight of the bilinear term W_l a_{l−1} in the cross-layer blocks. */
    @Override
    DenseMatrix bilinearTermWeights(int l) {
        return at.delta[l];
    }

    @Override
    void product(DenseVector v, DenseVector out) {
        Tangents t = forward(v);
        DenseMatrix[] zDot = t.zDot();
        DenseMatrix[] aDot = t.aDot();
        int layers = at.evals.size();
        // R{∂L/∂A_L} = ∇²ℓ Ȧ_L
        DenseMatrix rg = lossHessianTimes(aDot[layers - 1]);
        for (int k = layers - 1; k >= 0; k--) {
            LayerEvaluation e = at.evals.get(k);
            DenseLayer l = e.layer;
            int m = l.outputs();
            // R{Δ_k} = σ''_k ⊙ Ż_k ⊙ G_k + σ'_k ⊙ R{G_k}
            DenseMatrix rDelta = DenseMatrix.zeros(m, at.batch);
            e.sigmaPrime.apply(rg.vec(), rDelta.vec());
            DenseVector term = DenseVector.zeros(m * at.batch);
            at.la.mul(at.second[k].vec(), zDot[k].vec(), term);
            at.la.mul(term, at.outputGradient[k].vec(), term);
            at.la.axpy(1.0, term, rDelta.vec());
            DenseVector outK = out.slice(l.parameterOffset(), l.parameterCount());
            e.linear.applyTranspose(rDelta.vec(), outK);             // R{Δ_k} Ā_{k−1}ᵀ
            if (k > 0) {
                // + Δ_k R{Ā_{k−1}}ᵀ, with R{Ā} = [Ȧ_{k−1}; 0ᵀ]: only the W block changes.
                at.la.multiply(Transpose.N, Transpose.T, 1.0, at.delta[k], aDot[k - 1], 1.0,
                        outK.slice(0, m * l.inputs()).unvec(m, l.inputs()));
                // R{G_{k−1}} = W_kᵀ R{Δ_k} + V_kᵀ Δ_k
                DenseMatrix next = DenseMatrix.zeros(l.inputs(), at.batch);
                e.inputLinear.applyTranspose(rDelta.vec(), next.vec());
                DenseMatrix vW = v.slice(l.parameterOffset(), m * l.inputs()).unvec(m, l.inputs());
                at.la.multiply(Transpose.T, Transpose.N, 1.0, vW, at.delta[k], 1.0, next);
                rg = next;
            }
        }
    }

    @Override
    public String describe() {
        return "∇²L(" + rows() + ")";
    }
}
