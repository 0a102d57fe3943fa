package dev.kronograd.sdk.train;

import dev.kronograd.core.DenseVector;

import java.util.Locale;

/**
 * Stochastic gradient descent with (heavy-ball) momentum:
 * <pre>
 *   v ← μ v + g
 *   θ ← θ − η v
 * </pre>
 * With μ = 0 this is plain SGD. The velocity v is one buffer of length P, allocated here.
 */
public final class Sgd implements Optimizer {
    private final double learningRate;
    private final double momentum;
    private final double[] velocity;

    /**
     * @param parameterCount P, the length of θ
     * @param learningRate   η &gt; 0
     * @param momentum       μ ∈ [0, 1)
     */
    public Sgd(int parameterCount, double learningRate, double momentum) {
        if (parameterCount < 1) {
            throw new IllegalArgumentException("parameterCount must be ≥ 1, was " + parameterCount);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("the learning rate must be finite and > 0, was " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("the momentum must be in [0, 1), was " + momentum);
        }
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.velocity = new double[parameterCount];
    }

    @Override
    public void step(DenseVector parameters, DenseVector gradient) {
        Optimizer.requireShapes(this, parameters, gradient);
        double[] theta = parameters.data();
        int t0 = parameters.offset();
        double[] g = gradient.data();
        int g0 = gradient.offset();
        for (int i = 0; i < velocity.length; i++) {
            double v = momentum * velocity[i] + g[g0 + i];
            velocity[i] = v;
            theta[t0 + i] -= learningRate * v;
        }
    }

    @Override
    public int parameterCount() {
        return velocity.length;
    }

    /** η. */
    public double learningRate() {
        return learningRate;
    }

    /** μ. */
    public double momentum() {
        return momentum;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "sgd(lr=%s, momentum=%s)", learningRate, momentum);
    }

    @Override
    public String toString() {
        return describe();
    }
}
