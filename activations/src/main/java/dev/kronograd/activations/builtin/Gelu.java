package dev.kronograd.activations.builtin;

import dev.kronograd.activations.Activation;

/**
 * {@code gelu} (exact, Hendrycks &amp; Gimpel): σ(z) = z·Φ(z) with the standard normal CDF
 * Φ(z) = ½ erfc(−z/√2) and density φ(z) = e^{−z²/2}/√(2π);
 * σ'(z) = Φ(z) + z·φ(z), σ''(z) = φ(z)·(2 − z²).
 *
 * <p>Numerics: erfc is a port of fdlibm's (Java has none). In the lower tail (z &lt; −2) Φ is
 * computed as ½·e^{−z²/2}·erfcx(−z/√2), where erfcx(x) = e^{x²}erfc(x) is well conditioned and
 * e^{−z²/2} is computed from the exactly split square z² = p + p_lo (so the rounding of z² and of
 * z/√2, amplified ~z²-fold by erfc, never enters); products k·e^{−z²/2} are formed as (k·H)·H with
 * H = e^{−z²/4}, so they stay accurate where e^{−z²/2} alone would be subnormal. 2 − z² is formed
 * from the same split, so σ''
 * keeps its relative accuracy next to its zeros ±√2. For |z| &gt; 40, e^{−z²/2} &lt; 1e−347 and the
 * limits are returned: σ = max(z, 0) (−0.0 for z &lt; 0), σ' = 1 or −0.0, σ'' = 0.
 *
 * <p>σ' crosses zero at z ≈ −0.7518, where Φ and zφ cancel: the error there is small relative to
 * |Φ| + |zφ|, not to σ' itself.
 */
public final class Gelu implements Activation {
    /** 1/√2 rounded to double. */
    static final double INV_SQRT2 = 0.7071067811865476;
    /** 1/√(2π) rounded to double. */
    static final double INV_SQRT_2PI = 0.3989422804014327;
    /** Beyond this |z| the Gaussian factor underflows and σ, σ', σ'' are their limits. */
    private static final double SATURATION = 40;
    /** Below this z, Φ uses the scaled tail (x = −z/√2 ≥ √2 &gt; 1.25). */
    private static final double LOWER_TAIL = -2;

    /** For {@link java.util.ServiceLoader}. */
    public Gelu() {
    }

    @Override
    public String name() {
        return "gelu";
    }

    /** σ(z) = z·Φ(z). */
    @Override
    public double value(double z) {
        if (!(Math.abs(z) <= SATURATION)) {
            return z > 0 ? z : z < 0 ? -0.0 : z;
        }
        return z * cdf(z);
    }

    /** σ'(z) = Φ(z) + z·φ(z). */
    @Override
    public double derivative(double z) {
        if (!(Math.abs(z) <= SATURATION)) {
            return z > 0 ? 1.0 : z < 0 ? -0.0 : z;
        }
        return cdf(z) + timesDensity(z * INV_SQRT_2PI, z);
    }

    /** σ''(z) = φ(z)·(2 − z²). */
    @Override
    public double secondDerivative(double z) {
        if (!(Math.abs(z) <= SATURATION)) {
            return z == z ? 0.0 : z;
        }
        double p = z * z;
        double twoMinusSquare = (2 - p) - DoubleDouble.productError(z, z, p);
        return timesDensity(INV_SQRT_2PI * twoMinusSquare, z);
    }

    /** σ and σ' share Φ(z). */
    @Override
    public void valuesAndDerivatives(double[] z, int zOff, double[] value, int valueOff,
                                     double[] deriv, int derivOff, int n) {
        Activation.checkRanges(z, zOff, value, valueOff, n);
        Activation.checkRanges(z, zOff, deriv, derivOff, n);
        for (int i = 0; i < n; i++) {
            double zi = z[zOff + i];
            if (!(Math.abs(zi) <= SATURATION)) {
                value[valueOff + i] = value(zi);
                deriv[derivOff + i] = derivative(zi);
                continue;
            }
            double c = cdf(zi);
            value[valueOff + i] = zi * c;
            deriv[derivOff + i] = c + timesDensity(zi * INV_SQRT_2PI, zi);
        }
    }

    /** Φ(z) for |z| ≤ 40. */
    static double cdf(double z) {
        if (z >= LOWER_TAIL) {
            return 0.5 * Erf.erfc(-z * INV_SQRT2);
        }
        return timesDensity(0.5 * Erf.erfcxTail(-z * INV_SQRT2), z);
    }

    /**
     * k·e^{−z²/2} for |z| ≤ 40, computed as (k·H)·H with H = e^{−z²/4} so that it keeps full
     * precision whenever the product is a normal number, even where e^{−z²/2} alone is subnormal.
     */
    private static double timesDensity(double k, double z) {
        double h = halfGaussian(z);
        return k * h * h;
    }

    /**
     * H = e^{−z²/4} for |z| ≤ 40 to within about 1.5 ulp: with z² = p + p_lo split exactly,
     * e^{−z²/4} = e^{−p/4}·e^{−p_lo/4} and e^{−p_lo/4} = 1 − p_lo/4 to double precision
     * (|p_lo| ≤ 2^{−42}). The rounding of z² never enters, which matters because it would be
     * amplified z²/2-fold (up to 800-fold).
     */
    static double halfGaussian(double z) {
        double p = z * z;
        double pLow = DoubleDouble.productError(z, z, p);
        return Math.exp(-0.25 * p) * (1 - 0.25 * pLow);
    }

    @Override
    public String toString() {
        return name();
    }
}
