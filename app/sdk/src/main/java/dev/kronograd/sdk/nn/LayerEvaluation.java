package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.operator.DiagonalOperator;
import dev.kronograd.core.operator.KroneckerOperator;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.Operators;

/**
 * One layer evaluated on a batch X (n×B): the pre-activation Z = W X + b 1ᵀ = W̄ X̄ with
 * W̄ = [W, b] and X̄ = [X; 1ᵀ], the output A = σ(Z), σ'(Z), and the layer's derivatives as
 * structured operators:
 *
 * <pre>
 *   parameter Jacobian  J_θ = diag(σ'(vec Z)) (X̄ᵀ ⊗ I_m)      (mB × (mn+m)),  θ = vec W̄ = [vec W; b]
 *   input Jacobian      J_x = diag(σ'(vec Z)) (I_B ⊗ W)       (mB × nB)
 * </pre>
 *
 * X̄ is stored, not formed: the workspace keeps each layer's input in an (n+1)×B buffer whose
 * last row is ones, so Z = W̄ X̄ and the gradient's [dW, db] = Δ X̄ᵀ are one GEMM each.
 *
 * A view into a {@link BatchWorkspace}: valid until the workspace evaluates another batch.
 */
public final class LayerEvaluation {
    final DenseLayer layer;
    final DenseMatrix inputBar;    // X̄ = [A_{k-1}; 1ᵀ]: (n+1)×B (a workspace buffer)
    final DenseMatrix input;       // A_{k-1}: n×B, the first n rows of X̄
    final DenseMatrix z;           // m×B
    final DenseMatrix output;      // m×B; for all but the last layer, the first m rows of the next layer's X̄
    final DenseMatrix derivative;  // σ'(Z), m×B
    final DenseMatrix upstream;    // ∂L/∂A_k, then Δ_k = σ'(Z) ⊙ ∂L/∂A_k, m×B
    final DenseVector upstreamVec; // vec(upstream), made once: the hot path allocates no views
    final DenseMatrix weights;     // W (m×n), a view of the network's θ
    final DenseMatrix weightsBar;  // W̄ = [W, b] (m×(n+1)), a view of the network's θ
    final DiagonalOperator sigmaPrime;
    final KroneckerOperator linear; // X̄ᵀ ⊗ I_m
    final KroneckerOperator inputLinear; // I_B ⊗ W
    private final Operators ops;

    /**
     * @param inputBar X̄, (n+1)×B with a last row of ones
     * @param outputBar where A goes: null for a compact m×B buffer (the last layer), else the next
     *                  layer's X̄ ((m+1)×B, last row ones)
     */
    LayerEvaluation(Operators ops, DenseLayer layer, DenseMatrix inputBar, DenseMatrix outputBar) {
        this.ops = ops;
        this.layer = layer;
        int n = layer.inputs();
        int m = layer.outputs();
        int batch = inputBar.cols();
        this.inputBar = inputBar;
        this.input = inputBar.block(0, 0, n, batch);
        this.z = DenseMatrix.zeros(m, batch);
        this.output = outputBar == null ? DenseMatrix.zeros(m, batch) : outputBar.block(0, 0, m, batch);
        this.derivative = DenseMatrix.zeros(m, batch);
        this.upstream = DenseMatrix.zeros(m, batch);
        this.upstreamVec = upstream.vec();
        this.weights = layer.weights();
        this.weightsBar = layer.weightsAndBias();
        this.sigmaPrime = ops.diagonal(derivative.vec());
        this.linear = ops.kronecker(ops.denseTranspose(inputBar), ops.identity(m));
        this.inputLinear = ops.kronecker(ops.identity(batch), ops.dense(weights));
    }

    /**
     * A = σ(Z) and σ'(Z) on columns [first, end): one bulk call of the activation when A is compact
     * (the last layer), else one per column (A's columns are strided by the next layer's ones row).
     */
    void activate(int first, int end) {
        int m = z.rows();
        double[] zd = z.data();
        double[] ad = output.data();
        double[] dd = derivative.data();
        int ld = output.ld();
        if (ld == m || end - first == 1) {
            layer.activation().valuesAndDerivatives(zd, first * m, ad, output.offset() + first * ld, dd, first * m, (end - first) * m);
            return;
        }
        for (int s = first; s < end; s++) {
            layer.activation().valuesAndDerivatives(zd, s * m, ad, output.offset() + s * ld, dd, s * m, m);
        }
    }

    /**
     * Δ = diag(σ'(vec Z)) vec G on columns [first, end), in place in the upstream buffer: the
     * diagonal operator {@link #sigmaPrime} applied to a contiguous range of its rows.
     */
    void delta(LinearAlgebra la, int first, int end) {
        int m = z.rows();
        la.mul((end - first) * m, derivative.data(), first * m, upstream.data(), first * m, upstream.data(), first * m);
    }

    /** The layer. */
    public DenseLayer layer() {
        return layer;
    }

    /** X (n×B), the layer's input (a view: the first n rows of the workspace's X̄ buffer, ld n+1). */
    public DenseMatrix input() {
        return input;
    }

    /** Z = W X + b 1ᵀ (m×B). */
    public DenseMatrix preActivation() {
        return z;
    }

    /** A = σ(Z) (m×B). */
    public DenseMatrix output() {
        return output;
    }

    /** σ'(Z) (m×B). */
    public DenseMatrix activationDerivative() {
        return derivative;
    }

    /** J_θ = diag(σ'(vec Z)) (X̄ᵀ ⊗ I_m), as a structured operator (mB × (mn+m)). */
    public LinearOperator parameterJacobian() {
        return ops.compose(sigmaPrime, linear);
    }

    /** The linear part X̄ᵀ ⊗ I_m (mB × (mn+m)), X̄ = [X; 1ᵀ]. */
    public LinearOperator linearPart() {
        return linear;
    }

    /** J_x = diag(σ'(vec Z)) (I_B ⊗ W) (mB × nB); for one sample, diag(σ') W. */
    public LinearOperator inputJacobian() {
        return ops.compose(sigmaPrime, inputLinear);
    }

    /** J_θ [vec V; c] = vec(σ'(Z) ⊙ (V X + c 1ᵀ)): a JVP along a parameter direction. */
    public DenseVector jvp(DenseVector parameterTangent) {
        return parameterJacobian().apply(parameterTangent);
    }

    /** J_θᵀ u = vec(Δ X̄ᵀ) = [vec(Δ Xᵀ); Δ 1] with Δ = σ'(Z) ⊙ unvec(u): a VJP. */
    public DenseVector vjp(DenseVector outputCotangent) {
        return parameterJacobian().applyTranspose(outputCotangent);
    }
}
