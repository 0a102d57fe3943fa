package dev.kronograd.app.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.operator.BlockOperator;
import dev.kronograd.core.operator.DiagonalOperator;
import dev.kronograd.core.operator.KroneckerOperator;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.Operators;

/**
 * One layer evaluated on a batch X (n×B): the pre-activation Z = W X + b 1ᵀ, the output
 * A = σ(Z), σ'(Z), and the layer's derivatives as structured operators:
 *
 * <pre>
 *   parameter Jacobian  J_θ = diag(σ'(vec Z)) (X̄ᵀ ⊗ I_m) = diag(σ'(vec Z)) [Xᵀ ⊗ I_m, 1_B ⊗ I_m]   (mB × (mn+m))
 *   input Jacobian      J_x = diag(σ'(vec Z)) (I_B ⊗ W)                                           (mB × nB)
 * </pre>
 *
 * A view into a {@link BatchWorkspace}: valid until the workspace evaluates another batch.
 */
public final class LayerEvaluation {
    final DenseLayer layer;
    final DenseMatrix input;       // A_{k-1}: n×B (a workspace buffer)
    final DenseMatrix z;           // m×B
    final DenseMatrix output;      // m×B
    final DenseMatrix derivative;  // σ'(Z), m×B
    final DenseMatrix upstream;    // ∂L/∂A_k, then Δ_k = σ'(Z) ⊙ ∂L/∂A_k, m×B
    final DenseVector upstreamVec; // vec(upstream), made once: the hot path allocates no views
    final DenseMatrix weights;     // W (m×n), a view of the network's θ
    final DenseVector bias;        // b (length m), a view of the network's θ
    final DiagonalOperator sigmaPrime;
    final BlockOperator linear;    // X̄ᵀ ⊗ I_m as [Xᵀ ⊗ I_m, 1_B ⊗ I_m]
    final KroneckerOperator inputLinear; // I_B ⊗ W
    private final Operators ops;

    LayerEvaluation(Operators ops, DenseLayer layer, DenseMatrix input, DenseVector ones) {
        this.ops = ops;
        this.layer = layer;
        this.input = input;
        int m = layer.outputs();
        int batch = input.cols();
        this.z = DenseMatrix.zeros(m, batch);
        this.output = DenseMatrix.zeros(m, batch);
        this.derivative = DenseMatrix.zeros(m, batch);
        this.upstream = DenseMatrix.zeros(m, batch);
        this.upstreamVec = upstream.vec();
        this.weights = layer.weights();
        this.bias = layer.bias();
        this.sigmaPrime = ops.diagonal(derivative.vec());
        this.linear = ops.horizontal(ops.kronecker(ops.denseTranspose(input), ops.identity(m)),
                ops.kronecker(ops.columnVector(ones), ops.identity(m)));
        this.inputLinear = ops.kronecker(ops.identity(batch), ops.dense(weights));
    }

    /** The layer. */
    public DenseLayer layer() {
        return layer;
    }

    /** X (n×B), the layer's input. */
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

    /** The linear part X̄ᵀ ⊗ I_m = [Xᵀ ⊗ I_m, 1_B ⊗ I_m] (mB × (mn+m)). */
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

    /** J_θᵀ u = [vec(Δ Xᵀ); Δ 1] with Δ = σ'(Z) ⊙ unvec(u): a VJP. */
    public DenseVector vjp(DenseVector outputCotangent) {
        return parameterJacobian().applyTranspose(outputCotangent);
    }
}
