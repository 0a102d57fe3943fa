package dev.kronograd.sdk.nn;

import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;

import java.util.Random;

/**
 * Compares a network's analytic gradient with central finite differences of the loss,
 * {@code (L(θ + h e_i) − L(θ − h e_i)) / 2h} with {@code h = ∛ε · max(1, |θ_i|)}, on every
 * parameter or on a seeded random subset. Works on a private copy of the parameters, so the
 * network is never modified.
 */
public final class GradientCheck {
    private static final double STEP = Math.cbrt(Math.ulp(1.0));

    private GradientCheck() {
    }

    /**
     * The outcome: largest absolute and relative error over the checked parameters, and where.
     *
     * @param checkedParameters   how many parameters were perturbed
     * @param maxAbsoluteError    max_i |fd_i − g_i|
     * @param maxRelativeError    max_i |fd_i − g_i| / max(|fd_i|, |g_i|, 1e-8)
     * @param worstParameter      the index with the largest relative error
     * @param gradientNorm        ‖g‖ of the analytic gradient
     */
    public record Report(int checkedParameters, double maxAbsoluteError, double maxRelativeError, int worstParameter, double gradientNorm) {
    }

    /**
     * Checks {@code maxParameters} parameters (all when P ≤ maxParameters, else a random subset
     * drawn with {@code seed}).
     */
    public static Report run(Network network, DenseMatrix x, Loss loss, DenseMatrix targets, int maxParameters, long seed) {
        if (maxParameters < 1) {
            throw new IllegalArgumentException("maxParameters must be ≥ 1, was " + maxParameters);
        }
        Gradient analytic = network.gradient(x, loss, targets);
        Network probe = network.copy();
        DenseVector theta = probe.parameters();
        int p = probe.parameterCount();
        int[] indices = chooseIndices(p, maxParameters, seed);
        BatchWorkspace ws = probe.newWorkspace();
        double maxAbs = 0;
        double maxRel = 0;
        int worst = -1;
        for (int i : indices) {
            double original = theta.get(i);
            double h = STEP * Math.max(1.0, Math.abs(original));
            theta.set(i, original + h);
            double up = value(probe, x, loss, targets, ws);
            theta.set(i, original - h);
            double down = value(probe, x, loss, targets, ws);
            theta.set(i, original);
            double fd = (up - down) / (2 * h);
            double g = analytic.flat().get(i);
            double abs = Math.abs(fd - g);
            double rel = abs / Math.max(Math.max(Math.abs(fd), Math.abs(g)), 1e-8);
            maxAbs = Math.max(maxAbs, abs);
            if (rel > maxRel || worst < 0) {
                maxRel = Math.max(maxRel, rel);
                worst = i;
            }
        }
        return new Report(indices.length, maxAbs, maxRel, worst, analytic.norm());
    }

    private static double value(Network net, DenseMatrix x, Loss loss, DenseMatrix targets, BatchWorkspace ws) {
        net.forward(x, ws);
        return loss.value(ws.last().output(), targets);
    }

    private static int[] chooseIndices(int p, int max, long seed) {
        if (p <= max) {
            int[] all = new int[p];
            for (int i = 0; i < p; i++) {
                all[i] = i;
            }
            return all;
        }
        // Partial Fisher–Yates: a uniform subset without replacement.
        int[] perm = new int[p];
        for (int i = 0; i < p; i++) {
            perm[i] = i;
        }
        Random rnd = new Random(seed);
        for (int i = 0; i < max; i++) {
            int j = i + rnd.nextInt(p - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return java.util.Arrays.copyOf(perm, max);
    }
}
