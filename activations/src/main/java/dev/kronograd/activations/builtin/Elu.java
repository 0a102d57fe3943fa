package dev.kronograd.activations.builtin;

import dev.kronograd.activations.Activation;

/**
 * {@code elu} with α = 1: σ(z) = z for z &gt; 0, e^z − 1 for z ≤ 0;
 * σ'(z) = 1 or e^z; σ''(z) = 0 or e^z.
 *
 * <p>With α = 1, σ' is continuous (σ'(0) = 1 from both sides) but σ'' jumps from 1 to 0 at the
 * kink 0, where the z ≤ 0 branch is used: σ''(0) = 1. e^z − 1 is computed with
 * {@link Math#expm1} (no cancellation near 0).
 */
public final class Elu implements Activation {

    /** For {@link java.util.ServiceLoader}. */
    public Elu() {
    }

    @Override
    public String name() {
        return "elu";
    }

    @Override
    public double[] kinks() {
        return new double[] {0.0};
    }

    /** σ(z) = z for z &gt; 0, expm1(z) for z ≤ 0. */
    @Override
    public double value(double z) {
        return z > 0 ? z : Math.expm1(z);
    }

    /** σ'(z) = 1 for z &gt; 0, e^z for z ≤ 0. */
    @Override
    public double derivative(double z) {
        return z > 0 ? 1.0 : Math.exp(z);
    }

    /** σ''(z) = 0 for z &gt; 0, e^z for z ≤ 0. */
    @Override
    public double secondDerivative(double z) {
        return z > 0 ? 0.0 : Math.exp(z);
    }

    @Override
    public String toString() {
        return name();
    }
}
