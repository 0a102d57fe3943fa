package dev.kronograd.sdk.train;

import dev.kronograd.core.DenseVector;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerTest {
    private static final double TOL = 1e-15;

    @Test
    void sgdWithMomentumFollowsTheHeavyBallRecurrence() {
        Sgd sgd = new Sgd(2, 0.1, 0.5);
        DenseVector theta = DenseVector.of(1.0, -2.0);
        DenseVector g = DenseVector.of(2.0, 4.0);
        sgd.step(theta, g);             // v = g = (2, 4); θ = (1 − 0.2, −2 − 0.4)
        assertEquals(0.8, theta.get(0), TOL);
        assertEquals(-2.4, theta.get(1), TOL);
        sgd.step(theta, g);             // v = 0.5·(2, 4) + (2, 4) = (3, 6); θ −= 0.1·v
        assertEquals(0.5, theta.get(0), TOL);
        assertEquals(-3.0, theta.get(1), TOL);
        assertEquals(2.0, g.get(0), 0.0, "the gradient is not modified");
    }

    @Test
    void adamsFirstStepIsTheLearningRateAgainstTheGradientSign() {
        Adam adam = new Adam(3, 0.01);
        DenseVector theta = DenseVector.of(0.0, 0.0, 0.0);
        adam.step(theta, DenseVector.of(5.0, -0.001, 0.0));
        // m̂ = g, v̂ = g², so the step is η·g/(|g| + ε).
        assertEquals(-0.01, theta.get(0), 1e-10);
        assertEquals(0.01, theta.get(1), 1e-6);
        assertEquals(0.0, theta.get(2), 0.0);
        assertEquals(1, adam.steps());
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
