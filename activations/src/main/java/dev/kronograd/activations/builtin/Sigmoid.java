package dev.kronograd.activations.builtin;

import dev.kronograd.activations.Activation;

/**
 * {@code sigmoid} (logistic): σ(z) = 1 / (1 + e^{−z}), σ'(z) = σ(1 − σ),
 * σ''(z) = σ'(1 − 2σ).
 *
 * <p>All three are computed from e = e^{−|z|} ∈ [0, 1]: σ = 1/(1+e) for z ≥ 0 and e/(1+e)
 * for z &lt; 0, σ' = e/(1+e)², σ'' = −sign(z)·e(1−e)/(1+e)³ with 1−e = −expm1(−|z|). Nothing
 * overflows, and σ' keeps full relative accuracy where σ saturates (σ(1−σ) would return 0 from
 * z ≈ 37 on, although σ'(700) ≈ 9.9e−305 is representable).
 */
public final class Sigmoid implements Activation {

    /** For {@link java.util.ServiceLoader}. */
    public Sigmoid() {
    }

    @Override
    public String name() {
        return "sigmoid";
    }

    /** σ(z) = 1 / (1 + e^{−z}). */
    @Override
    public double value(double z) {
        return Logistic.value(z, Logistic.expMinusAbs(z));
    }

    /** σ'(z) = e^{−|z|} / (1 + e^{−|z|})². */
    @Override
    public double derivative(double z) {
        return Logistic.derivative(Logistic.expMinusAbs(z));
    }

    /** σ''(z) = σ'(z)(1 − 2σ(z)) = −sign(z)·e(1−e)/(1+e)³, e = e^{−|z|}. */
    @Override
    public double secondDerivative(double z) {
        return Logistic.secondDerivative(z);
    }

    @Override
    public void values(double[] z, int zOff, double[] out, int outOff, int n) {
        Activation.checkRanges(z, zOff, out, outOff, n);
        for (int i = 0; i < n; i++) {
            double zi = z[zOff + i];
            out[outOff + i] = Logistic.value(zi, Logistic.expMinusAbs(zi));
        }
    }

    @Override
    public void derivatives(double[] z, int zOff, double[] out, int outOff, int n) {
        Activation.checkRanges(z, zOff, out, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Logistic.derivative(Logistic.expMinusAbs(z[zOff + i]));
        }
    }

    /** One {@code exp} per element for both σ and σ'. */
    @Override
    public void valuesAndDerivatives(double[] z, int zOff, double[] value, int valueOff,
                                     double[] deriv, int derivOff, int n) {
        Activation.checkRanges(z, zOff, value, valueOff, n);
        Activation.checkRanges(z, zOff, deriv, derivOff, n);
        for (int i = 0; i < n; i++) {
            double zi = z[zOff + i];
            double e = Logistic.expMinusAbs(zi);
            value[valueOff + i] = Logistic.value(zi, e);
            deriv[derivOff + i] = Logistic.derivative(e);
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
