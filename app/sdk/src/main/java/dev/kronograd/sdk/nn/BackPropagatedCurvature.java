package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.ShapeMismatchException;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.MaterializationLimit;
import dev.kronograd.core.operator.SparseMatrix;

import java.util.ArrayList;
import java.util.List;

/**
 * What the exact Hessian and the GGN share: both are {@code K_kᵀ M_k K_k} on layer k's block,
 * with the pre-activation curvature M_k back-propagated from the loss,
 *
 * <pre>
 *   M_L = D_L ∇²ℓ D_L + S_L
 *   M_k = D_k (I_B ⊗ W_{k+1})ᵀ M_{k+1} (I_B ⊗ W_{k+1}) D_k + S_k
 * </pre>
 *
 * where the subclass supplies S_k through {@link #withActivationCurvature} (the Hessian's
 * {@code diag(σ''_k ⊙ ∂L/∂A_k)}, nothing for the GGN) and the network-wide product through
 * {@link #product}. Template method: {@link #apply} checks the lengths once, then calls the kernel.
 */
abstract class BackPropagatedCurvature implements CurvatureOperator {
    final Curvature at;

    BackPropagatedCurvature(Curvature at) {
        this.at = at;
    }

    /** M_k with its activation-curvature term S_k added (or not). */
    abstract LinearOperator withActivationCurvature(int k, LinearOperator core);

    /** {@code out = C v} over the whole θ; lengths are checked, out is zero. */
    abstract void product(DenseVector v, DenseVector out);

    @Override
    public final int layers() {
        return at.evals.size();
    }

    /**
     * The curvature of the loss with respect to layer k's pre-activation vec Z_k: M_k (mB × mB,
     * block diagonal over samples, blocks M_{k,i}), composed from σ'_k, W_{k+1} and M_{k+1}.
     *
     * @throws IndexOutOfBoundsException if the network has no layer k
     */
    public final LinearOperator preActivationCurvature(int k) {
        LayerEvaluation e = at.evals.get(at.checkLayer(k));
        LinearOperator core;
        if (k == at.evals.size() - 1) {
            core = at.ops.compose(e.sigmaPrime, at.lossHessian, e.sigmaPrime);
        } else {
            LayerEvaluation next = at.evals.get(k + 1);
            core = at.ops.compose(e.sigmaPrime, next.inputLinear.transpose(), preActivationCurvature(k + 1), next.inputLinear,
                    e.sigmaPrime);
        }
        return withActivationCurvature(k, core);
    }

    /**
     * Layer k's block {@code K_kᵀ M_k K_k}, {@code K_k = X̄_{k−1}ᵀ ⊗ I_m}: ((mn+m) × (mn+m)),
     * matrix-free; a product costs {@code O(B(mn + m²))} plus the M_k products.
     */
    @Override
    public final LinearOperator layer(int k) {
        LayerEvaluation e = at.evals.get(at.checkLayer(k));
        return at.ops.compose(e.linear.transpose(), preActivationCurvature(k), e.linear);
    }

    /**
     * Layer k's block written out as the sum of Kronecker products {@code Σ_i (ā_i ā_iᵀ) ⊗ M_{k,i}}
     * ((n+1)² ⊗ m² per term), with each m×m block M_{k,i} materialised (m_k² B doubles): for
     * inspection and small cases. Equal to {@link #layer(int)}.
     */
    public final LinearOperator layerKroneckerSum(int k) {
        LayerEvaluation e = at.evals.get(at.checkLayer(k));
        int m = e.layer.outputs();
        int n = e.layer.inputs();
        List<DenseMatrix> blocks = at.sampleBlocks(preActivationCurvature(k), m);
        List<LinearOperator> terms = new ArrayList<>();
        for (int s = 0; s < at.batch; s++) {
            DenseVector aBar = DenseVector.zeros(n + 1);
            aBar.slice(0, n).setFrom(e.input.column(s));
            aBar.set(n, 1.0);
            LinearOperator outer = at.ops.compose(at.ops.columnVector(aBar), at.ops.rowVector(aBar));
            terms.add(at.ops.kronecker(outer, at.ops.dense(blocks.get(s))));
        }
        return at.ops.sum(terms.toArray(new LinearOperator[0]));
    }

    @Override
    public final int rows() {
        return at.net.parameterCount();
    }

    @Override
    public final int cols() {
        return at.net.parameterCount();
    }

    /**
     * {@code out = C v} for the whole network's θ. v: length P, not modified. out: length P,
     * overwritten.
     */
    @Override
    public final void apply(DenseVector v, DenseVector out) {
        ShapeMismatchException.requireLength("vector", v.length(), "the network's θ", rows());
        LinearOperator.checkApply(this, v, out);
        out.fill(0.0);
        product(v, out);
    }

    /** Dense: P² (the full matrix couples every pair of layers). */
    @Override
    public final long nonZeros() {
        return MaterializationLimit.saturatingMultiply(rows(), cols());
    }

    /** P: a product holds vectors of θ's length, never the matrix. */
    @Override
    public final long storedDoubles() {
        return rows();
    }

    @Override
    public final SparseMatrix toSparse(MaterializationLimit limit) {
        return Curvature.fullSparse(this, limit);
    }

    /** The R-forward (JVP) of v: Ż_k = V_k Ā_{k−1} + c_k 1ᵀ + W_k Ȧ_{k−1}, Ȧ_k = σ'_k ⊙ Ż_k. */
    final Tangents forward(DenseVector v) {
        int layers = at.evals.size();
        DenseMatrix[] zDot = new DenseMatrix[layers];
        DenseMatrix[] aDot = new DenseMatrix[layers];
        for (int k = 0; k < layers; k++) {
            LayerEvaluation e = at.evals.get(k);
            DenseLayer l = e.layer;
            zDot[k] = DenseMatrix.zeros(l.outputs(), at.batch);
            e.linear.apply(v.slice(l.parameterOffset(), l.parameterCount()), zDot[k].vec());
            if (k > 0) {
                DenseVector through = e.inputLinear.apply(aDot[k - 1].vec());
                at.la.axpy(1.0, through, zDot[k].vec());
            }
            aDot[k] = DenseMatrix.zeros(l.outputs(), at.batch);
            e.sigmaPrime.apply(zDot[k].vec(), aDot[k].vec());
        }
        return new Tangents(zDot, aDot);
    }

    /** ∇²ℓ Ȧ_L: the loss Hessian applied to the output's tangent (m_L × B). */
    final DenseMatrix lossHessianTimes(DenseMatrix outputTangent) {
        DenseMatrix rg = DenseMatrix.zeros(at.net.outputs(), at.batch);
        at.lossHessian.apply(outputTangent.vec(), rg.vec());
        return rg;
    }

    /** Tangents of the forward pass along v: Ż_k and Ȧ_k, each m_k × B. */
    record Tangents(DenseMatrix[] zDot, DenseMatrix[] aDot) {
    }
}
