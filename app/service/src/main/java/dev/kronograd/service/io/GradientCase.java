package dev.kronograd.service.io;

import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.Gradient;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.core.DenseMatrix;

import java.util.Objects;

/**
 * A validated gradient case (docs/case-format.md): a network with its parameters, a batch of inputs,
 * a loss and one target per input. Shapes agree by construction when it comes from
 * {@link CaseReader}: X is n×B with n the first layer's input length, Y is m×B with m the last
 * layer's output length, one column per sample.
 *
 * @param network the network, its parameters set from the case
 * @param inputs  X (n×B), sample s in column s
 * @param loss    the loss, summed over samples
 * @param targets Y (m×B), the target of sample s in column s
 */
public record GradientCase(Network network, DenseMatrix inputs, Loss loss, DenseMatrix targets) {

    /** Checks that no component is null. */
    public GradientCase {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(targets, "targets");
    }

    /** B: the number of samples. */
    public int batchSize() {
        return inputs.cols();
    }

    /** L = Σ_s ℓ(f(x_s), y_s) and ∇_θ L, computed now, in new buffers. */
    public Gradient gradient() {
        return network.gradient(inputs, loss, targets);
    }
}
