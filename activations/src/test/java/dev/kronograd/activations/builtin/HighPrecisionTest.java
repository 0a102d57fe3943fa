package dev.kronograd.activations.builtin;

import static dev.kronograd.activations.builtin.HighPrecision.MC;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The reference is only as good as this: known constants, two methods agreeing, derivatives by differences. */
class HighPrecisionTest {

    private static void assertClose(BigDecimal expected, BigDecimal actual, String relative, String what) {
        BigDecimal error = actual.subtract(expected, MC).abs();
        BigDecimal allowed = expected.abs().multiply(new BigDecimal(relative));
        assertTrue(error.compareTo(allowed) <= 0, () -> what + ": " + actual + " vs " + expected);
    }

    @Test
    void knownConstants() {
        assertClose(new BigDecimal("2.718281828459045235360287471352662497757247093699959574966967627724076630353547594571"),
                HighPrecision.E, "1e-80", "e");
        assertClose(new BigDecimal("0.693147180559945309417232121458176568075500134360255254120680009493393621969694715605"),
                HighPrecision.LN2, "1e-80", "ln 2");
        assertClose(new BigDecimal("0.842700792949714869341220635082609259296066997966302908459937897834"),
                BigDecimal.ONE.subtract(HighPrecision.erfc(BigDecimal.ONE), MC), "1e-60", "erf(1)");
        assertClose(new BigDecimal("2.0884875837625447570007862949577886115608181193211e-45"),
                HighPrecision.erfc(BigDecimal.TEN), "1e-45", "erfc(10)");
        assertClose(new BigDecimal("0.761594155955764888119458282604793590412768597257936551596810500121953244576638"),
                HighPrecision.tanh(BigDecimal.ONE), "1e-45", "tanh(1)");
    }

    @Test
    void seriesAndContinuedFractionAgree() {
        for (String x : new String[] {"4", "5", "5.75", "6"}) {
            BigDecimal v = new BigDecimal(x);
            BigDecimal series = BigDecimal.ONE.subtract(HighPrecision.erfSeries(v), MC);
            assertClose(series, HighPrecision.erfcContinuedFraction(v, 3000), "1e-60", "erfc(" + x + ")");
        }
        BigDecimal six = BigDecimal.valueOf(6);
        assertClose(HighPrecision.erfcContinuedFraction(six, 6000), HighPrecision.erfcContinuedFraction(six, 3000),
                "1e-80", "continued fraction converged at 6");
        for (String x : new String[] {"6", "8.5", "20", "28.3", "1000"}) {
            BigDecimal v = new BigDecimal(x);
            assertClose(HighPrecision.erfcContinuedFraction(v, 3000), HighPrecision.erfcContinuedFraction(v),
                    "1e-95", "forward evaluation with a stopping rule at " + x);
        }
    }

    @Test
    void logAndExpAreInverse() {
        for (String x : new String[] {"1e-300", "0.001", "0.5", "1.7", "123.456", "1e200"}) {
            BigDecimal v = new BigDecimal(x);
            assertClose(v, HighPrecision.exp(HighPrecision.log(v)), "1e-90", "exp(log(" + x + "))");
            if (v.compareTo(new BigDecimal("0.001")) >= 0) {
                assertClose(HighPrecision.log(BigDecimal.ONE.add(v, MC)), HighPrecision.log1p(v), "1e-90", "log1p(" + x + ")");
            }
        }
        // log1p(y) = y − y²/2 + … for tiny y, where log(1 + y) would round 1 + y to 1
        assertClose(new BigDecimal("1e-300"), HighPrecision.log1p(new BigDecimal("1e-300")), "1e-299", "log1p(1e-300)");
        assertClose(new BigDecimal("1e-20"), HighPrecision.expm1(new BigDecimal("1e-20")), "1e-19", "expm1(1e-20)");
    }

    /** σ' and σ'' of every reference against 100-digit central differences of σ and σ' (h = 1e-30). */
    @Test
    void referenceDerivativesMatchTheirDifferences() {
        BigDecimal h = new BigDecimal("1e-30");
        for (Map.Entry<String, Function<BigDecimal, ReferenceActivations.Triple>> e : ReferenceActivations.BY_NAME.entrySet()) {
            for (String point : new String[] {"-2.5", "-0.7", "0.3", "1.9", "4.2"}) {
                BigDecimal z = new BigDecimal(point);
                ReferenceActivations.Triple at = e.getValue().apply(z);
                ReferenceActivations.Triple plus = e.getValue().apply(z.add(h));
                ReferenceActivations.Triple minus = e.getValue().apply(z.subtract(h));
                BigDecimal twoH = h.multiply(HighPrecision.TWO);
                BigDecimal d = plus.value().value().subtract(minus.value().value(), MC).divide(twoH, MC);
                BigDecimal d2 = plus.derivative().value().subtract(minus.derivative().value(), MC).divide(twoH, MC);
                BigDecimal scale = BigDecimal.ONE.max(at.value().value().abs());
                String what = e.getKey() + " at " + point;
                assertTrue(d.subtract(at.derivative().value(), MC).abs().compareTo(scale.multiply(new BigDecimal("1e-40"))) < 0,
                        what + " σ'");
                assertTrue(d2.subtract(at.secondDerivative().value(), MC).abs().compareTo(scale.multiply(new BigDecimal("1e-40"))) < 0,
                        what + " σ''");
            }
        }
    }
}
