package dev.kronograd.sdk.nn;

import dev.kronograd.activations.Activation;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;

/**
 * One layer {@code σ(W x + b)} of a {@link Network}: W is outputs×inputs, b has length outputs.
 * Its parameters θ = [vec W; b] are a contiguous slice of the network's parameter vector, so
 * {@link #weights()} and {@link #bias()} are views (column-major W, no copy) and the gradient
 * has the same layout.
 */
public final class DenseLayer {
    private final int index;
    private final int inputs;
    private final int outputs;
    private final Activation activation;
    private final double[] parameters;
    private final int offset;

    DenseLayer(int index, int inputs, int outputs, Activation activation, double[] parameters, int offset) {
        this.index = index;
        this.inputs = inputs;
        this.outputs = outputs;
        this.activation = activation;
        this.parameters = parameters;
        this.offset = offset;
    }

    /** Position in the network, from 0. */
    public int index() {
        return index;
    }

    /** n: the input length. */
    public int inputs() {
        return inputs;
    }

    /** m: the output length. */
    public int outputs() {
        return outputs;
    }

    /** σ. */
    public Activation activation() {
        return activation;
    }

    /** W (m×n), a column-major view of the network's parameters. */
    public DenseMatrix weights() {
        return DenseMatrix.view(parameters, offset, outputs, inputs, Math.max(1, outputs));
    }

    /**
     * W̄ = [W, b] (m×(n+1)), a column-major view of θ_k = [vec W; b] = vec W̄: with X̄ = [X; 1ᵀ],
     * the pre-activation is one product Z = W̄ X̄.
     */
    public DenseMatrix weightsAndBias() {
        return DenseMatrix.view(parameters, offset, outputs, inputs + 1, Math.max(1, outputs));
    }

    /** b (length m), a view of the network's parameters. */
    public DenseVector bias() {
        return DenseVector.view(parameters, offset + outputs * inputs, outputs);
    }

    /** θ = [vec W; b] (length m·n + m), a view. */
    public DenseVector parameters() {
        return DenseVector.view(parameters, offset, parameterCount());
    }

    /** m·n + m. */
    public int parameterCount() {
        return outputs * inputs + outputs;
    }

    /** Where θ of this layer starts in the network's parameter vector. */
    public int parameterOffset() {
        return offset;
    }

    @Override
    public String toString() {
        return "dense " + outputs + "×" + inputs + " " + activation.name();
    }
}
