package dev.kronograd.benchmarks;

import dev.kronograd.backend.netlib.NetlibLinearAlgebra;
import dev.kronograd.backend.netlib.NetlibLinearAlgebra.Thresholds;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import dev.kronograd.core.linalg.Transpose;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Where native BLAS starts to beat Java: each operation at small sizes through
 * <ul>
 *   <li>{@code native}: netlib-native with every call native ({@link Thresholds#NONE}),</li>
 *   <li>{@code java}: netlib-java (VectorBLAS),</li>
 *   <li>{@code routed}: netlib-native as shipped ({@link Thresholds#measured()}) — must track
 *       the faster of the two,</li>
 *   <li>{@code reference}: core's plain loops.</li>
 * </ul>
 * Average time per call in ns. The crossover sizes set {@link Thresholds#SINGLE_THREADED_BLAS} and
 * {@link Thresholds#MULTI_THREADED_BLAS}; run once as is and once with
 * {@code OPENBLAS_NUM_THREADS=1} to see both.
 */
public class NativeRoutingBenchmark {

    private NativeRoutingBenchmark() {
    }

    static LinearAlgebra implementation(String name) {
        return switch (name) {
            case "native" -> NetlibLinearAlgebra.nativeBlas(Thresholds.NONE);
            case "java" -> NetlibLinearAlgebra.javaBlas();
            case "routed" -> NetlibLinearAlgebra.nativeBlas();
            case "reference" -> ReferenceLinearAlgebra.INSTANCE;
            default -> throw new IllegalArgumentException("unknown implementation " + name);
        };
    }

    /** Square operands of side n. */
    @State(Scope.Thread)
    public abstract static class Operands {
        LinearAlgebra la;
        double[] a;
        double[] b;
        double[] c;
        double[] x;
        double[] y;

        void allocate(String impl, int n) {
            la = implementation(impl);
            a = Backends.random(n * n, 1);
            b = Backends.random(n * n, 2);
            c = Backends.random(n * n, 3);
            x = Backends.random(n, 4);
            y = Backends.random(n, 5);
        }
    }

    /** gemm sizes around the expected crossover n ≈ 8. */
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
    @Measurement(iterations = 5, time = 300, timeUnit = TimeUnit.MILLISECONDS)
    @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
    @State(Scope.Thread)
    public static class Gemm extends Operands {
        @Param({"native", "java", "routed", "reference"})
        public String impl;

        @Param({"2", "4", "6", "8", "12", "16"})
        public int n;

        @Setup
        public void setUp() {
            allocate(impl, n);
        }

        @Benchmark
        public double[] gemm() {
            la.gemm(Transpose.N, Transpose.N, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
            return c;
        }
    }

    /** gemv and ger sizes around the expected crossover n ≈ 32–64. */
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
    @Measurement(iterations = 5, time = 300, timeUnit = TimeUnit.MILLISECONDS)
    @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
    @State(Scope.Thread)
    public static class Level2 extends Operands {
        @Param({"native", "java", "routed", "reference"})
        public String impl;

        @Param({"16", "32", "48", "64", "96"})
        public int n;

        @Setup
        public void setUp() {
            allocate(impl, n);
        }

        @Benchmark
        public double[] gemv() {
            la.gemv(Transpose.N, n, n, 1.0, a, 0, n, x, 0, 1, 0.0, y, 0, 1);
            return y;
        }

        @Benchmark
        public double[] ger() {
            la.ger(n, n, 1e-9, x, 0, 1, y, 0, 1, c, 0, n);
            return c;
        }
    }

    /** axpy and dot lengths. */
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
    @Measurement(iterations = 5, time = 300, timeUnit = TimeUnit.MILLISECONDS)
    @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
    @State(Scope.Thread)
    public static class Level1 {
        @Param({"native", "java", "routed", "reference"})
        public String impl;

        @Param({"1024", "4096", "16384", "65536"})
        public int n;

        LinearAlgebra la;
        double[] x;
        double[] y;

        @Setup
        public void setUp() {
            la = implementation(impl);
            x = Backends.random(n, 4);
            y = Backends.random(n, 5);
        }

        @Benchmark
        public double[] axpy() {
            la.axpy(n, 1e-9, x, 0, 1, y, 0, 1);
            return y;
        }

        @Benchmark
        public double dot() {
            return la.dot(n, x, 0, 1, y, 0, 1);
        }
    }
}
