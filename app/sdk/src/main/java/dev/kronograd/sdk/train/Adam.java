package dev.kronograd.sdk.train;

import dev.kronograd.core.DenseVector;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Adam (Kingma &amp; Ba, 2015), with bias-corrected moment estimates:
 * <pre>
 *   m ← β₁ m + (1 − β₁) g          v ← β₂ v + (1 − β₂) g⊙g
 *   θ ← θ − η · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
 * </pre>
 * The moments are two buffers of length P allocated here; β₁ᵗ and β₂ᵗ are kept as running
 * products, so a step allocates nothing.
 */
public final class Adam implements Optimizer {
    /** The usual β₁. */
    public static final double DEFAULT_BETA1 = 0.9;
    /** The usual β₂. */
    public static final double DEFAULT_BETA2 = 0.999;
    /** The usual ε. */
    public static final double DEFAULT_EPSILON = 1e-8;

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double[] m;
    private final double[] v;
    private double beta1Power = 1;
    private double beta2Power = 1;
    private long steps;

    /** Adam with the usual β₁ = 0.9, β₂ = 0.999, ε = 1e-8. */
    public Adam(int parameterCount, double learningRate) {
        this(parameterCount, learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
    }

    /**
     * @param parameterCount P, the length of θ
     * @param learningRate   η &gt; 0
     * @param beta1          β₁ ∈ [0, 1)
     * @param beta2          β₂ ∈ [0, 1)
     * @param epsilon        ε &gt; 0
     */
    public Adam(int parameterCount, double learningRate, double beta1, double beta2, double epsilon) {
        if (parameterCount < 1) {
            throw new IllegalArgumentException("parameterCount must be ≥ 1, was " + parameterCount);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("the learning rate must be finite and > 0, was " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("β₁ and β₂ must be in [0, 1), were " + beta1 + " and " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("ε must be > 0, was " + epsilon);
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.m = new double[parameterCount];
        this.v = new double[parameterCount];
    }

    @Override
    public void step(DenseVector parameters, DenseVector gradient) {
        Optimizer.requireShapes(this, parameters, gradient);
        steps++;
        beta1Power *= beta1;
        beta2Power *= beta2;
        double c1 = 1 / (1 - beta1Power);
        double c2 = 1 / (1 - beta2Power);
        double[] theta = parameters.data();
        int t0 = parameters.offset();
        double[] g = gradient.data();
        int g0 = gradient.offset();
        for (int i = 0; i < m.length; i++) {
            double gi = g[g0 + i];
            double mi = beta1 * m[i] + (1 - beta1) * gi;
            double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            theta[t0 + i] -= learningRate * (mi * c1) / (Math.sqrt(vi * c2) + epsilon);
        }
    }

    @Override
    public int parameterCount() {
        return m.length;
    }

    /** η. */
    public double learningRate() {
        return learningRate;
    }

    /** Steps taken so far (t). */
    public long steps() {
        return steps;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "adam(lr=%s, β1=%s, β2=%s, ε=%s)", learningRate, beta1, beta2,
                BigDecimal.valueOf(epsilon).stripTrailingZeros().toString().replace("E", "e"));
    }

    @Override
    public String toString() {
        return describe();
    }
}
