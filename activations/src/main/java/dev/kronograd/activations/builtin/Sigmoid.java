package dev.kronograd.activations.builtin;

import dev.kronograd.activations.Activation;

/**
 * {@code sigmoid} (logistic): σ(z) = 1 / (1 + e^{−z}), σ'(z) = σ(1 − σ),
 * σ''(z) = σ'(1 − 2σ).
 *
 * <p>All three are computed from e = e^{−|z|} ∈ [0, 1]: σ = 1/(1+e) for z ≥ 0 and e/(1+e)
 * for z &lt; 0, σ' = e/(1+e)², σ'' = −sign(z)·e(1−e)/(1+e)³ with 1−e = −expm1(−|z|). Nothing
 * overflows, and σ' keeps full relative accuracy where σ saturates (σ(1−σ) would return 0 from
 * z ≈ 37 on, although σ'(700) ≈ 9.9e−305 is representable). e^{−|z|} comes from {@link Exp}
 * (within 1 ulp, as {@link Math#exp}) for σ and σ', the exponential the vector kernel of
 * {@link #valuesAndDerivatives} (incubating Vector API, chosen by {@link BulkKernels}) reproduces
 * bit for bit; σ'' uses {@link Math#exp} and {@link Math#expm1}.
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
        return Logistic.value(z, expMinusAbs(z));
    }

    /** σ'(z) = e^{−|z|} / (1 + e^{−|z|})². */
    @Override
    public double derivative(double z) {
        return Logistic.derivative(expMinusAbs(z));
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
            out[outOff + i] = Logistic.value(zi, expMinusAbs(zi));
        }
    }

    @Override
    public void derivatives(double[] z, int zOff, double[] out, int outOff, int n) {
        Activation.checkRanges(z, zOff, out, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Logistic.derivative(expMinusAbs(z[zOff + i]));
        }
    }

    /** One {@code exp} per element for both σ and σ'. */
    @Override
    public void valuesAndDerivatives(double[] z, int zOff, double[] value, int valueOff,
                                     double[] deriv, int derivOff, int n) {
        Activation.checkRanges(z, zOff, value, valueOff, n);
        Activation.checkRanges(z, zOff, deriv, derivOff, n);
        if (BulkKernels.VECTOR_API) {
            VectorKernels.sigmoid(z, zOff, value, valueOff, deriv, derivOff, n);
        } else {
            scalarValuesAndDerivatives(z, zOff, value, valueOff, deriv, derivOff, n);
        }
    }

    /** The scalar loop of {@link #valuesAndDerivatives} (ranges checked by the caller); the vector kernel's tail. */
    static void scalarValuesAndDerivatives(double[] z, int zOff, double[] value, int valueOff,
                                           double[] deriv, int derivOff, int n) {
        for (int i = 0; i < n; i++) {
            double zi = z[zOff + i];
            double e = expMinusAbs(zi);
            value[valueOff + i] = Logistic.value(zi, e);
            deriv[derivOff + i] = Logistic.derivative(e);
        }
    }

    /** e^{−|z|}, the one transcendental σ and σ' share. */
    static double expMinusAbs(double z) {
        return Exp.nonPositive(-Math.abs(z));
    }

    @Override
    public String toString() {
        return name();
    }
}
