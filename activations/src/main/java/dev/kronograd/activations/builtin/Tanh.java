package dev.kronograd.activations.builtin;

import dev.kronograd.activations.Activation;

/**
 * {@code tanh}: σ(z) = tanh z, σ'(z) = sech² z = 1 − tanh² z, σ''(z) = −2·tanh z·sech² z.
 *
 * <p>For |z| ≤ ½, t = tanh z comes from a rational approximation, {@code tanh z = z + z·s·P(s)/Q(s)}
 * with s = z² (Cephes' {@code tanh}, minimax on |z| ≤ 0.625, peak relative error 2.5e−16; here within
 * 2 ulp of {@link StrictMath#tanh}), and σ' = (1 − t)(1 + t), which does not cancel there
 * (|t| ≤ 0.47). {@link Math#tanh} is {@code StrictMath.tanh} on JDK 17 — not intrinsified, ≈ 18 ns
 * a call against ≈ 3.5 ns for the rational form, which made tanh a third of a 64×64, B = 1 gradient. For |z| &gt; ½ both come from one e = e^{−2|z|}:
 * tanh|z| = (1 − e)/(1 + e) and σ' = 4e/(1 + e)², so σ' keeps full relative accuracy where tanh
 * saturates (1 − t² would return 0 from |z| ≈ 19 on). tanh'(±700) ≈ 4e^{−1400} underflows to 0.
 * e^{−2|z|} comes from {@link Exp} (within 1 ulp, as {@link Math#exp}), the one exponential the
 * vector kernel can reproduce bit for bit.
 *
 * <p>{@link #valuesAndDerivatives} runs on the incubating Vector API when {@link BulkKernels} finds
 * it ({@code --add-modules jdk.incubator.vector}), with the same results as the scalar loop.
 */
public final class Tanh implements Activation {
    /** Up to this |z| the forward value is reused for σ' without cancellation. */
    static final double SMALL = 0.5;

    // tanh z = z + z·s·P(s)/Q(s), s = z², |z| ≤ 0.625 (Cephes, S. L. Moshier): P(s) = P0 s² + P1 s + P2,
    // Q(s) = s³ + Q0 s² + Q1 s + Q2.
    static final double P0 = -9.64399179425052238628E-1;
    static final double P1 = -9.92877231001918586564E1;
    static final double P2 = -1.61468768441708447952E3;
    static final double Q0 = 1.12811678491632931402E2;
    static final double Q1 = 2.23548839060100448583E3;
    static final double Q2 = 4.84406305325125486048E3;

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
            return tanhSmall(z);
        }
        double e = Exp.nonPositive(-2 * Math.abs(z));
        return Math.copySign((1 - e) / (1 + e), z);
    }

    /** σ'(z) = sech² z. */
    @Override
    public double derivative(double z) {
        if (Math.abs(z) <= SMALL) {
            double t = tanhSmall(z);
            return (1 - t) * (1 + t);
        }
        double e = Exp.nonPositive(-2 * Math.abs(z));
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
        if (BulkKernels.VECTOR_API) {
            VectorKernels.tanh(z, zOff, value, valueOff, deriv, derivOff, n);
        } else {
            scalarValuesAndDerivatives(z, zOff, value, valueOff, deriv, derivOff, n);
        }
    }

    /** The scalar loop of {@link #valuesAndDerivatives} (ranges checked by the caller); the vector kernel's tail. */
    static void scalarValuesAndDerivatives(double[] z, int zOff, double[] value, int valueOff,
                                           double[] deriv, int derivOff, int n) {
        for (int i = 0; i < n; i++) {
            double zi = z[zOff + i];
            double v;
            double d;
            if (Math.abs(zi) <= SMALL) {
                v = tanhSmall(zi);
                d = (1 - v) * (1 + v);
            } else {
                double e = Exp.nonPositive(-2 * Math.abs(zi));
                double p = 1 + e;
                v = Math.copySign((1 - e) / p, zi);
                d = 4 * e / (p * p);
            }
            value[valueOff + i] = v;
            deriv[derivOff + i] = d;
        }
    }

    /** tanh z for |z| ≤ ½, odd by construction (so tanh(−0) = −0). */
    static double tanhSmall(double z) {
        double a = Math.abs(z);
        double s = a * a;
        double p = (P0 * s + P1) * s + P2;
        double q = ((s + Q0) * s + Q1) * s + Q2;
        return Math.copySign(a + a * (s * p / q), z);
    }

    @Override
    public String toString() {
        return name();
    }
}
