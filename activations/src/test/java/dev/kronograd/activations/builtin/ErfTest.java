package dev.kronograd.activations.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The fdlibm erf/erfc port and the scaled tail against the 100-digit reference. */
class ErfTest {
    private static final Logger LOG = LoggerFactory.getLogger(ErfTest.class);
    /** About 4.5 ulp: fdlibm documents &lt; 1 ulp for its own exp; Java's exp is within 1 ulp. */
    private static final double TOLERANCE = 1e-15;

    private static double relativeError(BigDecimal exact, double actual) {
        return new BigDecimal(actual).subtract(exact, HighPrecision.MC).abs()
                .divide(exact.abs(), MathContext.DECIMAL64).doubleValue();
    }

    @Test
    void erfAndErfcAreAccurate() {
        Random random = new Random(11);
        double worstErf = 0;
        double worstErfc = 0;
        for (int i = 0; i < 400; i++) {
            double x = i < 200 ? -7 + 14 * random.nextDouble() : -2 + 28.5 * random.nextDouble();
            BigDecimal erfc = HighPrecision.erfc(new BigDecimal(x));
            double errErfc = relativeError(erfc, Erf.erfc(x));
            worstErfc = Math.max(worstErfc, errErfc);
            assertTrue(errErfc <= TOLERANCE, "erfc(" + x + ") error " + errErfc);
            BigDecimal erf = BigDecimal.ONE.subtract(erfc, HighPrecision.MC);
            if (erf.signum() != 0) {
                double errErf = relativeError(erf, Erf.erf(x));
                worstErf = Math.max(worstErf, errErf);
                assertTrue(errErf <= TOLERANCE, "erf(" + x + ") error " + errErf);
            }
        }
        LOG.info("max relative error erf {}, erfc {}", (float) worstErf, (float) worstErfc);
    }

    @Test
    void scaledTailIsAccurate() {
        Random random = new Random(12);
        for (int i = 0; i < 100; i++) {
            double x = 1.25 + 26 * random.nextDouble();
            BigDecimal v = new BigDecimal(x);
            BigDecimal exact = HighPrecision.erfc(v).multiply(HighPrecision.exp(v.multiply(v)), HighPrecision.MC);
            double err = relativeError(exact, Erf.erfcxTail(x));
            assertTrue(err <= TOLERANCE, "erfcx(" + x + ") error " + err);
        }
    }

    @Test
    void specialValues() {
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, Erf.erfc(Double.POSITIVE_INFINITY));
        assertEquals(2.0, Erf.erfc(Double.NEGATIVE_INFINITY));
        assertEquals(1.0, Erf.erfc(0.0));
        assertEquals(-0.0, Erf.erf(-0.0));
        assertEquals(1e-310 * 1.1283791670955126, Erf.erf(1e-310), 1e-323);
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
        assertTrue(Double.isNaN(Erf.erfc(Double.NaN)));
    }
}
