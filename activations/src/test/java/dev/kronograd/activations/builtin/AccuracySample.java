package dev.kronograd.activations.builtin;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.DoubleStream;

/**
 * The points {@link AccuracyTest} checks each built-in on: the whole double range and, densely,
 * the neighbourhoods where an implementation switches formula or a result is delicate.
 *
 * <p>Common to every activation (≈ 5,900 points): ±0; subnormals (every power of two from
 * 2^−1074 to 2^−1022 and seeded subnormals with random mantissas); ±MIN_NORMAL, ±MAX_VALUE;
 * magnitudes log-spaced at 4 per decade from 1e−300 to 1e308, both signs; uniform grids with steps
 * 0.01 on [−1, 1], 0.1 on [−10, 10], 1 on [−60, 60] and 10 on [−760, 760]; seeded random points;
 * and the points of the test's earlier, sparse version. Per activation, the neighbourhood of each
 * of its branch points b (see {@link #BRANCH_POINTS}), both signs: b and ±1…±4 ulp, b(1 ± 2^−k)
 * for k = 1, 5, …, 49 and b ± 10^−k for odd k ≤ 15.
 */
final class AccuracySample {
    private static final double SQRT2 = Math.sqrt(2);

    /**
     * Where each built-in switches formula, saturates, or has a cancellation zero (both signs are
     * taken). Zero, the kink of the piecewise activations, is covered by the common points.
     */
    static final Map<String, double[]> BRANCH_POINTS = Map.ofEntries(
            Map.entry("identity", new double[0]),
            Map.entry("relu", new double[0]),
            Map.entry("leaky-relu", new double[0]),
            Map.entry("softsign", new double[0]),
            // e^{z} subnormal below −708.4, zero below −745.1
            Map.entry("elu", new double[] {708.3964185322641, 745.1332191019411}),
            Map.entry("selu", new double[] {708.3964185322641, 745.1332191019411}),
            // e^{−|z|} subnormal beyond 708.4, zero beyond 745.1
            Map.entry("sigmoid", new double[] {708.3964185322641, 745.1332191019411}),
            Map.entry("softplus", new double[] {708.3964185322641, 745.1332191019411}),
            // the rational branch ends at ½; e^{−2|z|} subnormal beyond 354.2, zero beyond 372.6
            Map.entry("tanh", new double[] {0.5, 354.19820926613204, 372.56660955097055}),
            // zeros of σ' (−1.2785) and σ'' (±2.3994); h = e^{−|z|/2}: h² subnormal beyond 708.4
            Map.entry("silu", new double[] {1.2784645427610741, 2.3993572805154675, 708.3964185322641,
                745.1332191019411, 1416.7928370645282, 1490.2664382038822}),
            // zeros of σ' (−0.7518) and σ'' (±√2); the lower tail below −2; saturation at 40; fdlibm
            // erfc's intervals |x| = 2^−56, 2^−28, 0.25, 0.84375, 1.25, 1/0.35, 6, 28 at x = −z/√2
            Map.entry("gelu", new double[] {0.7517915246935645, SQRT2, 2, 40, 0x1p-56 * SQRT2, 0x1p-28 * SQRT2,
                0.25 * SQRT2, 0.84375 * SQRT2, 1.25 * SQRT2, SQRT2 / 0.35, 6 * SQRT2, 28 * SQRT2}),
            // zeros of σ' (−0.7525) and σ'' (±1.4185); e^{−|v|} subnormal beyond |z| ≈ 21.1; saturation at 30
            Map.entry("gelu-tanh", new double[] {0.7524614220710163, 1.4185040087908283, 21.1, 21.15, 30}));

    private AccuracySample() {
    }

    /** The points for the built-in called {@code name}, in a fixed order. */
    static double[] points(String name) {
        double[] branches = BRANCH_POINTS.get(name);
        if (branches == null) {
            throw new IllegalArgumentException("no branch points for " + name);
        }
        DoubleStream.Builder all = DoubleStream.builder();
        earlier(all);
        common(all);
        for (double b : branches) {
            neighbourhood(b, all);
            neighbourhood(-b, all);
        }
        return all.build().distinct().toArray();
    }

    /** The points of the earlier, sparse version of the test, kept so that nothing checked before is dropped. */
    private static void earlier(DoubleStream.Builder all) {
        double[] fixed = {0, 1e-300, 1e-8, 0.5, 1, 3, 20, 40, 700, 1e3, 1e308,
            0.7517915246, SQRT2, 1.2784645428, 2.3994, 1.4,
            709, 712, 715.5, 21.1, 21.15, 37.6, 38.3, 38.5,
            0.5000000000000001, 2, 1.9999999999999998, 1.25 * SQRT2, 2.857 * SQRT2, 6 * SQRT2};
        for (double z : fixed) {
            all.add(z);
            all.add(-z);
        }
        Random random = new Random(20240917);
        for (int i = 0; i < 60; i++) {
            all.add(-40 + 80 * random.nextDouble());
        }
        for (int i = 0; i < 20; i++) {
            double magnitude = Math.pow(10, -6 + 9 * random.nextDouble());
            all.add(random.nextBoolean() ? magnitude : -magnitude);
        }
        for (int i = 0; i < 10; i++) {
            all.add(-745 + 1490 * random.nextDouble());
        }
    }

    private static void common(DoubleStream.Builder all) {
        List.of(0.0, -0.0, Double.MIN_NORMAL, -Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL),
                -Math.nextDown(Double.MIN_NORMAL), Double.MAX_VALUE, -Double.MAX_VALUE).forEach(all::add);
        for (int k = 1022; k <= 1074; k++) {
            all.add(Math.scalb(1.0, -k));
            all.add(-Math.scalb(1.0, -k));
        }
        Random random = new Random(20250301);
        for (int i = 0; i < 40; i++) {
            double subnormal = Double.longBitsToDouble(1 + (random.nextLong() & 0xfffffffffffffL) % 0xfffffffffffffL);
            all.add(random.nextBoolean() ? subnormal : -subnormal);
        }
        for (int i = 0; i <= 608 * 4; i++) {
            double magnitude = Math.pow(10, -300 + i / 4.0);
            all.add(magnitude);
            all.add(-magnitude);
        }
        grid(-1, 1, 200, all);
        grid(-10, 10, 200, all);
        grid(-60, 60, 120, all);
        grid(-760, 760, 152, all);
        for (int i = 0; i < 100; i++) {
            all.add(-40 + 80 * random.nextDouble());
        }
    }

    private static void grid(double from, double to, int intervals, DoubleStream.Builder all) {
        for (int i = 0; i <= intervals; i++) {
            all.add(from + (to - from) * i / intervals);
        }
    }

    private static void neighbourhood(double b, DoubleStream.Builder all) {
        all.add(b);
        double up = b;
        double down = b;
        for (int i = 0; i < 4; i++) {
            up = Math.nextUp(up);
            down = Math.nextDown(down);
            all.add(up);
            all.add(down);
        }
        for (int k = 1; k <= 52; k += 4) {
            all.add(b * (1 + Math.scalb(1.0, -k)));
            all.add(b * (1 - Math.scalb(1.0, -k)));
        }
        for (int k = 1; k <= 15; k += 2) {
            all.add(b + Math.pow(10, -k));
            all.add(b - Math.pow(10, -k));
        }
    }

}
