package dev.kronograd.benchmarks;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.BatchWorkspace;
import dev.kronograd.sdk.nn.DenseLayer;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.activations.Activation;
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

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One dense layer σ(W x + b) (tanh, float64, squared error), m = n = {@code size}, batch B: the
 * SDK's gradient against a hand-written backprop and the two dgemm calls the gradient needs, on
 * the same backend in the same fork.
 *
 * <ul>
 *   <li>{@link #sdkGradient}: {@code Network.gradient(X, loss, Y, ws, gradOut)} — forward, loss
 *       gradient and the VJP through the operator algebra, into caller buffers (X copied into the
 *       workspace's X̄ = [X; 1ᵀ], Z = W̄ X̄ and [dW, db] = Δ X̄ᵀ one GEMM each, the elementwise
 *       phase split over {@code elementwiseThreads} for large batches).</li>
 *   <li>{@link #handWritten}: the same maths in direct {@link LinearAlgebra} calls — Z = W X + b1ᵀ
 *       (gemm; gemv when B = 1), A, σ' in one pass, G = A − Y, Δ = σ' ⊙ G, dW = Δ Xᵀ (gemm; ger
 *       when B = 1), db = Δ 1 (gemv; a copy when B = 1).</li>
 *   <li>{@link #dgemm}: the backend's raw gemm at the two shapes the gradient multiplies,
 *       (m×n)·(n×B) and (m×B)·(B×n), 4·m·n·B flops in all — the rate the gradient is held to.</li>
 * </ul>
 *
 * Average time per call; run with {@code -prof gc} for bytes allocated per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class LayerGradientBenchmark {

    @Param({"netlib-native", "openblas-bundled", "netlib-java", "ejml"})
    public String backend;

    @Param({"64", "256", "1024", "2048"})
    public int size;

    @Param({"1", "32", "256"})
    public int batch;

    /** The SDK's elementwise threads; 0 = its default (the available processors). The baselines are serial. */
    @Param({"0"})
    public int elementwiseThreads;

    private LinearAlgebra la;
    private Network net;
    private Loss loss;
    private BatchWorkspace ws;
    private DenseMatrix x;
    private DenseMatrix y;
    private DenseVector grad;

    // Hand-written baseline buffers (column-major arrays).
    private Activation tanh;
    private double[] w;
    private double[] b;
    private double[] z;
    private double[] a;
    private double[] d;
    private double[] ones;
    private double[] handGrad;
    private double[] gemmOut1;
    private double[] gemmOut2;

    @Setup
    public void setUp() {
        Kronograd k = Kronograd.builder().backend(backend).elementwiseThreads(elementwiseThreads).build();
        la = k.linearAlgebra();
        net = k.network().inputs(size).layer(size, "tanh").build(new Random(1));
        loss = k.loss("squared-error");
        ws = net.newWorkspace();
        x = DenseMatrix.wrap(Backends.random(size * batch, 2), size, batch);
        y = DenseMatrix.wrap(Backends.random(size * batch, 3), size, batch);
        grad = DenseVector.zeros(net.parameterCount());

        DenseLayer layer = net.layer(0);
        tanh = layer.activation();
        w = layer.weights().copy().data();
        b = layer.bias().toArray();
        z = new double[size * batch];
        a = new double[size * batch];
        d = new double[size * batch];
        ones = new double[batch];
        Arrays.fill(ones, 1.0);
        handGrad = new double[size * size + size];
        gemmOut1 = new double[size * batch];
        gemmOut2 = new double[size * size];
    }

    /** L and ∇_θ L through the SDK's workspace overload. */
    @Benchmark
    public double sdkGradient() {
        return net.gradient(x, loss, y, ws, grad);
    }

    /** The same gradient in direct LinearAlgebra calls. */
    @Benchmark
    public double handWritten() {
        int m = size;
        int n = size;
        int bs = batch;
        double[] xd = x.data();
        double[] yd = y.data();
        for (int s = 0; s < bs; s++) {
            System.arraycopy(b, 0, z, s * m, m);
        }
        if (bs == 1) {
            la.gemv(Transpose.N, m, n, 1.0, w, 0, m, xd, 0, 1, 1.0, z, 0, 1);
        } else {
            la.gemm(Transpose.N, Transpose.N, m, bs, n, 1.0, w, 0, m, xd, 0, n, 1.0, z, 0, m);
        }
        tanh.valuesAndDerivatives(z, 0, a, 0, d, 0, m * bs);
        double l = 0;
        for (int i = 0; i < m * bs; i++) {
            double g = a[i] - yd[i];
            l += g * g;
            a[i] = g; // A becomes G, then Δ
        }
        la.mul(m * bs, d, 0, a, 0, a, 0);
        if (bs == 1) {
            Arrays.fill(handGrad, 0, m * n, 0.0);
            la.ger(m, n, 1.0, a, 0, 1, xd, 0, 1, handGrad, 0, m);
            System.arraycopy(a, 0, handGrad, m * n, m);
        } else {
            la.gemm(Transpose.N, Transpose.T, m, n, bs, 1.0, a, 0, m, xd, 0, n, 0.0, handGrad, 0, m);
            la.gemv(Transpose.N, m, bs, 1.0, a, 0, m, ones, 0, 1, 0.0, handGrad, m * n, 1);
        }
        return 0.5 * l;
    }

    /** The backend's gemm at the gradient's two shapes: W X (m×n·n×B) and Δ Xᵀ (m×B·B×n). */
    @Benchmark
    public double[] dgemm() {
        int m = size;
        int n = size;
        la.gemm(Transpose.N, Transpose.N, m, batch, n, 1.0, w, 0, m, x.data(), 0, n, 0.0, gemmOut1, 0, m);
        la.gemm(Transpose.N, Transpose.T, m, n, batch, 1.0, gemmOut1, 0, m, x.data(), 0, n, 0.0, gemmOut2, 0, m);
        return gemmOut2;
    }
}
