package dev.kronograd.activations.builtin;

import dev.kronograd.activations.Activation;

/**
 * {@code softplus}: σ(z) = log(1 + e^z), σ'(z) = 1/(1 + e^{−z}) (the logistic function S),
 * σ''(z) = S(z)(1 − S(z)).
 *
 * <p>σ is computed exactly for all z as max(z, 0) + log1p(e^{−|z|}), with no "return z above 20"
 * cut-off; σ' and σ'' as in {@link Sigmoid}.
 */
public final class Softplus implements Activation {

    /** For {@link java.util.ServiceLoader}. */
    public Softplus() {
    }

    @Override
    public String name() {
        return "softplus";
    }

    /** σ(z) = max(z, 0) + log1p(e^{−|z|}). */
    @Override
    public double value(double z) {
        return Math.max(z, 0.0) + Math.log1p(Logistic.expMinusAbs(z));
    }

    /** σ'(z) = S(z) = 1/(1 + e^{−z}). */
    @Override
    public double derivative(double z) {
        return Logistic.value(z, Logistic.expMinusAbs(z));
    }

    /** σ''(z) = S'(z) = e^{−|z|}/(1 + e^{−|z|})². */
    @Override
    public double secondDerivative(double z) {
        return Logistic.derivative(Logistic.expMinusAbs(z));
    }

    /** σ and σ' share e = e^{−|z|}. */
    @Override
    public void valuesAndDerivatives(double[] z, int zOff, double[] value, int valueOff,
                                     double[] deriv, int derivOff, int n) {
        Activation.checkRanges(z, zOff, value, valueOff, n);
        Activation.checkRanges(z, zOff, deriv, derivOff, n);
        for (int i = 0; i < n; i++) {
            double zi = z[zOff + i];
            double e = Logistic.expMinusAbs(zi);
            value[valueOff + i] = Math.max(zi, 0.0) + Math.log1p(e);
            deriv[derivOff + i] = Logistic.value(zi, e);
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
