package dev.kronograd.activations.builtin;

import dev.kronograd.activations.Activation;

/**
 * {@code tanh}: σ(z) = tanh z, σ'(z) = sech² z = 1 − tanh² z, σ''(z) = −2·tanh z·sech² z.
 *
 * <p>For |z| ≤ ½, t = tanh z comes from {@link Math#tanh} and σ' = (1 − t)(1 + t), which does not
 * cancel there (|t| ≤ 0.47). For |z| &gt; ½ both come from one e = e^{−2|z|}:
 * tanh|z| = (1 − e)/(1 + e) and σ' = 4e/(1 + e)², so σ' keeps full relative accuracy where tanh
 * saturates (1 − t² would return 0 from |z| ≈ 19 on). tanh'(±700) ≈ 4e^{−1400} underflows to 0.
 */
public final class Tanh implements Activation {
    /** Up to this |z| the forward value is reused for σ' without cancellation. */
    private static final double SMALL = 0.5;

    /** For {@link java.util.ServiceLoader}. */
    public Tanh() {
    }

    @Override
    public String name() {
        return "tanh";
    }

    /** σ(z) = tanh z. */
    @Override
    public double value(double z) {
        if (Math.abs(z) <= SMALL) {
            return Math.tanh(z);
        }
        double e = Math.exp(-2 * Math.abs(z));
        return Math.copySign((1 - e) / (1 + e), z);
    }

    /** σ'(z) = sech² z. */
    @Override
    public double derivative(double z) {
        if (Math.abs(z) <= SMALL) {
            double t = Math.tanh(z);
            return (1 - t) * (1 + t);
        }
        double e = Math.exp(-2 * Math.abs(z));
        double p = 1 + e;
        return 4 * e / (p * p);
    }

    /** σ''(z) = −2·tanh z·sech² z. */
    @Override
    public double secondDerivative(double z) {
        return -2 * value(z) * derivative(z);
    }

    /**
     * One transcendental per element for both: σ' = (1 − t)(1 + t) reuses t = tanh z for
     * |z| ≤ ½; beyond, σ and σ' share e = e^{−2|z|}.
     */
    @Override
    public void valuesAndDerivatives(double[] z, int zOff, double[] value, int valueOff,
                                     double[] deriv, int derivOff, int n) {
        Activation.checkRanges(z, zOff, value, valueOff, n);
        Activation.checkRanges(z, zOff, deriv, derivOff, n);
        for (int i = 0; i < n; i++) {
            double zi = z[zOff + i];
            double v;
            double d;
            if (Math.abs(zi) <= SMALL) {
                v = Math.tanh(zi);
                d = (1 - v) * (1 + v);
            } else {
                double e = Math.exp(-2 * Math.abs(zi));
                double p = 1 + e;
                v = Math.copySign((1 - e) / p, zi);
                d = 4 * e / (p * p);
            }
            value[valueOff + i] = v;
            deriv[derivOff + i] = d;
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
