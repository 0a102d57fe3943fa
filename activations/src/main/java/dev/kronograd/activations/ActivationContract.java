package dev.kronograd.activations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * The test kit for {@link Activation} implementations: one call checks an activation against the
 * SPI contract and returns a {@link ContractReport}. It has no test-framework dependency:
 *
 * <pre>{@code
 * @Test
 * void mishHonoursTheContract() {
 *     ActivationContract.verify(new Mish()).assertPassed();
 * }
 * }</pre>
 *
 * <h2>What is checked</h2>
 * <ul>
 *   <li><b>name</b>: not null, matches {@code [a-z0-9-]+}, the same on every call; {@code kinks()}
 *       returns finite numbers.</li>
 *   <li><b>derivative</b> and <b>second derivative</b>, at seeded random points (half in [−5, 5],
 *       a quarter in [−40, 40], a quarter of magnitude 10^[−6, 3] with either sign), and at the
 *       far points ±2e3, ±1e4, ±1e6, ±1e10, ±1e20, ±1e50, ±1e100, ±1e200, ±1e300: σ' against a
 *       Richardson-extrapolated central difference of σ, σ'' against one of σ'. With
 *       h = ∛ε·max(1, |z|) and D(h) = (f(z+h) − f(z−h))/2h, the estimate (4D(h/2) − D(h))/3 has
 *       truncation error O(h⁴). A point passes if |d − estimate| ≤ tol·max(|d|, |estimate|) +
 *       32(ε·F + {@link Double#MIN_VALUE})/h, where F is the largest |f| on the stencil: the second
 *       term is the rounding noise of the difference (f's ulp is ε·|f|, or MIN_VALUE once f is
 *       subnormal), so where σ' is tiny next to σ (saturation) only gross errors are caught —
 *       accuracy there is the implementation's own job. Points within 4h of a kink (declared by
 *       {@link Activation#kinks()} or {@link ContractOptions#withKinks}) are skipped, as are
 *       points where f is not finite on the stencil.</li>
 *   <li><b>bulk forms</b> ({@code values}, {@code derivatives}, {@code secondDerivatives},
 *       {@code valuesAndDerivatives}) return exactly (bit for bit, NaN matching NaN) what the
 *       scalar forms return, for several offsets and lengths including n = 0, in place (output =
 *       input at the same offset) too, and write nothing outside the output range.</li>
 *   <li><b>finite</b>: σ, σ', σ'' are finite at ±0.0, ±{@link Double#MIN_VALUE}, ±1e−300, ±1e−8,
 *       ±0.5, ±1, ±20, ±40, ±700, ±710, ±1e3, ±1e4, ±1e100, ±1e308.</li>
 * </ul>
 * An exception thrown by the activation is reported as a failure of the check that called it.
 */
public final class ActivationContract {
    private static final double EPS = Math.ulp(1.0);
    private static final double CBRT_EPS = Math.cbrt(EPS);
    /**
     * Rounding noise allowance of the difference, in units of (ε·F + MIN_VALUE)/h: about 20 ulp of
     * f, where an ulp of a subnormal f is {@link Double#MIN_VALUE}.
     */
    private static final double NOISE = 32;
    /** What output arrays hold before a bulk call, to detect writes outside the output range. */
    private static final double SENTINEL = -1234.5678;
    /**
     * Far points, beyond the random points' magnitude 10^3, where σ' and σ'' are checked by the
     * same difference as elsewhere: a derivative wrong only for large |z| fails here.
     */
    private static final double[] FAR_POINTS = {2e3, -2e3, 1e4, -1e4, 1e6, -1e6, 1e10, -1e10, 1e20, -1e20, 1e50, -1e50,
        1e100, -1e100, 1e200, -1e200, 1e300, -1e300};
    private static final double[] FINITE_POINTS = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-300, -1e-300,
        1e-8, -1e-8, 0.5, -0.5, 1, -1, 20, -20, 40, -40, 700, -700, 710, -710, 1e3, -1e3, 1e4, -1e4, 1e100, -1e100,
        1e308, -1e308};

    private ActivationContract() {
    }

    /** Checks {@code activation} with {@link ContractOptions#defaults()}. */
    public static ContractReport verify(Activation activation) {
        return verify(activation, ContractOptions.defaults());
    }

    /** Checks {@code activation} with the given options. */
    public static ContractReport verify(Activation activation, ContractOptions options) {
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(options, "options");
        return new Run(activation, options).run();
    }

    /** The state of one verification. */
    private static final class Run {
        private final Activation a;
        private final ContractOptions options;
        private final Random random;
        private final List<ContractReport.Failure> failures = new ArrayList<>();
        private int checks;
        private String name;
        private double[] kinks = new double[0];

        Run(Activation a, ContractOptions options) {
            this.a = a;
            this.options = options;
            this.random = new Random(options.seed());
        }

        ContractReport run() {
            checkName();
            checkFinite();
            checkDifferences("derivative", a::value, a::derivative, options.derivativeTolerance());
            checkDifferences("second derivative", a::derivative, a::secondDerivative, options.secondDerivativeTolerance());
            checkBulk();
            failures.sort(ContractReport.FAILURE_ORDER);
            return new ContractReport(name, a.getClass().getName(), checks, failures);
        }

        private void fail(String check, double z, double expected, double actual, String detail) {
            failures.add(new ContractReport.Failure(check, z, expected, actual, detail));
        }

        private void checkName() {
            try {
                name = a.name();
                checks++;
                if (name == null) {
                    fail("name", Double.NaN, Double.NaN, Double.NaN, "name() returned null");
                } else if (!ActivationRegistry.isValidName(name)) {
                    fail("name", Double.NaN, Double.NaN, Double.NaN, "name '" + name + "' does not match "
                            + ActivationRegistry.NAME_RULE + " (lower-case letters, digits and '-')");
                }
                for (int i = 0; i < 2; i++) {
                    String again = a.name();
                    checks++;
                    if (!Objects.equals(name, again)) {
                        fail("name", Double.NaN, Double.NaN, Double.NaN, "name() is not stable: '" + name + "', then '" + again + "'");
                    }
                }
            } catch (RuntimeException e) {
                fail("name", Double.NaN, Double.NaN, Double.NaN, "name() threw " + e);
            }
            try {
                double[] declared = a.kinks();
                checks++;
                if (declared == null) {
                    fail("kinks", Double.NaN, Double.NaN, Double.NaN, "kinks() returned null; return an empty array instead");
                } else {
                    for (double k : declared) {
                        if (!Double.isFinite(k)) {
                            fail("kinks", k, Double.NaN, Double.NaN, "kinks() must return finite points");
                        }
                    }
                    kinks = declared.clone();
                }
            } catch (RuntimeException e) {
                fail("kinks", Double.NaN, Double.NaN, Double.NaN, "kinks() threw " + e);
            }
            double[] extra = options.kinks();
            kinks = Arrays.copyOf(kinks, kinks.length + extra.length);
            System.arraycopy(extra, 0, kinks, kinks.length - extra.length, extra.length);
        }

        private void checkFinite() {
            for (double z : FINITE_POINTS) {
                checkFinite("finite value", z, a::value);
                checkFinite("finite derivative", z, a::derivative);
                checkFinite("finite second derivative", z, a::secondDerivative);
            }
        }

        private void checkFinite(String check, double z, DoubleUnaryOperator f) {
            checks++;
            try {
                double y = f.applyAsDouble(z);
                if (!Double.isFinite(y)) {
                    fail(check, z, Double.NaN, y, "a finite input must give a finite output");
                }
            } catch (RuntimeException e) {
                fail(check, z, Double.NaN, Double.NaN, "threw " + e);
            }
        }

        /** d = f' is checked against the Richardson-extrapolated central difference of f. */
        private void checkDifferences(String check, DoubleUnaryOperator f, DoubleUnaryOperator d, double tolerance) {
            Random points = new Random(random.nextLong());
            for (int i = 0; i < options.points() + FAR_POINTS.length; i++) {
                double z = i < options.points() ? randomPoint(points) : FAR_POINTS[i - options.points()];
                double h = CBRT_EPS * Math.max(1, Math.abs(z));
                if (nearKink(z, 4 * h)) {
                    continue;
                }
                try {
                    double[] stencil = {f.applyAsDouble(z - h), f.applyAsDouble(z + h),
                        f.applyAsDouble(z - h / 2), f.applyAsDouble(z + h / 2)};
                    double scale = 0;
                    for (double y : stencil) {
                        scale = Math.max(scale, Math.abs(y));
                    }
                    if (!Double.isFinite(scale)) {
                        continue;
                    }
                    double wide = (stencil[1] - stencil[0]) / ((z + h) - (z - h));
                    double narrow = (stencil[3] - stencil[2]) / ((z + h / 2) - (z - h / 2));
                    double estimate = (4 * narrow - wide) / 3;
                    double actual = d.applyAsDouble(z);
                    checks++;
                    double allowed = tolerance * Math.max(Math.abs(actual), Math.abs(estimate))
                            + NOISE * (EPS * scale + Double.MIN_VALUE) / h;
                    if (!(Math.abs(actual - estimate) <= allowed)) {
                        fail(check, z, estimate, actual, "Richardson central difference with h = " + brief(h)
                                + ", allowed error " + brief(allowed));
                    }
                } catch (RuntimeException e) {
                    checks++;
                    fail(check, z, Double.NaN, Double.NaN, "threw " + e);
                }
            }
        }

        /** x with float precision, or with double precision where a float would overflow or flush to 0. */
        private static String brief(double x) {
            float f = (float) x;
            return Float.isFinite(f) && (f != 0 || x == 0) ? String.valueOf(f) : String.valueOf(x);
        }

        private static double randomPoint(Random r) {
            double u = r.nextDouble();
            if (u < 0.5) {
                return -5 + 10 * r.nextDouble();
            }
            if (u < 0.75) {
                return -40 + 80 * r.nextDouble();
            }
            double magnitude = Math.pow(10, -6 + 9 * r.nextDouble());
            return r.nextBoolean() ? magnitude : -magnitude;
        }

        private boolean nearKink(double z, double distance) {
            for (double k : kinks) {
                if (Math.abs(z - k) <= distance) {
                    return true;
                }
            }
            return false;
        }

        private void checkBulk() {
            int length = FINITE_POINTS.length + 12;
            double[] z = Arrays.copyOf(FINITE_POINTS, length);
            for (int i = FINITE_POINTS.length; i < length; i++) {
                z[i] = randomPoint(random);
            }
            double[] values = new double[length];
            double[] derivatives = new double[length];
            double[] seconds = new double[length];
            for (int i = 0; i < length; i++) {
                try {
                    values[i] = a.value(z[i]);
                    derivatives[i] = a.derivative(z[i]);
                    seconds[i] = a.secondDerivative(z[i]);
                } catch (RuntimeException e) {
                    return; // already reported by the finite checks
                }
            }
            int[][] ranges = {{0, 0, 0}, {3, 5, 0}, {0, 0, length}, {1, 0, length - 1}, {0, 2, length - 3},
                {5, 7, 13}, {length - 1, 0, 1}};
            for (int[] range : ranges) {
                int zOff = range[0];
                int outOff = range[1];
                int n = range[2];
                checkBulk("bulk values", z, zOff, outOff, n, values, a::values);
                checkBulk("bulk derivatives", z, zOff, outOff, n, derivatives, a::derivatives);
                checkBulk("bulk second derivatives", z, zOff, outOff, n, seconds, a::secondDerivatives);
                checkValuesAndDerivatives(z, zOff, outOff, n, values, derivatives);
            }
        }

        /** A bulk method, as in {@link Activation#values}. */
        private interface Bulk {
            void apply(double[] z, int zOff, double[] out, int outOff, int n);
        }

        private void checkBulk(String check, double[] z, int zOff, int outOff, int n, double[] expected, Bulk bulk) {
            double[] out = sentinels(outOff + n + 3);
            double[] input = z.clone();
            try {
                bulk.apply(input, zOff, out, outOff, n);
                compare(check, z, zOff, n, expected, out, outOff, sentinels(out.length), "zOff = " + zOff + ", outOff = " + outOff);
                if (!Arrays.equals(input, z)) {
                    fail(check, Double.NaN, Double.NaN, Double.NaN, "modified its input (zOff = " + zOff + ", n = " + n + ")");
                }
                double[] inPlace = z.clone();
                bulk.apply(inPlace, zOff, inPlace, zOff, n);
                compare(check + " in place", z, zOff, n, expected, inPlace, zOff, z, "zOff = outOff = " + zOff);
            } catch (RuntimeException e) {
                checks++;
                fail(check, Double.NaN, Double.NaN, Double.NaN, "threw " + e + " for zOff = " + zOff + ", outOff = " + outOff
                        + ", n = " + n);
            }
        }

        private void checkValuesAndDerivatives(double[] z, int zOff, int outOff, int n, double[] values, double[] derivatives) {
            String check = "bulk valuesAndDerivatives";
            try {
                double[] value = sentinels(outOff + n + 3);
                double[] deriv = sentinels(n + 4);
                a.valuesAndDerivatives(z.clone(), zOff, value, outOff, deriv, 1, n);
                compare(check + " (values)", z, zOff, n, values, value, outOff, sentinels(value.length),
                        "zOff = " + zOff + ", valueOff = " + outOff);
                compare(check + " (derivatives)", z, zOff, n, derivatives, deriv, 1, sentinels(deriv.length),
                        "zOff = " + zOff + ", derivOff = 1");
                double[] valueInPlace = z.clone();
                deriv = sentinels(n + 4);
                a.valuesAndDerivatives(valueInPlace, zOff, valueInPlace, zOff, deriv, 1, n);
                compare(check + " (values in place)", z, zOff, n, values, valueInPlace, zOff, z, "value = z");
                compare(check + " (derivatives)", z, zOff, n, derivatives, deriv, 1, sentinels(deriv.length), "value = z");
                double[] derivInPlace = z.clone();
                value = sentinels(outOff + n + 3);
                a.valuesAndDerivatives(derivInPlace, zOff, value, outOff, derivInPlace, zOff, n);
                compare(check + " (values)", z, zOff, n, values, value, outOff, sentinels(value.length), "deriv = z");
                compare(check + " (derivatives in place)", z, zOff, n, derivatives, derivInPlace, zOff, z, "deriv = z");
            } catch (RuntimeException e) {
                checks++;
                fail(check, Double.NaN, Double.NaN, Double.NaN, "threw " + e + " for zOff = " + zOff + ", n = " + n);
            }
        }

        /**
         * out[outOff + i] must equal expected[zOff + i] bit for bit (NaN matching NaN); every other
         * element of out must still hold what {@code before} holds.
         */
        private void compare(String check, double[] z, int zOff, int n, double[] expected, double[] out, int outOff,
                             double[] before, String where) {
            for (int i = 0; i < n; i++) {
                checks++;
                double e = expected[zOff + i];
                double got = out[outOff + i];
                if (Double.compare(e, got) != 0) {
                    fail(check, z[zOff + i], e, got, "the bulk form must equal the scalar form exactly (" + where + ")");
                }
            }
            for (int j = 0; j < out.length; j++) {
                if (j >= outOff && j < outOff + n) {
                    continue;
                }
                checks++;
                if (Double.doubleToRawLongBits(out[j]) != Double.doubleToRawLongBits(before[j])) {
                    fail(check, Double.NaN, before[j], out[j], "wrote outside its output range at index " + j + " (" + where
                            + ", n = " + n + ")");
                }
            }
        }

        private static double[] sentinels(int length) {
            double[] a = new double[length];
            Arrays.fill(a, SENTINEL);
            return a;
        }
    }
}
