package dev.kronograd.activations.builtin;

import dev.kronograd.activations.Activation;

/**
 * {@code gelu-tanh}, the tanh approximation of GELU:
 * σ(z) = ½z(1 + tanh u), u = √(2/π)(z + 0.044715z³).
 *
 * <p>Written with the logistic S and v = 2u = c(z + kz³), c = 2√(2/π), k = 0.044715, since
 * ½(1 + tanh u) = S(2u):
 * <pre>
 *   σ   = z·S(v)
 *   σ'  = S(v) + z·S'(v)·v'
 *   σ'' = 2·S'(v)·v' + z·(S''(v)·v'² + S'(v)·v'')
 *   v' = c(1 + 3kz²),  v'' = 6ckz,  S' = S(1−S),  S'' = S'(1−2S)
 * </pre>
 * Numerics: 1 + tanh u cancels for z ≪ 0; S(v) does not. For z ≈ −20, S(v) ≈ e^{v} with
 * v ≈ −600 amplifies a relative error δ of v to 600δ, so v is computed in double-double
 * (c and k as two-term constants, z³ with exact products) and e^{−|v|} corrected by its low part;
 * products k·e^{−|v|} are formed as (k·h)·h with h = e^{−|v|/2}, so they stay accurate where
 * e^{−|v|} alone would be subnormal (z ≈ −21).
 * For |z| &gt; 30, e^{−|v|} &lt; e^{−1970} underflows and the limits are returned:
 * σ = max(z, 0) (−0.0 for z &lt; 0), σ' = 1 or −0.0, σ'' = 0.
 *
 * <p>σ' crosses zero near z ≈ −0.75 and σ'' near z ≈ ±1.4, where the terms cancel: the error
 * there is small relative to the terms, not to the result.
 */
public final class GeluTanh implements Activation {
    /** c = 2√(2/π) = C_HI + C_LO to about 32 digits. */
    private static final double C_HI = 1.5957691216057308;
    private static final double C_LO = -9.96930880911092E-17;
    /** k = 0.044715 = K_HI + K_LO to about 32 digits. */
    private static final double K_HI = 0.044715;
    private static final double K_LO = 2.1960211427085595E-18;
    private static final double SATURATION = 30;

    /** For {@link java.util.ServiceLoader}. */
    public GeluTanh() {
    }

    @Override
    public String name() {
        return "gelu-tanh";
    }

    /** σ(z) = z·S(v(z)) = ½z(1 + tanh(√(2/π)(z + 0.044715z³))). */
    @Override
    public double value(double z) {
        if (!(Math.abs(z) <= SATURATION)) {
            return z > 0 ? z : z < 0 ? -0.0 : z;
        }
        double h = halfExpMinusAbsV(z);
        return value(z, h, 1 + h * h);
    }

    /** σ'(z) = S(v) + z·S'(v)·v'. */
    @Override
    public double derivative(double z) {
        if (!(Math.abs(z) <= SATURATION)) {
            return z > 0 ? 1.0 : z < 0 ? -0.0 : z;
        }
        double h = halfExpMinusAbsV(z);
        double p = 1 + h * h;
        return derivative(z, h, p, logistic(z, h, p));
    }

    /**
     * σ''(z) = 2·S'(v)·v' + z·(S''(v)·v'² + S'(v)·v''), evaluated as
     * e·(2v' + z·(v'' − sign(z)·v'²·(1 − e)/(1 + e)))/(1 + e)² with e = e^{−|v|}.
     */
    @Override
    public double secondDerivative(double z) {
        if (!(Math.abs(z) <= SATURATION)) {
            return z == z ? 0.0 : z;
        }
        double h = halfExpMinusAbsV(z);
        double p = 1 + h * h;
        double dv = dv(z);
        double d2v = 6 * C_HI * K_HI * z;
        // 1 − e = −expm1(−|v|); a plain-double v is accurate enough here (relative sensitivity ≤ 1)
        double oneMinusE = -Math.expm1(-Math.abs(C_HI * (z + K_HI * z * z * z)));
        double curvature = z > 0 ? -oneMinusE : oneMinusE;
        double k = (2 * dv + z * (d2v + curvature * dv * dv / p)) / (p * p);
        return k * h * h;
    }

    /** σ and σ' share e^{−|v|} and S(v). */
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
            double h = halfExpMinusAbsV(zi);
            double p = 1 + h * h;
            value[valueOff + i] = value(zi, h, p);
            deriv[derivOff + i] = derivative(zi, h, p, logistic(zi, h, p));
        }
    }

    /** z·S(v) given h = e^{−|v|/2} and p = 1 + h²; (z·h)·h keeps precision where h² is subnormal. */
    private static double value(double z, double h, double p) {
        return z >= 0 ? z / p : z * h * h / p;
    }

    /** S(v) = 1/(1+e) or e/(1+e), e = h². */
    private static double logistic(double z, double h, double p) {
        return z >= 0 ? 1 / p : h * h / p;
    }

    /** S(v) + z·v'·S'(v), with S'(v) = e/(1+e)² and the product formed as ((z·v')·h)·h. */
    private static double derivative(double z, double h, double p, double s) {
        return s + z * dv(z) * h * h / (p * p);
    }

    /** v'(z) = c(1 + 3kz²). */
    private static double dv(double z) {
        return C_HI * (1 + 3 * K_HI * z * z);
    }

    /**
     * h = e^{−|v|/2}, v = c(z + kz³), for |z| ≤ 30, with v evaluated in double-double so that
     * h² = e^{−|v|} has a few ulp of relative error even when |v| ≈ 700. Callers form products
     * k·e^{−|v|} as (k·h)·h, which stay accurate where e^{−|v|} alone would be subnormal.
     */
    private static double halfExpMinusAbsV(double z) {
        double p = z * z;
        double pLow = DoubleDouble.productError(z, z, p);
        double q = z * p;                                                // z³ = q + qLow
        double qLow = DoubleDouble.productError(z, p, q) + z * pLow;
        double r = K_HI * q;                                             // kz³ = r + rLow
        double rLow = DoubleDouble.productError(K_HI, q, r) + (K_HI * qLow + K_LO * q);
        double w = z + r;                                                // z + kz³ = w + wLow
        double wLow = DoubleDouble.sumError(z, r, w) + rLow;
        double v = C_HI * w;                                             // v = vHi + vLow
        double vLow = DoubleDouble.productError(C_HI, w, v) + (C_HI * wLow + C_LO * w);
        // e^{−|v + vLow|/2} = e^{−|v|/2}·e^{∓vLow/2}, and e^{∓vLow/2} = 1 ∓ vLow/2 to double precision
        return Math.exp(-0.5 * Math.abs(v)) * (1 - 0.5 * (v >= 0 ? vLow : -vLow));
    }

    @Override
    public String toString() {
        return name();
    }
}
