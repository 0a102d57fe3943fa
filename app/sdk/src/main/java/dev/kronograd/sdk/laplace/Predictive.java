package dev.kronograd.sdk.laplace;

import dev.kronograd.core.DenseMatrix;

/**
 * The GLM (linearised) predictive of a {@link Laplace} approximation at new inputs: the network's
 * outputs f(x*) and their functional variance {@code diag(J* Λ⁻¹ J*ᵀ)}, observation noise not
 * added (for classification: of the logits, before any link function). Immutable (copies in and out).
 *
 * @param mean     f(x*), m × N* (one column per input)
 * @param variance the variance of each output, m × N*
 */
public record Predictive(DenseMatrix mean, DenseMatrix variance) {
    public Predictive {
        mean = mean.copy();
        variance = variance.copy();
    }

    @Override
    public DenseMatrix mean() {
        return mean.copy();
    }

    @Override
    public DenseMatrix variance() {
        return variance.copy();
    }
}
