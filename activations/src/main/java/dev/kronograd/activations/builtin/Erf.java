package dev.kronograd.activations.builtin;

/*
 * Ported from fdlibm 5.3 s_erf.c:
 * ====================================================
 * Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
 *
 * Developed at SunPro, a Sun Microsystems, Inc. business.
 * Permission to use, copy, modify, and distribute this
 * software is freely granted, provided that this notice
 * is preserved.
 * ====================================================
 */

/**
 * The error function erf(x) = (2/√π) ∫₀ˣ e^{−t²} dt and its complement erfc = 1 − erf, which
 * Java lacks: a port of fdlibm's {@code s_erf.c} (rational approximations on [0, 0.84375],
 * [0.84375, 1.25], [1.25, 1/0.35], [1/0.35, 28]; error below 1 ulp as documented by fdlibm,
 * measured by this module's tests against a 50-digit reference).
 *
 * <p>{@link #erfcxTail(double)} exposes the scaled tail e^{x²}·erfc(x), which lets callers supply
 * e^{−x²} themselves when x is only known as a rounded value (GELU's Φ(z) = ½ erfc(−z/√2)).
 */
final class Erf {
    private static final double ERX = 8.45062911510467529297e-01;
    private static final double EFX = 1.28379167095512586316e-01;
    private static final double EFX8 = 1.02703333676410069053e+00;
    // erf on [0, 0.84375]: erf(x) = x + x·P(x²)/Q(x²)
    private static final double PP0 = 1.28379167095512558561e-01;
    private static final double PP1 = -3.25042107247001499370e-01;
    private static final double PP2 = -2.84817495755985104766e-02;
    private static final double PP3 = -5.77027029648944159157e-03;
    private static final double PP4 = -2.37630166566501626084e-05;
    private static final double QQ1 = 3.97917223959155352819e-01;
    private static final double QQ2 = 6.50222499887672944485e-02;
    private static final double QQ3 = 5.08130628187576562776e-03;
    private static final double QQ4 = 1.32494738004321644526e-04;
    private static final double QQ5 = -3.96022827877536812320e-06;
    // erf on [0.84375, 1.25]: erf(1 + s) = ERX + P(s)/Q(s)
    private static final double PA0 = -2.36211856075265944077e-03;
    private static final double PA1 = 4.14856118683748331666e-01;
    private static final double PA2 = -3.72207876035701323847e-01;
    private static final double PA3 = 3.18346619901161753674e-01;
    private static final double PA4 = -1.10894694282396677476e-01;
    private static final double PA5 = 3.54783043256182359371e-02;
    private static final double PA6 = -2.16637559486879084300e-03;
    private static final double QA1 = 1.06420880400844228286e-01;
    private static final double QA2 = 5.40397917702171048937e-01;
    private static final double QA3 = 7.18286544141962662868e-02;
    private static final double QA4 = 1.26171219808761642112e-01;
    private static final double QA5 = 1.36370839120290507362e-02;
    private static final double QA6 = 1.19844998467991074170e-02;
    // erfc on [1.25, 1/0.35]: erfc(x) = exp(−x² − 0.5625 + R(s)/S(s)) / x, s = 1/x²
    private static final double RA0 = -9.86494403484714822705e-03;
    private static final double RA1 = -6.93858572707181764372e-01;
    private static final double RA2 = -1.05586262253232909814e+01;
    private static final double RA3 = -6.23753324503260060396e+01;
    private static final double RA4 = -1.62396669462573470355e+02;
    private static final double RA5 = -1.84605092906711035994e+02;
    private static final double RA6 = -8.12874355063065934246e+01;
    private static final double RA7 = -9.81432934416914548592e+00;
    private static final double SA1 = 1.96512716674392571292e+01;
    private static final double SA2 = 1.37657754143519042600e+02;
    private static final double SA3 = 4.34565877475229228821e+02;
    private static final double SA4 = 6.45387271733267880336e+02;
    private static final double SA5 = 4.29008140027567833386e+02;
    private static final double SA6 = 1.08635005541779435134e+02;
    private static final double SA7 = 6.57024977031928170135e+00;
    private static final double SA8 = -6.04244152148580987438e-02;
    // erfc on [1/0.35, 28]: same form with R2/S2
    private static final double RB0 = -9.86494292470009928597e-03;
    private static final double RB1 = -7.99283237680523006574e-01;
    private static final double RB2 = -1.77579549177547519889e+01;
    private static final double RB3 = -1.60636384855821916062e+02;
    private static final double RB4 = -6.37566443368389627722e+02;
    private static final double RB5 = -1.02509513161107724954e+03;
    private static final double RB6 = -4.83519191608651397019e+02;
    private static final double SB1 = 3.03380607434824582924e+01;
    private static final double SB2 = 3.25792512996573918826e+02;
    private static final double SB3 = 1.53672958608443695994e+03;
    private static final double SB4 = 3.19985821950859553908e+03;
    private static final double SB5 = 2.55305040643316442583e+03;
    private static final double SB6 = 4.74528541206955367215e+02;
    private static final double SB7 = -2.24409524465858183362e+01;

    private static final double TINY = 1e-300;
    private static final double ONE_OVER_035 = 1 / 0.35;

    private Erf() {
    }

    /** erf(x); erf(±∞) = ±1, erf(NaN) = NaN. */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a < 0.84375) {
            if (a < 0x1p-28) {
                // 0.125·(8x + efx8·x) avoids underflow of efx·x for subnormal x
                return a < 0x1p-1015 ? 0.125 * (8.0 * x + EFX8 * x) : x + EFX * x;
            }
            return x + x * smallRatio(x * x);
        }
        if (a < 1.25) {
            double r = ERX + middleRatio(a - 1);
            return x >= 0 ? r : -r;
        }
        if (a >= 6) {
            return x >= 0 ? 1 - TINY : TINY - 1;
        }
        double r = tail(a);
        return x >= 0 ? 1 - r : r - 1;
    }

    /** erfc(x) = 1 − erf(x), accurate also where it is tiny; erfc(+∞) = 0, erfc(−∞) = 2. */
    static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a < 0.84375) {
            if (a < 0x1p-56) {
                return 1 - x;
            }
            double y = smallRatio(x * x);
            if (x < 0.25) {
                return 1 - (x + x * y);
            }
            double r = x * y + (x - 0.5);
            return 0.5 - r;
        }
        if (a < 1.25) {
            double ratio = middleRatio(a - 1);
            return x >= 0 ? (1 - ERX) - ratio : 1 + (ERX + ratio);
        }
        if (a < 28) {
            if (x < -6) {
                return 2 - TINY;
            }
            double r = tail(a);
            return x > 0 ? r : 2 - r;
        }
        return x > 0 ? 0.0 : 2 - TINY;
    }

    /**
     * e^{x²}·erfc(x) for x ≥ 1.25 (fdlibm's tail form without its e^{−x²} factor):
     * exp(−0.5625 + R(1/x²)/S(1/x²)) / x. Well conditioned: a relative error δ in x changes the
     * result by about δ, whereas erfc(x) itself would change by 2x²·δ.
     */
    static double erfcxTail(double x) {
        return Math.exp(-0.5625 + tailRatio(x)) / x;
    }

    private static double smallRatio(double z) {
        double r = PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
        double s = 1 + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
        return r / s;
    }

    private static double middleRatio(double s) {
        double p = PA0 + s * (PA1 + s * (PA2 + s * (PA3 + s * (PA4 + s * (PA5 + s * PA6)))));
        double q = 1 + s * (QA1 + s * (QA2 + s * (QA3 + s * (QA4 + s * (QA5 + s * QA6)))));
        return p / q;
    }

    /** R/S of the tail, x ≥ 1.25. */
    private static double tailRatio(double x) {
        double s = 1 / (x * x);
        double r;
        double q;
        if (x < ONE_OVER_035) {
            r = RA0 + s * (RA1 + s * (RA2 + s * (RA3 + s * (RA4 + s * (RA5 + s * (RA6 + s * RA7))))));
            q = 1 + s * (SA1 + s * (SA2 + s * (SA3 + s * (SA4 + s * (SA5 + s * (SA6 + s * (SA7 + s * SA8)))))));
        } else {
            r = RB0 + s * (RB1 + s * (RB2 + s * (RB3 + s * (RB4 + s * (RB5 + s * RB6)))));
            q = 1 + s * (SB1 + s * (SB2 + s * (SB3 + s * (SB4 + s * (SB5 + s * (SB6 + s * SB7))))));
        }
        return r / q;
    }

    /**
     * erfc(a) = exp(−a² − 0.5625 + R/S) / a for 1.25 ≤ a &lt; 28, without the error of rounding
     * a²: with t = a cut to 21 significant bits, t² is exact and −a² = −t² + (t − a)(t + a).
     */
    private static double tail(double a) {
        double t = Double.longBitsToDouble(Double.doubleToRawLongBits(a) & 0xffffffff00000000L);
        return Math.exp(-t * t - 0.5625) * Math.exp((t - a) * (t + a) + tailRatio(a)) / a;
    }
}
