package dev.kronograd.activations.builtin;

import dev.kronograd.activations.Activation;

/**
 * {@code leaky-relu} with slope 0.01: σ(z) = z for z &gt; 0, 0.01·z for z ≤ 0;
 * σ'(z) = 1 or 0.01; σ''(z) = 0.
 *
 * <p>Kink at 0, where the z ≤ 0 branch is used: σ'(0) = 0.01.
 */
public final class LeakyRelu implements Activation {
    /** The slope for z ≤ 0. */
    public static final double NEGATIVE_SLOPE = 0.01;

    /** For {@link java.util.ServiceLoader}. */
    public LeakyRelu() {
    }

    @Override
    public String name() {
        return "leaky-relu";
    }

    @Override
    public double[] kinks() {
        return new double[] {0.0};
    }

    /** σ(z) = z for z &gt; 0, 0.01·z for z ≤ 0. */
    @Override
    public double value(double z) {
        return z > 0 ? z : NEGATIVE_SLOPE * z;
    }

    /** σ'(z) = 1 for z &gt; 0, 0.01 for z ≤ 0. */
    @Override
    public double derivative(double z) {
        return z > 0 ? 1.0 : z <= 0 ? NEGATIVE_SLOPE : z;
    }

    /** σ''(z) = 0. */
    @Override
    public double secondDerivative(double z) {
        return z == z ? 0.0 : z;
    }

    @Override
    public String toString() {
        return name();
    }
}
