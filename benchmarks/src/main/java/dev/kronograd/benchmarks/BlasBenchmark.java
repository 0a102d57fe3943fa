package dev.kronograd.benchmarks;

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

import java.util.concurrent.TimeUnit;

/**
 * gemm, gemv and ger on square n×n operands for every backend, obtained as production obtains
 * it (ServiceLoader → provider → Guice module). Throughput in operations per second; the
 * floating-point work is 2n³ (gemm) and 2n² (gemv, ger), so GFLOP/s = ops/s × work / 10⁹
 * (benchmarks/run-backend-benchmarks.sh computes it).
 *
 * <p>Forks run with {@code --add-modules jdk.incubator.vector} so that netlib-java is VectorBLAS.
 * netlib-native needs a system BLAS (apt-get install libopenblas0-pthread); without one its
 * setup fails with the reason and JMH moves on.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class BlasBenchmark {

    @Param({"reference", "ejml", "netlib-java", "netlib-native", "openblas-bundled"})
    public String backend;

    @Param({"8", "64", "256", "1024"})
    public int n;

    private LinearAlgebra la;
    private double[] a;
    private double[] b;
    private double[] c;
    private double[] x;
    private double[] y;

    @Setup
    public void setUp() {
        la = Backends.byName(backend);
        a = Backends.random(n * n, 1);
        b = Backends.random(n * n, 2);
        c = Backends.random(n * n, 3);
        x = Backends.random(n, 4);
        y = Backends.random(n, 5);
    }

    /** C = A·B (β = 0: C is overwritten). */
    @Benchmark
    public double[] gemm() {
        la.gemm(Transpose.N, Transpose.N, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
        return c;
    }

    /** y = A·x. */
    @Benchmark
    public double[] gemv() {
        la.gemv(Transpose.N, n, n, 1.0, a, 0, n, x, 0, 1, 0.0, y, 0, 1);
        return y;
    }

    /** C = 10⁻⁹·x·yᵀ + C (tiny α keeps C bounded over billions of calls). */
    @Benchmark
    public double[] ger() {
        la.ger(n, n, 1e-9, x, 0, 1, y, 0, 1, c, 0, n);
        return c;
    }
}
