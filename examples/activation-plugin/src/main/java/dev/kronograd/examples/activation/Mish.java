package dev.kronograd.examples.activation;

import dev.kronograd.activations.Activation;

/**
 * {@code mish} (Misra 2019): σ(z) = z·tanh(softplus(z)), softplus(z) = log(1 + e^z).
 *
 * <p>With t = tanh(softplus z), the logistic S = 1/(1 + e^{−z}) = softplus'(z) and
 * q = t' = sech²(softplus z)·S:
 * <pre>
 *   σ   = z·t
 *   σ'  = t + z·q
 *   σ'' = 2q + z·q·(1 − S − 2tS)
 * </pre>
 * Numerics: everything is written in terms of a number in (0, 1] so nothing overflows and
 * nothing cancels. For z ≤ 0, with w = e^z and n = w(w + 2) = (1 + w)² − 1:
 * t = n/(n + 2), sech² = 4(n + 1)/(n + 2)², S = w/(1 + w). For z &gt; 0, with u = e^{−z} and
 * D = 1 + 2u + 2u²: t = (1 + 2u)/D, sech² = 4u²(1 + u)²/D², S = 1/(1 + u). At ±∞ the limits are
 * returned: σ(+∞) = +∞, σ(−∞) = 0, σ'(+∞) = 1, σ'(−∞) = 0, σ''(±∞) = 0.
 *
 * <p>Like every activation: immutable, thread-safe, public, with a public no-argument constructor,
 * and listed in {@code META-INF/services/dev.kronograd.activations.Activation}.
 */
public final class Mish implements Activation {

    /** Called by {@link java.util.ServiceLoader}. */
    public Mish() {
    }

    @Override
    public String name() {
        return "mish";
    }

    /** σ(z) = z·tanh(softplus z). */
    @Override
    public double value(double z) {
        if (Double.isInfinite(z)) {
            return z > 0 ? z : 0.0;
        }
        return z * tanhSoftplus(z);
    }

    /** σ'(z) = t + z·sech²(softplus z)·S(z). */
    @Override
    public double derivative(double z) {
        if (Double.isInfinite(z)) {
            return z > 0 ? 1.0 : 0.0;
        }
        return tanhSoftplus(z) + z * tanhSoftplusDerivative(z);
    }

    /** σ''(z) = 2q + z·q·(1 − S − 2tS). */
    @Override
    public double secondDerivative(double z) {
        if (Double.isInfinite(z)) {
            return 0.0;
        }
        double t = tanhSoftplus(z);
        double q = tanhSoftplusDerivative(z);
        double s;
        double oneMinusS;
        if (z <= 0) {
            double w = Math.exp(z);
            s = w / (1 + w);
            oneMinusS = 1 / (1 + w);
        } else {
            double u = Math.exp(-z);
            s = 1 / (1 + u);
            oneMinusS = u / (1 + u);
        }
        // (z·q) first: for huge z, q = 0 and z·(1 − S − 2tS) alone would overflow
        return 2 * q + (z * q) * (oneMinusS - 2 * t * s);
    }

    /** t = tanh(softplus z). */
    private static double tanhSoftplus(double z) {
        if (z <= 0) {
            double w = Math.exp(z);
            double n = w * (w + 2);
            return n / (n + 2);
        }
        double u = Math.exp(-z);
        return (1 + 2 * u) / (1 + 2 * u + 2 * u * u);
    }

    /** q = t' = sech²(softplus z)·S(z). */
    private static double tanhSoftplusDerivative(double z) {
        if (z <= 0) {
            double w = Math.exp(z);
            double n = w * (w + 2);
            double sech2 = 4 * (n + 1) / ((n + 2) * (n + 2));
            return sech2 * (w / (1 + w));
        }
        double u = Math.exp(-z);
        double d = 1 + 2 * u + 2 * u * u;
        double sech2 = 4 * u * u * (1 + u) * (1 + u) / (d * d);
        return sech2 / (1 + u);
    }

    @Override
    public String toString() {
        return name();
    }
}
