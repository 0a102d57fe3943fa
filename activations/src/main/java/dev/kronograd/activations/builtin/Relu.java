package dev.kronograd.activations.builtin;

import dev.kronograd.activations.Activation;

/**
 * {@code relu}: σ(z) = max(z, 0); σ'(z) = 1 for z &gt; 0, 0 for z ≤ 0; σ''(z) = 0.
 *
 * <p>Kink at 0, where the z ≤ 0 branch is used: relu'(0) = 0 (as in PyTorch, TensorFlow, JAX).
 * σ'' = 0 everywhere, the a.e. derivative (the Dirac mass at 0 is not representable).
 */
public final class Relu implements Activation {

    /** For {@link java.util.ServiceLoader}. */
    public Relu() {
    }

    @Override
    public String name() {
        return "relu";
    }

    @Override
    public double[] kinks() {
        return new double[] {0.0};
    }

    /** σ(z) = max(z, 0); relu(−0.0) = +0.0. */
    @Override
    public double value(double z) {
        return Math.max(z, 0.0);
    }

    /** σ'(z) = 1 for z &gt; 0, 0 for z ≤ 0. */
    @Override
    public double derivative(double z) {
        return z > 0 ? 1.0 : z <= 0 ? 0.0 : z;
    }

    /** σ''(z) = 0. */
    @Override
    public double secondDerivative(double z) {
        return z == z ? 0.0 : z;
    }

    @Override
    public void values(double[] z, int zOff, double[] out, int outOff, int n) {
        Activation.checkRanges(z, zOff, out, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.max(z[zOff + i], 0.0);
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
