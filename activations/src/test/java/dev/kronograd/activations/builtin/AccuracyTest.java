package dev.kronograd.activations.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronograd.activations.Activation;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every built-in's σ, σ', σ'' against the 100-digit {@link ReferenceActivations}, on the
 * {@link AccuracySample} of that activation (5,900–7,100 points: the whole double range, subnormals,
 * ±0 and dense neighbourhoods of every branch point and cancellation zero), through the scalar methods
 * and, for σ and σ', through {@code valuesAndDerivatives} as well.
 *
 * <p>Criterion, per component: |actual − reference| ≤ 1e−15 · scale (≈ 4.5 ulp; README and
 * docs/activations.md state this bound), where scale is |reference|
 * except for derivatives that are sums of cancelling terms (σ' of gelu, gelu-tanh and silu; σ'' of
 * gelu-tanh and silu), where it is the sum of the terms' magnitudes. At a zero of such a
 * derivative (e.g. gelu' at z ≈ −0.7518) the relative error of the result is ill-defined — the
 * problem's condition number Σ|terms|/|result| is unbounded — and no double algorithm evaluating
 * the terms could do better; away from the zeros the two scales agree and the criterion is plain
 * relative error. Where the reference's magnitude is below {@link Double#MIN_NORMAL} (the true
 * value underflows to 0 or a subnormal), the criterion is absolute: error ≤ MIN_NORMAL. Where the
 * reference is beyond the double range (selu's λz for z &gt; MAX_VALUE/λ), the correctly rounded
 * result ±∞ is required.
 */
class AccuracyTest {
    private static final Logger LOG = LoggerFactory.getLogger(AccuracyTest.class);
    private static final double TOLERANCE = 1e-15;
    private static final BigDecimal MIN_NORMAL = new BigDecimal(Double.MIN_NORMAL);
    /** MAX_VALUE + ½ulp: from here on, round to nearest gives ±∞. */
    private static final BigDecimal OVERFLOW = new BigDecimal(Double.MAX_VALUE)
            .add(new BigDecimal(Math.ulp(Double.MAX_VALUE) / 2));

    static Stream<Activation> builtIns() {
        return Stream.of(new Identity(), new Sigmoid(), new Tanh(), new Relu(), new LeakyRelu(), new Elu(), new Selu(),
                new Softplus(), new Gelu(), new GeluTanh(), new Silu(), new Softsign());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builtIns")
    void matchesTheHighPrecisionReference(Activation a) {
        var reference = ReferenceActivations.BY_NAME.get(a.name());
        List<String> failures = new ArrayList<>();
        double[] worst = new double[5];
        double[] points = AccuracySample.points(a.name());
        // the bulk σ-and-σ' path too (the vector kernels of tanh and sigmoid when jdk.incubator.vector is present)
        double[] bulkValue = new double[points.length];
        double[] bulkDeriv = new double[points.length];
        a.valuesAndDerivatives(points, 0, bulkValue, 0, bulkDeriv, 0, points.length);
        for (int i = 0; i < points.length; i++) {
            double z = points[i];
            ReferenceActivations.Triple exact = reference.apply(new BigDecimal(z));
            worst[0] = Math.max(worst[0], check(a.name() + "(" + z + ")", exact.value(), a.value(z), failures));
            worst[1] = Math.max(worst[1], check(a.name() + "'(" + z + ")", exact.derivative(), a.derivative(z), failures));
            worst[2] = Math.max(worst[2],
                    check(a.name() + "''(" + z + ")", exact.secondDerivative(), a.secondDerivative(z), failures));
            worst[3] = Math.max(worst[3], check("bulk " + a.name() + "(" + z + ")", exact.value(), bulkValue[i], failures));
            worst[4] = Math.max(worst[4],
                    check("bulk " + a.name() + "'(" + z + ")", exact.derivative(), bulkDeriv[i], failures));
        }
        LOG.info("{}: max scaled error σ {}, σ' {}, σ'' {}; bulk σ {}, σ' {}", a.name(), (float) worst[0], (float) worst[1],
                (float) worst[2], (float) worst[3], (float) worst[4]);
        assertTrue(failures.isEmpty(), () -> failures.size() + " points out of tolerance:\n" + String.join("\n", failures));
    }

    /** Returns the scaled error (0 where the absolute criterion applies and holds). */
    private static double check(String what, ReferenceActivations.Exact exact, double actual, List<String> failures) {
        if (exact.value().abs().compareTo(OVERFLOW) >= 0) {
            double rounded = Math.copySign(Double.POSITIVE_INFINITY, exact.value().signum());
            if (actual != rounded) {
                failures.add(what + " = " + actual + ", expected " + rounded + " (the exact value "
                        + exact.value().round(MathContext.DECIMAL64) + " is beyond the double range)");
            }
            return 0;
        }
        if (!Double.isFinite(actual)) {
            failures.add(what + " = " + actual + ", expected " + exact.value().round(MathContext.DECIMAL64));
            return Double.POSITIVE_INFINITY;
        }
        // with a MathContext: an exact subtraction would align e.g. 1e-300 with 1e-30000000 digit by digit
        BigDecimal error = new BigDecimal(actual).subtract(exact.value(), HighPrecision.MC).abs();
        BigDecimal scale = exact.scale().max(exact.value().abs());
        if (scale.compareTo(MIN_NORMAL) < 0) {
            if (error.compareTo(MIN_NORMAL) > 0) {
                failures.add(what + " = " + actual + ", expected " + exact.value().round(MathContext.DECIMAL64)
                        + " (absolute error " + error.doubleValue() + " > MIN_NORMAL)");
            }
            return 0;
        }
        double scaled = error.divide(scale, MathContext.DECIMAL64).doubleValue();
        if (scaled > TOLERANCE) {
            failures.add(what + " = " + actual + ", expected " + exact.value().round(MathContext.DECIMAL64)
                    + " (error " + scaled + " of scale " + scale.doubleValue() + ")");
        }
        return scaled;
    }

    /** The criterion is not toothless: textbook formulas that cancel or cut off fail it. */
    @org.junit.jupiter.api.Test
    void naiveFormulasFailTheCriterion() {
        List<String> failures = new ArrayList<>();
        double s = 1 / (1 + Math.exp(-40.0));
        check("naive sigmoid'(40) = s(1-s)", ReferenceActivations.BY_NAME.get("sigmoid").apply(new BigDecimal(40)).derivative(),
                s * (1 - s), failures);
        double t = Math.tanh(20.0);
        check("naive tanh'(20) = 1-t²", ReferenceActivations.BY_NAME.get("tanh").apply(new BigDecimal(20)).derivative(),
                1 - t * t, failures);
        check("softplus(20) cut off to z", ReferenceActivations.BY_NAME.get("softplus").apply(new BigDecimal(20)).value(),
                20.0, failures);
        double z = -20;
        double u = Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z);
        check("gelu-tanh(-20) = z(1+tanh u)/2", ReferenceActivations.BY_NAME.get("gelu-tanh").apply(new BigDecimal(z)).value(),
                0.5 * z * (1 + Math.tanh(u)), failures);
        assertEquals(4, failures.size(), failures::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builtIns")
    void infiniteInputsGiveTheLimits(Activation a) {
        double[][] limits = limits(a.name());
        assertLimit(a.name() + "(+inf)", limits[0][0], a.value(Double.POSITIVE_INFINITY));
        assertLimit(a.name() + "'(+inf)", limits[0][1], a.derivative(Double.POSITIVE_INFINITY));
        assertLimit(a.name() + "''(+inf)", limits[0][2], a.secondDerivative(Double.POSITIVE_INFINITY));
        assertLimit(a.name() + "(-inf)", limits[1][0], a.value(Double.NEGATIVE_INFINITY));
        assertLimit(a.name() + "'(-inf)", limits[1][1], a.derivative(Double.NEGATIVE_INFINITY));
        assertLimit(a.name() + "''(-inf)", limits[1][2], a.secondDerivative(Double.NEGATIVE_INFINITY));
    }

    private static void assertLimit(String what, double expected, double actual) {
        assertTrue(expected == actual, () -> what + ": expected the limit " + expected + ", got " + actual);
    }

    /** {{σ, σ', σ''} at +∞, {σ, σ', σ''} at −∞}. */
    private static double[][] limits(String name) {
        double inf = Double.POSITIVE_INFINITY;
        switch (name) {
            case "identity": return new double[][] {{inf, 1, 0}, {-inf, 1, 0}};
            case "sigmoid": return new double[][] {{1, 0, 0}, {0, 0, 0}};
            case "tanh": return new double[][] {{1, 0, 0}, {-1, 0, 0}};
            case "relu": return new double[][] {{inf, 1, 0}, {0, 0, 0}};
            case "leaky-relu": return new double[][] {{inf, 1, 0}, {-inf, 0.01, 0}};
            case "elu": return new double[][] {{inf, 1, 0}, {-1, 0, 0}};
            case "selu": return new double[][] {{inf, Selu.LAMBDA, 0}, {-1.7580993408473768, 0, 0}};
            case "softplus": return new double[][] {{inf, 1, 0}, {0, 0, 0}};
            case "softsign": return new double[][] {{1, 0, 0}, {-1, 0, 0}};
            case "gelu": case "gelu-tanh": case "silu": return new double[][] {{inf, 1, 0}, {0, 0, 0}};
            default: throw new AssertionError("no limits for " + name);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builtIns")
    void nanGivesNan(Activation a) {
        for (DoubleUnaryOperator f : List.<DoubleUnaryOperator>of(a::value, a::derivative, a::secondDerivative)) {
            assertTrue(Double.isNaN(f.applyAsDouble(Double.NaN)), a.name());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builtIns")
    void kinkConventionUsesTheLeftBranchAtZero(Activation a) {
        double left = -Double.MIN_VALUE;
        for (double zero : new double[] {0.0, -0.0}) {
            assertEquals(a.derivative(left), a.derivative(zero), 1e-300, a.name() + "'(" + zero + ")");
            assertEquals(a.secondDerivative(left), a.secondDerivative(zero), 1e-300, a.name() + "''(" + zero + ")");
        }
    }
}
