package dev.kronograd.activations.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

/**
 * The vector kernels of tanh and sigmoid and the exponential they share. The module's build runs its
 * tests with {@code --add-modules jdk.incubator.vector}, without it, and (this class only) with it
 * plus {@code -Dkronograd.vectorApi=false}, and tells each run through
 * {@code kronograd.test.expectVectorApi} which kernel to expect; run elsewhere (an IDE), the
 * expectation follows the JVM. Wherever the module is present, the vector kernels are also called
 * directly and compared with the scalar loops bit for bit.
 */
class BulkKernelsTest {

    private static boolean moduleInBootLayer() {
        return ModuleLayer.boot().findModule(BulkKernels.VECTOR_MODULE).isPresent();
    }

    private static boolean switchedOff() {
        String value = System.getProperty(BulkKernels.PROPERTY);
        return value != null && value.trim().toLowerCase(Locale.ROOT).equals("false");
    }

    private static boolean vectorKernelUsable() {
        return moduleInBootLayer() && !switchedOff() && VectorKernels.lanes() >= 2;
    }

    @Test
    void vectorKernelsRunExactlyWhenTheModuleIsPresentAndNotSwitchedOff() {
        assertEquals(vectorKernelUsable(), BulkKernels.VECTOR_API, BulkKernels.SELECTION);
    }

    @Test
    void thisTestRunGetsTheKernelsItsBuildConfigurationExpects() {
        String expected = System.getProperty("kronograd.test.expectVectorApi");
        boolean expectVector = expected == null ? vectorKernelUsable() : Boolean.parseBoolean(expected);
        assertEquals(expectVector, BulkKernels.VECTOR_API, "module in boot layer: " + moduleInBootLayer() + ", "
                + BulkKernels.PROPERTY + "=" + System.getProperty(BulkKernels.PROPERTY) + ", selection: "
                + BulkKernels.SELECTION);
    }

    @Test
    void selectionNamesTheKernelsAndWhy() {
        String selection = BulkKernels.SELECTION;
        if (BulkKernels.VECTOR_API) {
            assertTrue(selection.startsWith("Vector API, " + VectorKernels.lanes() + " lanes"), selection);
        } else if (switchedOff()) {
            assertEquals("scalar (kronograd.vectorApi=false)", selection);
        } else if (!moduleInBootLayer()) {
            assertTrue(selection.startsWith("scalar (module jdk.incubator.vector not in the boot layer"), selection);
        } else {
            assertEquals("scalar (vectors of 1 double only)", selection);
        }
    }

    /**
     * The inputs: the accuracy samples of tanh and sigmoid, plus dense neighbourhoods of ±½ (the
     * tanh branch point), tiny and subnormal z, |z| near 19 (where 1 − tanh² would vanish), the
     * underflow ranges 350–375 and 700–750 of e^{−2|z|} and e^{−|z|}, seeded random points, the
     * specials, and every input again negated.
     */
    static double[] inputs() {
        DoubleStream.Builder all = DoubleStream.builder();
        for (double z : AccuracySample.points("tanh")) {
            all.add(z);
        }
        for (double z : AccuracySample.points("sigmoid")) {
            all.add(z);
        }
        double up = 0.5;
        double down = 0.5;
        for (int i = 0; i < 200; i++) {
            up = Math.nextUp(up);
            down = Math.nextDown(down);
            all.add(up);
            all.add(down);
        }
        for (int k = 1; k <= 1074; k++) {
            all.add(Math.scalb(1.0, -k));
            all.add(Math.scalb(1.7, -k));
        }
        Random random = new Random(20261205);
        for (int i = 0; i < 2000; i++) {
            all.add(Math.pow(10, -320 * random.nextDouble()));
            all.add(18 + 2 * random.nextDouble());
            all.add(350 + 25 * random.nextDouble());
            all.add(700 + 50 * random.nextDouble());
            all.add(random.nextDouble());
            all.add(40 * random.nextDouble());
            all.add(Math.pow(10, 308 * random.nextDouble()));
        }
        for (double z : new double[] {0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.MAX_VALUE,
            Double.MIN_VALUE, Double.MIN_NORMAL, 1000, 1e4}) {
            all.add(z);
        }
        double[] positive = all.build().toArray();
        double[] both = new double[2 * positive.length];
        for (int i = 0; i < positive.length; i++) {
            both[2 * i] = positive[i];
            both[2 * i + 1] = -positive[i];
        }
        return both;
    }

    /** {@link Exp#nonPositive} within 1 ulp of {@link Math#exp} (itself within 1 ulp), and 0 where it is. */
    @Test
    void exponentialAgreesWithMathExp() {
        List<String> failures = new ArrayList<>();
        Random random = new Random(5);
        List<Double> xs = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            xs.add(-Math.pow(10, -20 + 23 * random.nextDouble()));
            xs.add(-760 * random.nextDouble());
        }
        for (double x = -745.2; x <= -708; x += 1e-3) {
            xs.add(x);
        }
        // the boundary where e^x rounds to MIN_VALUE or 0, and where it leaves the normal range
        double zeroBoundary = -745.1332191019411;
        double normalBoundary = -708.3964185322641;
        for (double b : new double[] {zeroBoundary, normalBoundary}) {
            double u = b;
            double d = b;
            for (int i = 0; i < 100; i++) {
                xs.add(u = Math.nextUp(u));
                xs.add(d = Math.nextDown(d));
            }
        }
        for (double x : xs) {
            double expected = Math.exp(x);
            double actual = Exp.nonPositive(x);
            double ulp = Math.ulp(expected);
            if (Math.abs(actual - expected) > ulp) {
                failures.add("e^" + x + " = " + actual + ", Math.exp " + expected);
            }
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " points off by more than 1 ulp, e.g. "
                + failures.subList(0, Math.min(10, failures.size())));
        assertEquals(1.0, Exp.nonPositive(0.0));
        assertEquals(1.0, Exp.nonPositive(-0.0));
        assertEquals(0.0, Exp.nonPositive(-746));
        assertEquals(0.0, Exp.nonPositive(-1e4));
        assertEquals(0.0, Exp.nonPositive(-Double.MAX_VALUE));
        assertEquals(0.0, Exp.nonPositive(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Exp.nonPositive(Double.NaN)));
    }

    @FunctionalInterface
    private interface Kernel {
        void run(double[] z, int zOff, double[] value, int valueOff, double[] deriv, int derivOff, int n);
    }

    /** The vector kernel equals the scalar loop bit for bit (NaN matching NaN), at every tail length and offset. */
    private static void assertSameAsScalar(String name, Kernel vector, Kernel scalar) {
        double[] z = inputs();
        int n = z.length;
        for (int offset = 0; offset < 3; offset++) {
            for (int length : new int[] {n - offset, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 33}) {
                double[] v1 = new double[n + 2];
                double[] d1 = new double[n + 3];
                double[] v2 = new double[n + 2];
                double[] d2 = new double[n + 3];
                vector.run(z, offset, v1, 2, d1, 3, length);
                scalar.run(z, offset, v2, 2, d2, 3, length);
                for (int i = 0; i < v1.length; i++) {
                    assertSameBits(name + "(" + (i >= 2 && i - 2 < length ? z[offset + i - 2] : "outside") + ")",
                            v2[i], v1[i]);
                }
                for (int i = 0; i < d1.length; i++) {
                    assertSameBits(name + "'(" + (i >= 3 && i - 3 < length ? z[offset + i - 3] : "outside") + ")",
                            d2[i], d1[i]);
                }
            }
        }
        // in place, value over z and deriv over z
        double[] expectedValue = new double[n];
        double[] expectedDeriv = new double[n];
        scalar.run(z, 0, expectedValue, 0, expectedDeriv, 0, n);
        double[] inPlace = z.clone();
        double[] deriv = new double[n];
        vector.run(inPlace, 0, inPlace, 0, deriv, 0, n);
        double[] value = new double[n];
        double[] inPlaceDeriv = z.clone();
        vector.run(inPlaceDeriv, 0, value, 0, inPlaceDeriv, 0, n);
        for (int i = 0; i < n; i++) {
            assertSameBits(name + "(" + z[i] + ") in place", expectedValue[i], inPlace[i]);
            assertSameBits(name + "'(" + z[i] + ")", expectedDeriv[i], deriv[i]);
            assertSameBits(name + "(" + z[i] + ")", expectedValue[i], value[i]);
            assertSameBits(name + "'(" + z[i] + ") in place", expectedDeriv[i], inPlaceDeriv[i]);
        }
    }

    private static void assertSameBits(String what, double expected, double actual) {
        if (Double.isNaN(expected) && Double.isNaN(actual)) {
            return;
        }
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                () -> what + ": scalar " + expected + ", vector " + actual);
    }

    @Test
    void vectorTanhEqualsTheScalarLoop() {
        assumeTrue(moduleInBootLayer(), "jdk.incubator.vector is not in the boot layer");
        assertSameAsScalar("tanh", VectorKernels::tanh, Tanh::scalarValuesAndDerivatives);
    }

    @Test
    void vectorSigmoidEqualsTheScalarLoop() {
        assumeTrue(moduleInBootLayer(), "jdk.incubator.vector is not in the boot layer");
        assertSameAsScalar("sigmoid", VectorKernels::sigmoid, Sigmoid::scalarValuesAndDerivatives);
    }

    /** The scalar loops are the scalar methods, so the vector kernels are too (the Activation contract). */
    @Test
    void scalarLoopsEqualTheScalarMethods() {
        double[] z = inputs();
        int n = z.length;
        double[] value = new double[n];
        double[] deriv = new double[n];
        Tanh tanh = new Tanh();
        Tanh.scalarValuesAndDerivatives(z, 0, value, 0, deriv, 0, n);
        for (int i = 0; i < n; i++) {
            assertSameBits("tanh(" + z[i] + ")", tanh.value(z[i]), value[i]);
            assertSameBits("tanh'(" + z[i] + ")", tanh.derivative(z[i]), deriv[i]);
        }
        Sigmoid sigmoid = new Sigmoid();
        Sigmoid.scalarValuesAndDerivatives(z, 0, value, 0, deriv, 0, n);
        for (int i = 0; i < n; i++) {
            assertSameBits("sigmoid(" + z[i] + ")", sigmoid.value(z[i]), value[i]);
            assertSameBits("sigmoid'(" + z[i] + ")", sigmoid.derivative(z[i]), deriv[i]);
        }
    }

    /** The specials the scalar code documents, through the bulk method whichever kernel runs. */
    @Test
    void specialsThroughTheBulkMethod() {
        double[] z = new double[17];
        z[0] = -0.0;
        z[1] = Double.NaN;
        z[2] = Double.POSITIVE_INFINITY;
        z[3] = Double.NEGATIVE_INFINITY;
        z[4] = 700;
        z[5] = -Double.MIN_VALUE;
        double[] value = new double[z.length];
        double[] deriv = new double[z.length];
        new Tanh().valuesAndDerivatives(z, 0, value, 0, deriv, 0, z.length);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(value[0]));
        assertEquals(1.0, deriv[0]);
        assertTrue(Double.isNaN(value[1]) && Double.isNaN(deriv[1]));
        assertEquals(1.0, value[2]);
        assertEquals(0.0, deriv[2]);
        assertEquals(-1.0, value[3]);
        assertEquals(0.0, deriv[3]);
        assertEquals(1.0, value[4]);
        assertEquals(0.0, deriv[4]);
        assertEquals(-Double.MIN_VALUE, value[5]);
        new Sigmoid().valuesAndDerivatives(z, 0, value, 0, deriv, 0, z.length);
        assertEquals(0.5, value[0]);
        assertEquals(0.25, deriv[0]);
        assertTrue(Double.isNaN(value[1]) && Double.isNaN(deriv[1]));
        assertEquals(1.0, value[2]);
        assertEquals(0.0, deriv[2]);
        assertEquals(0.0, value[3]);
        assertEquals(0.0, deriv[3]);
        assertEquals(1.0, value[4]);
        assertEquals(9.859676543759770e-305, deriv[4], 1e-15 * 9.86e-305);
    }
}
