package dev.kronograd.sdk.nn;

import dev.kronograd.activations.Activation;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.ShapeMismatchException;
import dev.kronograd.core.operator.Operators;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;

/**
 * Builds a {@link Network} from given weights, or from layer sizes with seeded Glorot
 * initialisation. Obtain one from {@code Kronograd.network()}; not thread-safe (a builder is
 * used by one caller).
 *
 * <pre>{@code
 * Network net = kronograd.network()
 *         .layer(w1, b1, "tanh")          // W1: 16×4, b1: 16
 *         .layer(w2, b2, "identity")      // W2:  3×16, b2: 3
 *         .build();
 * Network fresh = kronograd.network().inputs(4).layer(16, "tanh").layer(3, "identity").build(new Random(7));
 * }</pre>
 */
public final class NetworkBuilder {
    private final Operators ops;
    private final Function<String, Activation> activations;
    private final List<Spec> specs = new ArrayList<>();
    private int inputs = -1;
    private boolean checkFinite = true;
    private int elementwiseThreads = defaultElementwiseThreads();

    private record Spec(int outputs, Activation activation, DenseMatrix weights, DenseVector bias) {
    }

    /**
     * @param ops         the operator factory (and backend) the network computes with
     * @param activations resolves activation names; throws for unknown names
     */
    public NetworkBuilder(Operators ops, Function<String, Activation> activations) {
        this.ops = Objects.requireNonNull(ops, "ops");
        this.activations = Objects.requireNonNull(activations, "activations");
    }

    /** The input length n of the first layer (needed when layers are given by size). */
    public NetworkBuilder inputs(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("inputs must be ≥ 1, was " + n);
        }
        this.inputs = n;
        return this;
    }

    /** Whether inputs and targets are checked for NaN/Infinity on every call (default true). */
    public NetworkBuilder checkFinite(boolean check) {
        this.checkFinite = check;
        return this;
    }

    /**
     * The most threads one call may use for the elementwise work of a batch — σ and σ' of every
     * layer, the loss and its gradient, Δ = σ' ⊙ G — which otherwise runs on the caller's thread
     * while BLAS runs the GEMMs on every core. A batch is split into column ranges only when each
     * range has at least 32,768 elements (B·m of the widest layer), so small batches and B = 1 stay
     * serial. The extra ranges run as tasks in the fork/join common pool (a worker's own pool when
     * called from one); a range no worker has started is run by the caller, so a busy pool only
     * costs the fork. 1 turns it off: the setting for hosts that already run one computation per
     * core (a service's request pool, Spark tasks).
     *
     * <p>Gradients are bit-for-bit the same for every setting (the same operations on every
     * element); the loss is the sum of the ranges' partial sums, so it may differ in the last bits
     * between settings (never between runs with the same setting and batch size).
     *
     * <p>Default: {@link #defaultElementwiseThreads()}; {@code Kronograd.builder().elementwiseThreads(n)},
     * {@code -Dkronograd.elementwise.threads} or {@code KRONOGRAD_ELEMENTWISE_THREADS} set it for
     * every network of an SDK.
     *
     * @throws IllegalArgumentException if {@code threads} &lt; 1
     */
    public NetworkBuilder elementwiseThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("elementwiseThreads must be ≥ 1 (1 = on the caller's thread only), was " + threads);
        }
        this.elementwiseThreads = threads;
        return this;
    }

    /**
     * The default of {@link #elementwiseThreads(int)}: the caller plus the common pool's workers
     * ({@link ForkJoinPool#getCommonPoolParallelism()} + 1), at most the available processors — on
     * a 2-core machine, 2.
     */
    public static int defaultElementwiseThreads() {
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), ForkJoinPool.getCommonPoolParallelism() + 1));
    }

    /** A layer σ(W x + b) with the given weights (m×n, copied) and bias (length m, copied). */
    public NetworkBuilder layer(DenseMatrix weights, DenseVector bias, String activation) {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(bias, "bias");
        int k = specs.size();
        if (bias.length() != weights.rows()) {
            throw new ShapeMismatchException("layer " + k + ": W is " + weights.shape() + " but b has length " + bias.length()
                    + "; expected " + weights.rows());
        }
        int expectedInputs = specs.isEmpty() ? inputs : specs.get(k - 1).outputs();
        if (expectedInputs > 0 && weights.cols() != expectedInputs) {
            throw new ShapeMismatchException("layer " + k + ": W is " + weights.shape() + " but "
                    + (specs.isEmpty() ? "the input has length " : "layer " + (k - 1) + " has " ) + expectedInputs
                    + (specs.isEmpty() ? "" : " outputs") + "; expected " + expectedInputs + " columns");
        }
        if (weights.rows() < 1 || weights.cols() < 1) {
            throw new ShapeMismatchException("layer " + k + ": W is " + weights.shape() + "; a layer needs at least one input and one output");
        }
        Validation.requireFinite("layer " + k + " weights", weights);
        Validation.requireFinite("layer " + k + " bias", bias);
        if (specs.isEmpty()) {
            inputs = weights.cols();
        }
        specs.add(new Spec(weights.rows(), activations.apply(activation), weights.copy(), bias.copy()));
        return this;
    }

    /** A layer with {@code outputs} units, initialised by {@link #build(Random)}. */
    public NetworkBuilder layer(int outputs, String activation) {
        if (outputs < 1) {
            throw new IllegalArgumentException("layer " + specs.size() + ": outputs must be ≥ 1, was " + outputs);
        }
        specs.add(new Spec(outputs, activations.apply(activation), null, null));
        return this;
    }

    /** The network; every layer must have been given its weights. */
    public Network build() {
        return build(null);
    }

    /**
     * The network; layers given by size get Glorot-uniform weights, U(±√(6/(n+m))), and zero
     * bias, drawn from {@code rnd}.
     */
    public Network build(Random rnd) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        if (inputs < 1) {
            throw new IllegalArgumentException("the input length is unknown: call inputs(n) before adding layers by size");
        }
        int total = 0;
        int n = inputs;
        for (Spec s : specs) {
            total = Math.addExact(total, Math.addExact(Math.multiplyExact(s.outputs(), n), s.outputs()));
            n = s.outputs();
        }
        double[] theta = new double[total];
        List<DenseLayer> layers = new ArrayList<>(specs.size());
        int offset = 0;
        n = inputs;
        for (int k = 0; k < specs.size(); k++) {
            Spec s = specs.get(k);
            DenseLayer layer = new DenseLayer(k, n, s.outputs(), s.activation(), theta, offset);
            if (s.weights() != null) {
                layer.weights().setFrom(s.weights());
                layer.bias().setFrom(s.bias());
            } else if (rnd == null) {
                throw new IllegalArgumentException("layer " + k + " was given by size; build(Random) initialises it");
            } else {
                double limit = Math.sqrt(6.0 / (n + s.outputs()));
                DenseMatrix w = layer.weights();
                for (int j = 0; j < n; j++) {
                    for (int i = 0; i < s.outputs(); i++) {
                        w.set(i, j, (2 * rnd.nextDouble() - 1) * limit);
                    }
                }
            }
            layers.add(layer);
            offset += layer.parameterCount();
            n = s.outputs();
        }
        return new Network(ops, layers, theta, checkFinite, elementwiseThreads);
    }
}
