package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.ShapeMismatchException;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.Operators;
import dev.kronograd.core.testing.NaiveDense;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SpectralDensity}: SLQ against the dense eigendecomposition and exact moments. */
class SpectralDensityTest {
    private static final Operators OPS = Operators.using(ReferenceLinearAlgebra.INSTANCE);

    /** A random symmetric P×P matrix with known eigenvalues. */
    private static double[][] withSpectrum(Random rnd, double[] lambda) {
        int n = lambda.length;
        double[][] g = NaiveDense.random(rnd, n, n);
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s[i][j] = g[i][j] + g[j][i];
            }
        }
        double[][] q = SymmetricEigen.of(DenseMatrix.ofRows(s)).vectors().toRowArrays();   // a random orthogonal basis
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    a[i][j] += q[i][k] * lambda[k] * q[j][k];
                }
            }
        }
        return a;
    }

    @Test
    void fullLanczosRecoversTheDenseEigenvaluesAndTheirTrace() {
        Random rnd = new Random(1);
        double[] lambda = {-3, -0.5, 0.25, 1, 2, 4.5, 7, 11};
        double[][] a = withSpectrum(rnd, lambda);
        SpectralDensity d = SpectralDensity.estimate(OPS.dense(DenseMatrix.ofRows(a)), 5, 8, 3);
        double[] nodes = d.nodes();
        assertEquals(40, nodes.length);
        for (int probe = 0; probe < 5; probe++) {
            double[] own = Arrays.copyOfRange(nodes, 8 * probe, 8 * probe + 8);
            for (int i = 0; i < 8; i++) {
                assertEquals(lambda[i], own[i], 1e-8 * 11, "probe " + probe + " node " + i);
            }
        }
        assertEquals(1.0, Arrays.stream(d.weights()).sum(), 1e-12);
        // with every eigenvalue a node, Σ_j w_j f(θ_j) is exact per probe for f = 1 and is the Hutchinson estimate otherwise
        assertEquals(8.0, d.trace(x -> 1.0), 1e-12);
    }

    @Test
    void eachProbesQuadratureHasTheExactMoments() {
        // P Σ_j τ_j θ_j^k = P vᵀ A^k v for k ≤ 2s − 1, with v the probe (normalised Rademacher).
        Random rnd = new Random(2);
        int p = 30;
        double[] lambda = new double[p];
        for (int i = 0; i < p; i++) {
            lambda[i] = rnd.nextGaussian() * 3;
        }
        double[][] a = withSpectrum(rnd, lambda);
        int steps = 4;
        SpectralDensity d = SpectralDensity.estimate(OPS.dense(DenseMatrix.ofRows(a)), 1, steps, 9);
        Random probes = new Random(9);
        double[] v = new double[p];
        for (int i = 0; i < p; i++) {
            v[i] = (probes.nextBoolean() ? 1 : -1) / Math.sqrt(p);
        }
        double[] power = v.clone();
        for (int k = 1; k <= 2 * steps - 1; k++) {
            power = NaiveDense.multiply(a, power);
            double exact = 0;
            for (int i = 0; i < p; i++) {
                exact += v[i] * power[i];
            }
            int order = k;
            double slq = d.trace(x -> Math.pow(x, order)) / p;
            assertEquals(exact, slq, 1e-10 * Math.pow(3 * 3, order), "moment " + k);
        }
    }

    @Test
    void traceAndLogDeterminantAreUnbiasedOnARandomPositiveDefiniteMatrix() {
        Random rnd = new Random(4);
        double[] lambda = new double[40];
        for (int i = 0; i < lambda.length; i++) {
            lambda[i] = 0.5 + rnd.nextDouble() * 5;
        }
        double[][] a = withSpectrum(rnd, lambda);
        LinearOperator op = OPS.dense(DenseMatrix.ofRows(a));
        double trace = Arrays.stream(lambda).sum();
        double logDet = Arrays.stream(lambda).map(Math::log).sum();
        int runs = 30;
        double[] traces = new double[runs];
        double[] logDets = new double[runs];
        for (int r = 0; r < runs; r++) {
            SpectralDensity d = SpectralDensity.estimate(op, 4, 12, 100 + r);
            traces[r] = d.trace(x -> x);
            logDets[r] = d.trace(Math::log);
        }
        assertWithinThreeStandardErrors(trace, traces, "trace");
        assertWithinThreeStandardErrors(logDet, logDets, "log det");
    }

    @Test
    void densityIsSmoothedAndIntegratesToOne() {
        Random rnd = new Random(5);
        double[][] a = withSpectrum(rnd, new double[] {1, 2, 3, 10});
        SpectralDensity d = SpectralDensity.estimate(OPS.dense(DenseMatrix.ofRows(a)), 3, 4, 1);
        double[] grid = new double[4001];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = -5 + 0.005 * i;
        }
        double[] phi = d.density(grid, 0.3);
        double integral = 0;
        for (double v : phi) {
            integral += v * 0.005;
        }
        assertEquals(1.0, integral, 1e-6);
        assertTrue(phi[(int) ((10 + 5) / 0.005)] > phi[(int) ((6 + 5) / 0.005)], "a peak at the eigenvalue 10");
    }

    @Test
    void badArgumentsAreNamed() {
        LinearOperator op = OPS.dense(DenseMatrix.identity(3));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SpectralDensity.estimate(op, 0, 3, 1)).getMessage().contains("probes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SpectralDensity.estimate(op, 1, 0, 1)).getMessage().contains("steps"));
        assertThrows(ShapeMismatchException.class, () -> SpectralDensity.estimate(OPS.dense(DenseMatrix.zeros(2, 3)), 1, 1, 1));
        SpectralDensity d = SpectralDensity.estimate(op, 2, 3, 1);
        assertEquals(2, d.nodes().length, "the identity's Krylov space is invariant after one step");
        assertEquals(3.0, d.trace(x -> x), 1e-12);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.density(new double[] {0}, 0)).getMessage().contains("width"));
    }

    private static void assertWithinThreeStandardErrors(double exact, double[] estimates, String what) {
        double mean = Arrays.stream(estimates).average().orElseThrow();
        double var = 0;
        for (double e : estimates) {
            var += (e - mean) * (e - mean);
        }
        double se = Math.sqrt(var / (estimates.length - 1) / estimates.length);
        assertTrue(Math.abs(mean - exact) <= 3 * se + 1e-12 * Math.abs(exact), what + ": mean " + mean + " vs exact " + exact + " (SE " + se + ")");
    }
}
