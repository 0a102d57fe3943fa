package dev.kronograd.benchmarks;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.BatchWorkspace;
import dev.kronograd.sdk.nn.Curvature;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.sdk.nn.TraceEstimate;
import dev.kronograd.sdk.nn.TraceEstimator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Exact curvature statistics of a 3 × 256 tanh network (256 inputs, squared error, B = 128) against
 * one gradient of the same network and batch, and against Hutchinson's trace estimate with 100
 * probes: {@code Curvature.at(…).hessian()} or {@code .ggn()} (built in setup), then its exact
 * {@code diagonal()} (length P = 197,376) and {@code trace()}, each one back-propagation of the
 * per-sample m×m blocks ({@code O(B Σ m³)} flops, {@code O(B Σ m²)} doubles), and
 * {@code TraceEstimator.hutchinson(op, 100, seed)} (100 whole-network curvature-vector products).
 * Hutchinson's error at that budget, and the probes it would need to match the exact path, are
 * computed by {@link HutchinsonError}, not timed here.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class CurvatureStatisticsBenchmark {

    /** Hutchinson's probe budget. */
    static final int PROBES = 100;

    @Param({"netlib-native"})
    public String backend;

    @Param({"hessian", "ggn"})
    public String curvature;

    @Param({"256"})
    public int width;

    @Param({"128"})
    public int batch;

    private Network net;
    private Loss loss;
    private BatchWorkspace ws;
    private DenseMatrix x;
    private DenseMatrix y;
    private DenseVector grad;
    private ExactCurvature op;
    private long seed;

    @Setup
    public void setUp() {
        Kronograd k = Kronograd.builder().backend(backend).build();
        net = network(k, width);
        loss = k.loss("squared-error");
        ws = net.newWorkspace();
        x = DenseMatrix.wrap(Backends.random(width * batch, 2), width, batch);
        y = DenseMatrix.wrap(Backends.random(width * batch, 3), width, batch);
        grad = DenseVector.zeros(net.parameterCount());
        op = ExactCurvature.of(Curvature.at(net, x, loss, y), curvature);
    }

    /** The benchmarked network: {@code inputs(w)}, three {@code layer(w, "tanh")}, weights from seed 1. */
    static Network network(Kronograd k, int width) {
        return k.network().inputs(width).layer(width, "tanh").layer(width, "tanh").layer(width, "tanh").build(new Random(1));
    }

    /** L and ∇_θ L into caller buffers: the unit of the ratios. */
    @Benchmark
    public double gradient() {
        return net.gradient(x, loss, y, ws, grad);
    }

    /** The exact diagonal of the whole P×P curvature. */
    @Benchmark
    public DenseVector exactDiagonal() {
        return op.diagonal();
    }

    /** The exact trace of the whole curvature. */
    @Benchmark
    public double exactTrace() {
        return op.trace();
    }

    /** Hutchinson with 100 Rademacher probes (a new seed each call, as a user re-estimating would). */
    @Benchmark
    public TraceEstimate hutchinson100() {
        return TraceEstimator.hutchinson(op.operator(), PROBES, ++seed);
    }
}
