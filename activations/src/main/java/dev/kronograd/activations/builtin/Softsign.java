package dev.kronograd.activations.builtin;

import dev.kronograd.activations.Activation;

/**
 * {@code softsign}: σ(z) = z / (1 + |z|), σ'(z) = 1 / (1 + |z|)², σ''(z) = −2·sign(z) / (1 + |z|)³.
 *
 * <p>σ'' jumps from +2 to −2 at the kink 0, where the z ≤ 0 branch is used: σ''(0) = 2.
 * σ(±∞) = ±1.
 */
public final class Softsign implements Activation {

    /** For {@link java.util.ServiceLoader}. */
    public Softsign() {
    }

    @Override
    public String name() {
        return "softsign";
    }

    @Override
    public double[] kinks() {
        return new double[] {0.0};
    }

    /** σ(z) = z / (1 + |z|). */
    @Override
    public double value(double z) {
        return Double.isInfinite(z) ? Math.signum(z) : z / (1 + Math.abs(z));
    }

    /** σ'(z) = 1 / (1 + |z|)². */
    @Override
    public double derivative(double z) {
        double p = 1 + Math.abs(z);
        return 1 / (p * p);
    }

    /** σ''(z) = −2 / (1 + |z|)³ for z &gt; 0, +2 / (1 + |z|)³ for z ≤ 0. */
    @Override
    public double secondDerivative(double z) {
        double p = 1 + Math.abs(z);
        double s = 2 / (p * p * p);
        return z > 0 ? -s : s;
    }

    @Override
    public String toString() {
        return name();
    }
}
