package dev.kronograd.activations.builtin;

import dev.kronograd.activations.Activation;

/**
 * {@code silu} (swish-1): σ(z) = z·S(z) with the logistic S(z) = 1/(1 + e^{−z});
 * σ'(z) = S + z·S', σ''(z) = 2S' + z·S'', where S' = S(1 − S) and S'' = S'(1 − 2S).
 *
 * <p>S, S', S'' are computed from e = e^{−|z|} as in {@link Sigmoid}, so nothing overflows; products
 * k·e are formed as (k·h)·h with h = e^{−|z|/2}, so σ' ≈ (1 + z)e^z and σ'' stay accurate for
 * z ≈ ±710, where e alone is subnormal but the result is not. At
 * z = ±∞ the limits are returned (σ(−∞) = 0, σ'(+∞) = 1, σ'(−∞) = 0, σ''(±∞) = 0).
 * σ' vanishes near z ≈ −1.2785 and σ'' near z ≈ ±2.3994, where the two terms cancel: there the
 * error is small relative to the terms, not to the result.
 */
public final class Silu implements Activation {

    /** For {@link java.util.ServiceLoader}. */
    public Silu() {
    }

    @Override
    public String name() {
        return "silu";
    }

    /** σ(z) = z·S(z). */
    @Override
    public double value(double z) {
        if (Double.isInfinite(z)) {
            return z > 0 ? z : 0.0;
        }
        double h = halfExpMinusAbs(z);
        return value(z, h, 1 + h * h);
    }

    /** σ'(z) = S(z) + z·S'(z). */
    @Override
    public double derivative(double z) {
        if (Double.isInfinite(z)) {
            return z > 0 ? 1.0 : 0.0;
        }
        double h = halfExpMinusAbs(z);
        double p = 1 + h * h;
        return derivative(z, h, p, z >= 0 ? 1 / p : h * h / p);
    }

    /** σ''(z) = 2S'(z) + z·S''(z) = e·(2 − |z|(1 − e)/(1 + e))/(1 + e)², e = e^{−|z|}. */
    @Override
    public double secondDerivative(double z) {
        if (Double.isInfinite(z)) {
            return 0.0;
        }
        double a = Math.abs(z);
        double h = halfExpMinusAbs(z);
        double p = 1 + h * h;
        double k = (2 - a * -Math.expm1(-a) / p) / (p * p);
        return k * h * h;
    }

    /** σ and σ' share e^{−|z|/2} and S(z). */
    @Override
    public void valuesAndDerivatives(double[] z, int zOff, double[] value, int valueOff,
                                     double[] deriv, int derivOff, int n) {
        Activation.checkRanges(z, zOff, value, valueOff, n);
        Activation.checkRanges(z, zOff, deriv, derivOff, n);
        for (int i = 0; i < n; i++) {
            double zi = z[zOff + i];
            if (Double.isInfinite(zi)) {
                value[valueOff + i] = value(zi);
                deriv[derivOff + i] = derivative(zi);
                continue;
            }
            double h = halfExpMinusAbs(zi);
            double p = 1 + h * h;
            value[valueOff + i] = value(zi, h, p);
            deriv[derivOff + i] = derivative(zi, h, p, zi >= 0 ? 1 / p : h * h / p);
        }
    }

    /** h = e^{−|z|/2}: e^{−|z|} = h², and k·e^{−|z|} is formed as (k·h)·h (see the class comment). */
    private static double halfExpMinusAbs(double z) {
        return Math.exp(-0.5 * Math.abs(z));
    }

    /** z·S(z) given h and p = 1 + h². */
    private static double value(double z, double h, double p) {
        return z >= 0 ? z / p : z * h * h / p;
    }

    /** S(z) + z·S'(z), S' = e/(1+e)². */
    private static double derivative(double z, double h, double p, double s) {
        return s + z * h * h / (p * p);
    }

    @Override
    public String toString() {
        return name();
    }
}
