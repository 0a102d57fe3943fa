package dev.kronograd.activations.builtin;

/**
 * The logistic function S(z) = 1 / (1 + e^{−z}) and its derivatives, written in terms of
 * e = e^{−|z|} ∈ [0, 1] so that nothing overflows and nothing cancels:
 * <pre>
 *   S(z)   = 1/(1+e)           for z ≥ 0,   e/(1+e) for z &lt; 0
 *   S'(z)  = S(1−S)  = e/(1+e)²
 *   S''(z) = S'(1−2S) = −sign(z) · e(1−e)/(1+e)³,  with 1−e = −expm1(−|z|)
 * </pre>
 * Computing S' as S(1−S) would lose everything for z ≫ 0, where 1 − S cancels.
 */
final class Logistic {
    private Logistic() {
    }

    /** e^{−|z|}, the one transcendental the value and first derivative share. */
    static double expMinusAbs(double z) {
        return Math.exp(-Math.abs(z));
    }

    /** S(z) from e = e^{−|z|}. */
    static double value(double z, double e) {
        return z >= 0 ? 1 / (1 + e) : e / (1 + e);
    }

    /** S'(z) from e = e^{−|z|}. */
    static double derivative(double e) {
        double p = 1 + e;
        return e / (p * p);
    }

    /** S''(z) = −sign(z)·e(1−e)/(1+e)³; S''(0) = 0. */
    static double secondDerivative(double z) {
        double a = Math.abs(z);
        double e = Math.exp(-a);
        double p = 1 + e;
        double s = e * -Math.expm1(-a) / (p * p * p);
        return z > 0 ? -s : s;
    }
}
