package dev.kronograd.benchmarks;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.BatchWorkspace;
import dev.kronograd.sdk.nn.Curvature;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.operator.LinearOperator;
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
 * A layer's exact Hessian-vector product, {@code Curvature.at(…).hessian().layer(0).apply(v, out)}
 * with the Curvature built in setup, against the layer's gradient at the same size (target: HVP
 * time / gradient time ≤ 3).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class CurvatureBenchmark {

    @Param({"netlib-native"})
    public String backend;

    @Param({"256", "1024"})
    public int size;

    @Param({"1", "32"})
    public int batch;

    private Network net;
    private Loss loss;
    private BatchWorkspace ws;
    private DenseMatrix x;
    private DenseMatrix y;
    private DenseVector grad;
    private LinearOperator hessian;
    private DenseVector v;
    private DenseVector hv;

    @Setup
    public void setUp() {
        Kronograd k = Kronograd.builder().backend(backend).build();
        net = k.network().inputs(size).layer(size, "tanh").build(new Random(1));
        loss = k.loss("squared-error");
        ws = net.newWorkspace();
        x = DenseMatrix.wrap(Backends.random(size * batch, 2), size, batch);
        y = DenseMatrix.wrap(Backends.random(size * batch, 3), size, batch);
        grad = DenseVector.zeros(net.parameterCount());
        hessian = Curvature.at(net, x, loss, y).hessian().layer(0);
        v = DenseVector.wrap(Backends.random(net.parameterCount(), 4));
        hv = DenseVector.zeros(net.parameterCount());
    }

    /** H_θ v for layer 0. */
    @Benchmark
    public DenseVector hessianVectorProduct() {
        hessian.apply(v, hv);
        return hv;
    }

    /** The gradient at the same point, for the ratio. */
    @Benchmark
    public double gradient() {
        return net.gradient(x, loss, y, ws, grad);
    }
}
