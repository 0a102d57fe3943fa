package dev.kronograd.activations.builtin;

/**
 * e^x for x ≤ 0 (and NaN) with only additions, multiplications and bit operations, so that
 * {@link VectorKernels} computes the same function lane by lane, bit for bit; {@link Math#exp} is an
 * intrinsic whose last bit the vector code could not reproduce.
 *
 * <p>Cody–Waite reduction e^x = 2^k·e^r, k = round(x/ln 2), r = (x − k·ln2_hi) − k·ln2_lo with
 * fdlibm's split of ln 2 (k·ln2_hi and the first subtraction are exact), |r| ≤ ½ln 2; then
 * e^r = 1 + (r + r²·Q(r)) with Q a degree-9 Chebyshev fit of (e^r − 1 − r)/r², evaluated by Estrin's scheme (fit error
 * 1.3e−17 relative to e^r; about 0.6 ulp with the rounding of the evaluation). The scaling by 2^k
 * is two exact-or-once-rounded multiplications by 2^⌊k/2⌋ and 2^{k−⌊k/2⌋}, so results in the
 * subnormal range are rounded once, as by a correctly rounded e^x of the reduced value: e^x is
 * subnormal for x &lt; −708.4 and 0 (or {@link Double#MIN_VALUE} at the rounding boundary) for
 * x ≤ −745.13. Arguments below {@value #LOWEST} (including −∞) are treated as {@value #LOWEST},
 * whose e^x is 0; NaN gives NaN.
 */
final class Exp {
    /** Below this, e^x is 0 (e^{−1000} ≈ 5e−435); clamping keeps k and the scale factors in range. */
    static final double LOWEST = -1000;
    static final double LOG2E = 1.4426950408889634;
    /** 1.5·2^52: x·log2(e) + SHIFTER rounds to an integer k held in the low bits of the sum. */
    static final double SHIFTER = 0x1.8p52;
    static final long SHIFTER_BITS = Double.doubleToRawLongBits(SHIFTER);
    /** ln 2 = LN2_HI + LN2_LO, LN2_HI with 32 significant bits (fdlibm's e_exp.c). */
    static final double LN2_HI = 6.93147180369123816490e-01;
    static final double LN2_LO = 1.90821492927058770002e-10;

    // Q(r) ≈ (e^r − 1 − r)/r² on |r| ≤ 1.0001·½ln 2, Chebyshev fit (mpmath, 50 digits), C0 + C1 r + … + C9 r⁹.
    static final double C9 = 2.510038549551032e-08;
    static final double C8 = 2.7620088445409746e-07;
    static final double C7 = 2.7557268459997064e-06;
    static final double C6 = 2.4801521295954376e-05;
    static final double C5 = 0.00019841269863053618;
    static final double C4 = 0.0013888888917213717;
    static final double C3 = 0.008333333333330062;
    static final double C2 = 0.04166666666662413;
    static final double C1 = 0.16666666666666669;
    static final double C0 = 0.5000000000000001;

    private Exp() {
    }

    /** e^x for x ≤ 0 or NaN, within 1 ulp; positive x are outside the domain. */
    static double nonPositive(double x) {
        double xc = x < LOWEST ? LOWEST : x;
        double shifted = xc * LOG2E + SHIFTER;
        double kd = shifted - SHIFTER;
        long k = Double.doubleToRawLongBits(shifted) - SHIFTER_BITS;
        double r = (xc - kd * LN2_HI) - kd * LN2_LO;
        // Q(r) by Estrin's scheme: half the dependent chain of Horner's
        double r2 = r * r;
        double r4 = r2 * r2;
        double c01 = C1 * r + C0;
        double c23 = C3 * r + C2;
        double c45 = C5 * r + C4;
        double c67 = C7 * r + C6;
        double c89 = C9 * r + C8;
        double c03 = c23 * r2 + c01;
        double c47 = c67 * r2 + c45;
        double q = (c89 * (r4 * r4) + c47 * r4) + c03;
        double p = 1 + (r + r2 * q);
        long k1 = k >> 1;
        long k2 = k - k1;
        return p * Double.longBitsToDouble((k1 + 1023) << 52) * Double.longBitsToDouble((k2 + 1023) << 52);
    }
}
