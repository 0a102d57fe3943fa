package dev.kronograd.benchmarks;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.BatchWorkspace;
import dev.kronograd.sdk.nn.LayerEvaluation;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.Transpose;
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
 * The gradient the naive way, for the sizes where it fits: forward, loss gradient g, then the
 * parameter Jacobian materialised ({@code toDense()}, mB × (mn+m) doubles) and {@code J_θᵀ g} as one
 * gemv. Compare with {@link LayerGradientBenchmark#sdkGradient} at the same size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class DenseJacobianBenchmark {

    @Param({"netlib-native"})
    public String backend;

    @Param({"64"})
    public int size;

    @Param({"1", "32"})
    public int batch;

    private LinearAlgebra la;
    private Network net;
    private Loss loss;
    private BatchWorkspace ws;
    private DenseMatrix x;
    private DenseMatrix y;
    private DenseMatrix g;
    private DenseVector grad;

    @Setup
    public void setUp() {
        Kronograd k = Kronograd.builder().backend(backend).build();
        la = k.linearAlgebra();
        net = k.network().inputs(size).layer(size, "tanh").build(new Random(1));
        loss = k.loss("squared-error");
        ws = net.newWorkspace();
        x = DenseMatrix.wrap(Backends.random(size * batch, 2), size, batch);
        y = DenseMatrix.wrap(Backends.random(size * batch, 3), size, batch);
        g = DenseMatrix.zeros(size, batch);
        grad = DenseVector.zeros(net.parameterCount());
    }

    /** Forward, g = ∂L/∂A, J_θ = toDense(), ∇_θ L = J_θᵀ g. */
    @Benchmark
    public DenseVector denseJacobianGradient() {
        LayerEvaluation e = net.forward(x, ws).get(0);
        loss.valueAndGradient(e.output(), y, g);
        DenseMatrix j = e.parameterJacobian().toDense();
        return la.multiply(Transpose.T, 1.0, j, g.vec(), 0.0, grad);
    }
}
