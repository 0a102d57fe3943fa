package dev.kronograd.activations;

import java.util.Arrays;

/**
 * Settings of {@link ActivationContract#verify(Activation, ContractOptions)}: the seed and number
 * of random points of the finite-difference checks, their relative tolerances, and kink points
 * to stay away from in addition to those the activation declares in {@link Activation#kinks()}.
 * Immutable; the {@code with...} methods return modified copies.
 *
 * <pre>{@code
 * ActivationContract.verify(myActivation, ContractOptions.defaults().withSeed(7).withPoints(1000))
 *         .assertPassed();
 * }</pre>
 */
public final class ContractOptions {
    /** The default seed of the random points. */
    public static final long DEFAULT_SEED = 0x6b726f6eL;
    /** The default number of random points per finite-difference check. */
    public static final int DEFAULT_POINTS = 200;
    /**
     * The default relative tolerance of σ' against the finite difference of σ, and of σ'' against
     * that of σ'. The fourth-order difference is accurate to about 1e-10 where the derivative is
     * not tiny compared to the function, so 1e-6 leaves a wide margin and still catches any wrong
     * term or factor.
     */
    public static final double DEFAULT_TOLERANCE = 1e-6;

    private static final ContractOptions DEFAULTS =
            new ContractOptions(DEFAULT_SEED, DEFAULT_POINTS, DEFAULT_TOLERANCE, DEFAULT_TOLERANCE, new double[0]);

    private final long seed;
    private final int points;
    private final double derivativeTolerance;
    private final double secondDerivativeTolerance;
    private final double[] kinks;

    private ContractOptions(long seed, int points, double derivativeTolerance, double secondDerivativeTolerance,
                            double[] kinks) {
        this.seed = seed;
        this.points = points;
        this.derivativeTolerance = derivativeTolerance;
        this.secondDerivativeTolerance = secondDerivativeTolerance;
        this.kinks = kinks;
    }

    /** Seed {@value #DEFAULT_SEED}, {@value #DEFAULT_POINTS} points, tolerances 1e-6, no extra kinks. */
    public static ContractOptions defaults() {
        return DEFAULTS;
    }

    /** A copy with another seed for the random points. */
    public ContractOptions withSeed(long seed) {
        return new ContractOptions(seed, points, derivativeTolerance, secondDerivativeTolerance, kinks);
    }

    /**
     * A copy with another number of random points per finite-difference check.
     *
     * @throws IllegalArgumentException if {@code points < 1}
     */
    public ContractOptions withPoints(int points) {
        if (points < 1) {
            throw new IllegalArgumentException("points must be at least 1, was " + points);
        }
        return new ContractOptions(seed, points, derivativeTolerance, secondDerivativeTolerance, kinks);
    }

    /**
     * A copy with another relative tolerance for σ' against the finite difference of σ.
     *
     * @throws IllegalArgumentException unless {@code 0 < tolerance < 1}
     */
    public ContractOptions withDerivativeTolerance(double tolerance) {
        return new ContractOptions(seed, points, checkTolerance(tolerance), secondDerivativeTolerance, kinks);
    }

    /**
     * A copy with another relative tolerance for σ'' against the finite difference of σ'.
     *
     * @throws IllegalArgumentException unless {@code 0 < tolerance < 1}
     */
    public ContractOptions withSecondDerivativeTolerance(double tolerance) {
        return new ContractOptions(seed, points, derivativeTolerance, checkTolerance(tolerance), kinks);
    }

    /**
     * A copy with extra kink points (in addition to {@link Activation#kinks()}); the difference
     * checks skip points whose stencil would straddle one.
     *
     * @throws IllegalArgumentException if a kink is not finite
     */
    public ContractOptions withKinks(double... kinks) {
        double[] copy = kinks.clone();
        for (double k : copy) {
            if (!Double.isFinite(k)) {
                throw new IllegalArgumentException("kinks must be finite, got " + k);
            }
        }
        return new ContractOptions(seed, points, derivativeTolerance, secondDerivativeTolerance, copy);
    }

    private static double checkTolerance(double tolerance) {
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("a relative tolerance must be in (0, 1), was " + tolerance);
        }
        return tolerance;
    }

    /** The seed of the random points. */
    public long seed() {
        return seed;
    }

    /** The number of random points per finite-difference check. */
    public int points() {
        return points;
    }

    /** The relative tolerance for σ'. */
    public double derivativeTolerance() {
        return derivativeTolerance;
    }

    /** The relative tolerance for σ''. */
    public double secondDerivativeTolerance() {
        return secondDerivativeTolerance;
    }

    /** The extra kink points (a copy). */
    public double[] kinks() {
        return kinks.clone();
    }

    @Override
    public String toString() {
        return "ContractOptions[seed=" + seed + ", points=" + points + ", derivativeTolerance=" + derivativeTolerance
                + ", secondDerivativeTolerance=" + secondDerivativeTolerance + ", kinks=" + Arrays.toString(kinks) + "]";
    }
}
