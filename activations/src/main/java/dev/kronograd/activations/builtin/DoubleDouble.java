package dev.kronograd.activations.builtin;

/**
 * Error-free transformations of floating-point sums and products (Knuth's TwoSum, Dekker's
 * TwoProduct with Veltkamp splitting): pure arithmetic, so they are fast on every machine,
 * unlike {@link Math#fma} without hardware support.
 */
final class DoubleDouble {
    /** 2^27 + 1, Veltkamp's splitter for 53-bit doubles. */
    private static final double SPLITTER = 134217729.0;

    private DoubleDouble() {
    }

    /**
     * The rounding error of {@code p = a * b}: {@code a·b = p + productError(a, b, p)} exactly,
     * provided |a|, |b| &lt; 1e300 and nothing underflows.
     */
    static double productError(double a, double b, double p) {
        double ca = SPLITTER * a;
        double aHi = ca - (ca - a);
        double aLo = a - aHi;
        double cb = SPLITTER * b;
        double bHi = cb - (cb - b);
        double bLo = b - bHi;
        return ((aHi * bHi - p) + aHi * bLo + aLo * bHi) + aLo * bLo;
    }

    /** The rounding error of {@code s = a + b}: {@code a + b = s + sumError(a, b, s)} exactly. */
    static double sumError(double a, double b, double s) {
        double bVirtual = s - a;
        double aVirtual = s - bVirtual;
        return (a - aVirtual) + (b - bVirtual);
    }
}
