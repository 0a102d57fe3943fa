package dev.kronograd.activations.builtin;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A small arbitrary-precision reference for the accuracy tests: exp, expm1, log1p, tanh and erfc
 * in {@link BigDecimal} with 100 significant digits, from Taylor series with argument reduction
 * and, for erfc of large arguments, Laplace's continued fraction. Every function is evaluated at
 * the exact value of its (double) argument, so it measures the implementation's error alone.
 * Arguments whose results are beyond any double (e.g. e^{−10⁸}) are answered with 0 or ±1; that
 * is exact to far more than double precision.
 */
final class HighPrecision {
    static final MathContext MC = new MathContext(100, RoundingMode.HALF_EVEN);
    /** Series are summed until a term is below this fraction of the sum. */
    private static final BigDecimal EPSILON = new BigDecimal("1e-110");
    /** Beyond this |x|, e^x is 0 or unrepresentable for doubles by thousands of orders of magnitude. */
    private static final BigDecimal EXP_LIMIT = BigDecimal.valueOf(100_000_000);
    static final BigDecimal TWO = BigDecimal.valueOf(2);
    static final BigDecimal PI = new BigDecimal("3.14159265358979323846264338327950288419716939937510"
            + "58209749445923078164062862089986280348253421170679821480865132823066470938446");
    static final BigDecimal SQRT_PI = PI.sqrt(MC);
    static final BigDecimal SQRT_2 = TWO.sqrt(MC);
    static final BigDecimal SQRT_2PI = TWO.multiply(PI, MC).sqrt(MC);
    static final BigDecimal E = taylorExp(BigDecimal.ONE);
    static final BigDecimal LN2 = TWO.multiply(atanh(BigDecimal.ONE.divide(BigDecimal.valueOf(3), MC)), MC);

    private HighPrecision() {
    }

    static BigDecimal exact(double x) {
        return new BigDecimal(x);
    }

    /** e^x; 0 for x &lt; −10⁸. */
    static BigDecimal exp(BigDecimal x) {
        if (x.signum() < 0) {
            if (x.compareTo(EXP_LIMIT.negate()) < 0) {
                return BigDecimal.ZERO;
            }
            return BigDecimal.ONE.divide(exp(x.negate()), MC);
        }
        if (x.compareTo(EXP_LIMIT) > 0) {
            throw new ArithmeticException("e^" + x + " is beyond this reference");
        }
        BigDecimal n = x.setScale(0, RoundingMode.FLOOR);
        BigDecimal f = x.subtract(n);
        return E.pow(n.intValueExact(), MC).multiply(taylorExp(f), MC);
    }

    /** e^x − 1 without cancellation for small |x|. */
    static BigDecimal expm1(BigDecimal x) {
        if (x.abs().compareTo(BigDecimal.ONE) >= 0) {
            return exp(x).subtract(BigDecimal.ONE, MC);
        }
        BigDecimal term = x;
        BigDecimal sum = x;
        for (int k = 2; term.abs().compareTo(sum.abs().multiply(EPSILON)) > 0; k++) {
            term = term.multiply(x, MC).divide(BigDecimal.valueOf(k), MC);
            sum = sum.add(term, MC);
        }
        return sum;
    }

    /** log(1 + y) for y &gt; −1, without cancellation for small |y|. */
    static BigDecimal log1p(BigDecimal y) {
        if (y.abs().compareTo(new BigDecimal("0.5")) <= 0) {
            return TWO.multiply(atanh(y.divide(TWO.add(y, MC), MC)), MC);
        }
        return log(BigDecimal.ONE.add(y, MC));
    }

    /** log x for x &gt; 0: x = 2^k·m with m ∈ [0.75, 1.5], log m = 2 atanh((m−1)/(m+1)). */
    static BigDecimal log(BigDecimal x) {
        if (x.signum() <= 0) {
            throw new ArithmeticException("log of " + x);
        }
        int k = x.unscaledValue().bitLength() - (int) Math.ceil(x.scale() * (Math.log(10) / Math.log(2)));
        BigDecimal m = k >= 0 ? x.divide(TWO.pow(k), MC) : x.multiply(TWO.pow(-k), MC);
        while (m.compareTo(new BigDecimal("1.5")) > 0) {
            m = m.divide(TWO, MC);
            k++;
        }
        while (m.compareTo(new BigDecimal("0.75")) < 0) {
            m = m.multiply(TWO, MC);
            k--;
        }
        BigDecimal u = m.subtract(BigDecimal.ONE).divide(m.add(BigDecimal.ONE), MC);
        return LN2.multiply(BigDecimal.valueOf(k), MC).add(TWO.multiply(atanh(u), MC), MC);
    }

    /** tanh x = expm1(2x)/(expm1(2x) + 2); ±1 for |x| &gt; 10⁴. */
    static BigDecimal tanh(BigDecimal x) {
        if (x.abs().compareTo(BigDecimal.valueOf(10_000)) > 0) {
            return BigDecimal.valueOf(x.signum());
        }
        BigDecimal m = expm1(TWO.multiply(x, MC));
        return m.divide(m.add(TWO), MC);
    }

    /** erfc x: series for |x| ≤ 6, Laplace's continued fraction beyond; 0 for x &gt; 10⁴. */
    static BigDecimal erfc(BigDecimal x) {
        if (x.signum() < 0) {
            return TWO.subtract(erfc(x.negate()), MC);
        }
        if (x.compareTo(BigDecimal.valueOf(6)) <= 0) {
            return BigDecimal.ONE.subtract(erfSeries(x), MC);
        }
        if (x.compareTo(BigDecimal.valueOf(10_000)) > 0) {
            return BigDecimal.ZERO;
        }
        return erfcContinuedFraction(x);
    }

    /**
     * erf x = (2/√π) e^{−x²} Σ 2ⁿx^{2n+1}/(1·3·…·(2n+1)), all terms positive (at x = 6 the sum
     * peaks near e^{36}, and 1 − erf then loses 16 of the 100 digits).
     */
    static BigDecimal erfSeries(BigDecimal x) {
        BigDecimal twoX2 = TWO.multiply(x, MC).multiply(x, MC);
        BigDecimal term = x;
        BigDecimal sum = x;
        for (int n = 1; term.compareTo(sum.multiply(EPSILON)) > 0; n++) {
            term = term.multiply(twoX2, MC).divide(BigDecimal.valueOf(2L * n + 1), MC);
            sum = sum.add(term, MC);
        }
        return TWO.divide(SQRT_PI, MC).multiply(exp(x.multiply(x, MC).negate()), MC).multiply(sum, MC);
    }

    /**
     * erfc x = e^{−x²}/√π · 1/(x + (1/2)/(x + (2/2)/(x + (3/2)/(x + …)))), evaluated backwards
     * from {@code terms} levels (x &gt; 0).
     */
    static BigDecimal erfcContinuedFraction(BigDecimal x, int terms) {
        BigDecimal t = x;
        for (int n = terms; n >= 1; n--) {
            t = x.add(BigDecimal.valueOf(n).divide(TWO.multiply(t, MC), MC), MC);
        }
        return exp(x.multiply(x, MC).negate()).divide(SQRT_PI.multiply(t, MC), MC);
    }

    /**
     * The same continued fraction evaluated forwards (modified Lentz) until a step changes the
     * value by less than 1e−110 relative: a few hundred levels at x = 6, a few dozen beyond 20,
     * where the fixed 3000 levels made the gelu reference the slowest part of the accuracy tests.
     */
    static BigDecimal erfcContinuedFraction(BigDecimal x) {
        BigDecimal t = x;
        BigDecimal c = x;
        BigDecimal d = BigDecimal.ZERO;
        for (int n = 1; ; n++) {
            BigDecimal a = BigDecimal.valueOf(n).divide(TWO, MC);
            d = BigDecimal.ONE.divide(x.add(a.multiply(d, MC), MC), MC);
            c = x.add(a.divide(c, MC), MC);
            BigDecimal delta = c.multiply(d, MC);
            t = t.multiply(delta, MC);
            if (delta.subtract(BigDecimal.ONE, MC).abs().compareTo(EPSILON) < 0) {
                break;
            }
        }
        return exp(x.multiply(x, MC).negate()).divide(SQRT_PI.multiply(t, MC), MC);
    }

    /** Φ(z) = ½ erfc(−z/√2). */
    static BigDecimal normalCdf(BigDecimal z) {
        return erfc(z.negate().divide(SQRT_2, MC)).divide(TWO, MC);
    }

    /** φ(z) = e^{−z²/2}/√(2π). */
    static BigDecimal normalDensity(BigDecimal z) {
        return exp(z.multiply(z, MC).divide(TWO, MC).negate()).divide(SQRT_2PI, MC);
    }

    private static BigDecimal taylorExp(BigDecimal f) {
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        for (int k = 1; term.compareTo(EPSILON) > 0; k++) {
            term = term.multiply(f, MC).divide(BigDecimal.valueOf(k), MC);
            sum = sum.add(term, MC);
        }
        return sum;
    }

    /** atanh u = u + u³/3 + u⁵/5 + … for |u| ≤ 1/3. */
    private static BigDecimal atanh(BigDecimal u) {
        BigDecimal u2 = u.multiply(u, MC);
        BigDecimal power = u;
        BigDecimal sum = u;
        for (int k = 3; power.abs().compareTo(sum.abs().multiply(EPSILON)) > 0; k += 2) {
            power = power.multiply(u2, MC);
            sum = sum.add(power.divide(BigDecimal.valueOf(k), MC), MC);
        }
        return sum;
    }
}
