package dev.kronograd.spark;

import dev.kronograd.core.DenseVector;

/**
 * The total loss L = Σ_s ℓ(f(x_s), y_s) over a data set, its gradient ∇_θ L (flat, laid out like
 * {@code Network.parameters()}: [vec W₁; b₁; …]) and the number of samples N. Divide both by N
 * for the mean.
 *
 * @param loss     Σ_s ℓ_s
 * @param gradient ∇_θ Σ_s ℓ_s
 * @param samples  N
 */
public record LossAndGradient(double loss, DenseVector gradient, long samples) {
    /** L / N (NaN when the data set is empty). */
    public double meanLoss() {
        return samples == 0 ? Double.NaN : loss / samples;
    }
}
