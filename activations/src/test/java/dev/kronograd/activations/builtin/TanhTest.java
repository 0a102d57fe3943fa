package dev.kronograd.activations.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The rational approximation {@link Tanh} uses for |z| ≤ ½ (instead of the non-intrinsified
 * {@code StrictMath.tanh}): relative error ≤ 1e−15 against the 100-digit reference — the accuracy
 * docs/activations.md promises for every built-in — on dense grids, and the same values from the
 * scalar and the bulk methods.
 */
class TanhTest {
    private static final double DOCUMENTED_RELATIVE_ERROR = 1e-15;
    private static final Tanh TANH = new Tanh();

    private static double relativeError(double z, double actual) {
        BigDecimal exact = HighPrecision.tanh(new BigDecimal(z));
        return new BigDecimal(actual).subtract(exact, HighPrecision.MC).abs()
                .divide(exact.abs(), MathContext.DECIMAL64).doubleValue();
    }

    @Test
    void smallBranchIsAccurateToTheDocumentedBound() {
        Random random = new Random(7);
        double worst = 0;
        for (int i = 0; i < 4000; i++) {
            // uniform on (0, ½] and log-uniform down to 1e-12, both signs; and the branch end itself
            double z = i % 2 == 0 ? 0.5 * (1 - random.nextDouble()) : 0.5 * Math.pow(10, -12 * random.nextDouble());
            z = random.nextBoolean() ? z : -z;
            worst = Math.max(worst, relativeError(z, TANH.value(z)));
        }
        worst = Math.max(worst, relativeError(0.5, TANH.value(0.5)));
        worst = Math.max(worst, relativeError(Math.nextDown(0.5), TANH.value(Math.nextDown(0.5))));
        double finalWorst = worst;
        assertTrue(worst <= DOCUMENTED_RELATIVE_ERROR, () -> "max relative error " + finalWorst);
    }

    @Test
    void derivativeReusingTheSmallBranchIsAccurate() {
        Random random = new Random(11);
        for (int i = 0; i < 500; i++) {
            double z = (random.nextDouble() - 0.5);
            BigDecimal t = HighPrecision.tanh(new BigDecimal(z));
            BigDecimal exact = BigDecimal.ONE.subtract(t.multiply(t, HighPrecision.MC), HighPrecision.MC);
            double error = new BigDecimal(TANH.derivative(z)).subtract(exact, HighPrecision.MC).abs()
                    .divide(exact, MathContext.DECIMAL64).doubleValue();
            assertTrue(error <= DOCUMENTED_RELATIVE_ERROR, () -> "tanh'(" + z + "): relative error " + error);
        }
    }

    @Test
    void tinyArgumentsAndSignedZero() {
        assertEquals(1e-300, TANH.value(1e-300));
        assertEquals(-1e-300, TANH.value(-1e-300));
        assertEquals(Double.MIN_VALUE, TANH.value(Double.MIN_VALUE));
        assertEquals(0.0, TANH.value(0.0));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(TANH.value(-0.0)));
        assertTrue(Double.isNaN(TANH.value(Double.NaN)));
        assertEquals(1.0, TANH.derivative(0.0));
    }

    @Test
    void bulkMatchesScalarBitForBit() {
        Random random = new Random(3);
        int n = 1000;
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = random.nextInt(4) == 0 ? 40 * (random.nextDouble() - 0.5) : random.nextDouble() - 0.5;
        }
        double[] value = new double[n];
        double[] deriv = new double[n];
        TANH.valuesAndDerivatives(z, 0, value, 0, deriv, 0, n);
        for (int i = 0; i < n; i++) {
            assertEquals(TANH.value(z[i]), value[i], "tanh(" + z[i] + ")");
            assertEquals(TANH.derivative(z[i]), deriv[i], "tanh'(" + z[i] + ")");
        }
    }
}
