package dev.kronograd.activations.builtin;

import dev.kronograd.activations.Activation;

/**
 * {@code selu} (Klambauer et al. 2017): σ(z) = λz for z &gt; 0, λα(e^z − 1) for z ≤ 0;
 * σ'(z) = λ or λα·e^z; σ''(z) = 0 or λα·e^z, with λ ≈ 1.0507009873554805 and
 * α ≈ 1.6732632423543772.
 *
 * <p>Kink at 0 (σ' jumps from λα to λ), where the z ≤ 0 branch is used: σ'(0) = σ''(0) = λα.
 */
public final class Selu implements Activation {
    /** λ = 1.0507009873554804934193349852946 rounded to double. */
    public static final double LAMBDA = 1.0507009873554804934193349852946;
    /** α = 1.6732632423543772848170429916717 rounded to double. */
    public static final double ALPHA = 1.6732632423543772848170429916717;
    /** λ·α, computed in 50 digits and then rounded (not the product of the rounded factors). */
    private static final double LAMBDA_ALPHA = 1.7580993408473768599402175208123;

    /** For {@link java.util.ServiceLoader}. */
    public Selu() {
    }

    @Override
    public String name() {
        return "selu";
    }

    @Override
    public double[] kinks() {
        return new double[] {0.0};
    }

    /** σ(z) = λz for z &gt; 0, λα·expm1(z) for z ≤ 0. */
    @Override
    public double value(double z) {
        return z > 0 ? LAMBDA * z : LAMBDA_ALPHA * Math.expm1(z);
    }

    /** σ'(z) = λ for z &gt; 0, λα·e^z for z ≤ 0. */
    @Override
    public double derivative(double z) {
        return z > 0 ? LAMBDA : LAMBDA_ALPHA * Math.exp(z);
    }

    /** σ''(z) = 0 for z &gt; 0, λα·e^z for z ≤ 0. */
    @Override
    public double secondDerivative(double z) {
        return z > 0 ? 0.0 : LAMBDA_ALPHA * Math.exp(z);
    }

    @Override
    public String toString() {
        return name();
    }
}
