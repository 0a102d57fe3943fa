package dev.kronograd.benchmarks;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.BatchWorkspace;
import dev.kronograd.sdk.nn.Curvature;
import dev.kronograd.sdk.nn.Network;
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
 * The exact diagonal of one {@code size}×{@code size} tanh layer's Hessian (or GGN), squared
 * error, batch B: {@code Curvature.at(…).hessian().layerDiagonal(0)}, Curvature built in setup.
 * Its memory is {@code O(mn + B m²)} — the m(n+1) diagonal and B per-sample m×m blocks — where the
 * dense (mn+m)×(mn+m) Hessian would be {@code (m(n+1))² · 8} bytes (≈ 141 TB at m = n = 2048): run
 * with {@code -prof gc} and read {@code gc.alloc.rate.norm} (bytes per operation). The gradient at
 * the same size is measured alongside for scale.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx6g"})
public class LayerDiagonalBenchmark {

    @Param({"netlib-native"})
    public String backend;

    @Param({"hessian"})
    public String curvature;

    @Param({"2048"})
    public int size;

    @Param({"8"})
    public int batch;

    private Network net;
    private Loss loss;
    private BatchWorkspace ws;
    private DenseMatrix x;
    private DenseMatrix y;
    private DenseVector grad;
    private ExactCurvature op;

    @Setup
    public void setUp() {
        Kronograd k = Kronograd.builder().backend(backend).build();
        net = k.network().inputs(size).layer(size, "tanh").build(new Random(1));
        loss = k.loss("squared-error");
        ws = net.newWorkspace();
        x = DenseMatrix.wrap(Backends.random(size * batch, 2), size, batch);
        y = DenseMatrix.wrap(Backends.random(size * batch, 3), size, batch);
        grad = DenseVector.zeros(net.parameterCount());
        op = ExactCurvature.of(Curvature.at(net, x, loss, y), curvature);
    }

    /** The layer's exact diagonal, length m(n+1). */
    @Benchmark
    public DenseVector layerDiagonal() {
        return op.layerDiagonal(0);
    }

    /** The layer's gradient at the same point, for scale. */
    @Benchmark
    public double gradient() {
        return net.gradient(x, loss, y, ws, grad);
    }
}
