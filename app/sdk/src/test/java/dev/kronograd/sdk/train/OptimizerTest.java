package dev.kronograd.sdk.train;

import dev.kronograd.core.DenseVector;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerTest {
    /**
     * Relative distance allowed between an update and its closed form in exact arithmetic (a few rounding errors of
     * the two or three operations in between; u ≈ 1.1e-16).
     */
    private static final double CLOSED_FORM_RELATIVE = 1e-15;

    @Test
    void sgdWithMomentumFollowsTheHeavyBallRecurrence() {
        double lr = 0.1;
        double mu = 0.5;
        Sgd sgd = new Sgd(2, lr, mu);
        DenseVector theta = DenseVector.of(1.0, -2.0);
        DenseVector g = DenseVector.of(2.0, 4.0);
        // v ← μ v + g, θ ← θ − η v, evaluated here in the same order as the optimiser: the result is bit-for-bit.
        double[] v = {mu * 0 + 2.0, mu * 0 + 4.0};                       // (2, 4)
        double[] expected = {1.0 - lr * v[0], -2.0 - lr * v[1]};          // (0.8, −2.4)
        sgd.step(theta, g);
        assertEquals(expected[0], theta.get(0));
        assertEquals(expected[1], theta.get(1));
        assertClosedForm(0.8, theta.get(0));
        assertClosedForm(-2.4, theta.get(1));
        v = new double[] {mu * v[0] + 2.0, mu * v[1] + 4.0};               // (3, 6)
        expected = new double[] {expected[0] - lr * v[0], expected[1] - lr * v[1]};  // (0.5, −3)
        sgd.step(theta, g);
        assertEquals(expected[0], theta.get(0));
        assertEquals(expected[1], theta.get(1));
        assertClosedForm(0.5, theta.get(0));
        assertClosedForm(-3.0, theta.get(1));
        assertEquals(2.0, g.get(0), 0.0, "the gradient is not modified");
    }

    @Test
    void adamsFirstStepIsTheLearningRateAgainstTheGradientSign() {
        double lr = 0.01;
        double[] g = {5.0, -0.001, 0.0};
        Adam adam = new Adam(3, lr);
        DenseVector theta = DenseVector.of(0.0, 0.0, 0.0);
        adam.step(theta, DenseVector.of(g));
        double[] expected = new double[3];
        adamByHand(lr, new double[3], new double[3], new double[3], g, expected, 1);
        for (int i = 0; i < 3; i++) {
            assertEquals(expected[i], theta.get(i), "component " + i + " against the update written out in the same order");
        }
        // m̂ = g, v̂ = g², so the step is −η·g/(|g| + ε): ε shows in the small component (0.01/(1 + 1e-5), not 0.01).
        assertClosedForm(-lr * 5.0 / (5.0 + Adam.DEFAULT_EPSILON), theta.get(0));
        assertClosedForm(lr * 0.001 / (0.001 + Adam.DEFAULT_EPSILON), theta.get(1));
        assertEquals(0.0, theta.get(2), 0.0);
        assertEquals(1, adam.steps());
    }

    @Test
    void adamsLaterStepsUseTheBiasCorrectionOfStepT() {
        double lr = 0.05;
        double[][] gradients = {{1.0, -3.0}, {0.5, 2.0}, {-0.25, 0.75}};
        Adam adam = new Adam(2, lr);
        DenseVector theta = DenseVector.of(0.3, -0.7);
        double[] m = new double[2];
        double[] v = new double[2];
        double[] expected = {0.3, -0.7};
        for (int t = 1; t <= gradients.length; t++) {
            adam.step(theta, DenseVector.of(gradients[t - 1]));
            adamByHand(lr, m, v, expected, gradients[t - 1], expected, t);
            assertEquals(expected[0], theta.get(0), "step " + t);
            assertEquals(expected[1], theta.get(1), "step " + t);
        }
        // Step 2 in exact arithmetic, component 0: m = 0.9·0.1·1 + 0.1·0.5 = 0.14, v = 0.999·0.001·1 + 0.001·0.25 = 0.001249;
        // m̂ = 0.14/0.19, v̂ = 0.001249/0.001999. Here exact and floating point part by more than a few ulps: β₂ is the double
        // nearest 0.999 and β₂² is rounded, each moving 1 − β₂² = 0.001999 by up to ≈ 1.1e-16, i.e. ≈ 1.1e-13 relative;
        // through the square root that is ≈ 5.5e-14 of the second update (≈ 0.047), ≈ 2.6e-15 on θ ≈ 0.2: 1.3e-14 relative.
        Adam twoSteps = new Adam(1, lr);
        DenseVector one = DenseVector.of(0.3);
        twoSteps.step(one, DenseVector.of(1.0));
        twoSteps.step(one, DenseVector.of(0.5));
        double first = lr * 1.0 / (1.0 + Adam.DEFAULT_EPSILON);
        double second = lr * (0.14 / 0.19) / (Math.sqrt(0.001249 / 0.001999) + Adam.DEFAULT_EPSILON);
        double exact = 0.3 - first - second;
        assertEquals(exact, one.get(0), 2e-14 * exact, "two steps against the closed form");
        assertEquals(3, adam.steps());
    }

    /**
     * One Adam step written out as Kingma &amp; Ba give it, in the order {@link Adam} evaluates it, with the default
     * β₁, β₂, ε: m and v are updated in place, {@code out = theta − η m̂/(√v̂ + ε)}. β₁ᵗ is the running product
     * β₁·β₁·…, as Adam keeps it (Math.pow could differ in the last bit).
     */
    private static void adamByHand(double lr, double[] m, double[] v, double[] theta, double[] g, double[] out, int t) {
        double beta1 = Adam.DEFAULT_BETA1;
        double beta2 = Adam.DEFAULT_BETA2;
        double beta1Power = 1;
        double beta2Power = 1;
        for (int k = 0; k < t; k++) {
            beta1Power *= beta1;
            beta2Power *= beta2;
        }
        double c1 = 1 / (1 - beta1Power);
        double c2 = 1 / (1 - beta2Power);
        for (int i = 0; i < g.length; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            out[i] = theta[i] - lr * (m[i] * c1) / (Math.sqrt(v[i] * c2) + Adam.DEFAULT_EPSILON);
        }
    }

    private static void assertClosedForm(double exact, double actual) {
        assertEquals(exact, actual, CLOSED_FORM_RELATIVE * Math.abs(exact), "against the closed form");
    }

    @Test
    void adamMinimisesAQuadratic() {
        Adam adam = new Adam(2, 0.05);
        DenseVector theta = DenseVector.of(3.0, -1.0);
        DenseVector g = DenseVector.zeros(2);
        for (int t = 0; t < 2000; t++) {
            g.set(0, 2 * (theta.get(0) - 1));       // ∇ of (θ₀ − 1)² + 10 (θ₁ + 2)²
            g.set(1, 20 * (theta.get(1) + 2));
            adam.step(theta, g);
        }
        assertEquals(1.0, theta.get(0), 1e-3);
        assertEquals(-2.0, theta.get(1), 1e-3);
    }

    @Test
    void stepsAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int p = 10_000;
        DenseVector theta = DenseVector.zeros(p);
        DenseVector g = DenseVector.zeros(p).fill(0.5);
        for (Optimizer o : new Optimizer[] {new Sgd(p, 0.01, 0.9), new Adam(p, 0.01)}) {
            for (int warm = 0; warm < 200; warm++) {
                o.step(theta, g);
            }
            long id = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(id);
            for (int t = 0; t < 100; t++) {
                o.step(theta, g);
            }
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            // A few bytes of measurement noise at most; one allocated vector of P doubles would be 80 kB.
            assertTrue(allocated < 1024, o.describe() + " allocated " + allocated + " bytes in 100 steps");
        }
    }

    @Test
    void shapesAndHyperParametersAreChecked() {
        Sgd sgd = new Sgd(3, 0.1, 0.9);
        assertThrows(IllegalArgumentException.class, () -> sgd.step(DenseVector.zeros(2), DenseVector.zeros(3)));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(3, 0.0, 0.9));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(3, 0.1, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(3, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Optimizer.named("rmsprop", 3, 0.1, 0.9));
        assertEquals("sgd(lr=0.1, momentum=0.9)", Optimizer.named("SGD", 3, 0.1, 0.9).describe());
    }
}
