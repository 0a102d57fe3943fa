package dev.kronograd.benchmarks;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.BatchWorkspace;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
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
 * A network of three tanh layers of {@code width} units on {@code width} inputs, batch B, squared
 * error: the gradient into caller buffers, and the gradient followed by the per-sample gradient
 * norms ({@code ‖δ_s‖·‖ā_s‖} per layer, no per-sample gradient formed). Flops of the gradient:
 * 2·m·n·B per product, three products per layer but the first (no input cotangent): 16·w²·B.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class NetworkGradientBenchmark {

    @Param({"netlib-native", "openblas-bundled", "netlib-java", "ejml"})
    public String backend;

    @Param({"1024"})
    public int width;

    @Param({"256"})
    public int batch;

    private Network net;
    private Loss loss;
    private BatchWorkspace ws;
    private DenseMatrix x;
    private DenseMatrix y;
    private DenseVector grad;

    @Setup
    public void setUp() {
        Kronograd k = Kronograd.builder().backend(backend).build();
        net = k.network().inputs(width).layer(width, "tanh").layer(width, "tanh").layer(width, "tanh").build(new Random(1));
        loss = k.loss("squared-error");
        ws = net.newWorkspace();
        x = DenseMatrix.wrap(Backends.random(width * batch, 2), width, batch);
        y = DenseMatrix.wrap(Backends.random(width * batch, 3), width, batch);
        grad = DenseVector.zeros(net.parameterCount());
    }

    /** L and ∇_θ L into caller buffers. */
    @Benchmark
    public double networkGradient() {
        return net.gradient(x, loss, y, ws, grad);
    }

    /** The gradient, then ‖∇_θ ℓ_s‖ for every sample from the same workspace. */
    @Benchmark
    public DenseVector perSampleNorms() {
        net.gradient(x, loss, y, ws, grad);
        return net.perSampleGradientNorms(ws);
    }
}
