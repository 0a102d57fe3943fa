package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;

/**
 * The result of a gradient computation: the loss, the outputs, and ∇_θ L with the layout of θ,
 * so that layer k's {@code dW_k} and {@code db_k} are views of one vector.
 */
public final class Gradient {
    private final Network network;
    private final double loss;
    private final DenseMatrix outputs;
    private final DenseVector flat;

    Gradient(Network network, double loss, DenseMatrix outputs, DenseVector flat) {
        this.network = network;
        this.loss = loss;
        this.outputs = outputs;
        this.flat = flat;
    }

    /** L, summed over samples. */
    public double loss() {
        return loss;
    }

    /** The network's outputs, m_L×B. */
    public DenseMatrix outputs() {
        return outputs;
    }

    /** ∇_θ L, all layers. */
    public DenseVector flat() {
        return flat;
    }

    /** dW_k = Δ_k Ā_{k−1}ᵀ restricted to W (m_k×n_k), a view. */
    public DenseMatrix weights(int k) {
        DenseLayer l = network.layer(k);
        return flat.slice(l.parameterOffset(), l.outputs() * l.inputs()).unvec(l.outputs(), l.inputs());
    }

    /** db_k = Δ_k 1, a view. */
    public DenseVector bias(int k) {
        DenseLayer l = network.layer(k);
        return flat.slice(l.parameterOffset() + l.outputs() * l.inputs(), l.outputs());
    }

    /** ‖∇_θ L‖₂. */
    public double norm() {
        return flat.norm();
    }
}
