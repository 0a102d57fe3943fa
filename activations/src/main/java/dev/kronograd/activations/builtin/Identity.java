package dev.kronograd.activations.builtin;

import dev.kronograd.activations.Activation;

/**
 * {@code identity}: σ(z) = z, σ'(z) = 1, σ''(z) = 0 (a linear layer). NaN gives NaN for all three.
 */
public final class Identity implements Activation {

    /** For {@link java.util.ServiceLoader}. */
    public Identity() {
    }

    @Override
    public String name() {
        return "identity";
    }

    /** σ(z) = z. */
    @Override
    public double value(double z) {
        return z;
    }

    /** σ'(z) = 1. */
    @Override
    public double derivative(double z) {
        return z == z ? 1.0 : z;
    }

    /** σ''(z) = 0. */
    @Override
    public double secondDerivative(double z) {
        return z == z ? 0.0 : z;
    }

    @Override
    public void values(double[] z, int zOff, double[] out, int outOff, int n) {
        Activation.checkRanges(z, zOff, out, outOff, n);
        System.arraycopy(z, zOff, out, outOff, n);
    }

    @Override
    public String toString() {
        return name();
    }
}
