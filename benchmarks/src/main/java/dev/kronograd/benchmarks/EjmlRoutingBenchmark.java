package dev.kronograd.benchmarks;

import dev.kronograd.backend.ejml.EjmlLinearAlgebra;
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
 * The EJML backend's routes. {@link Gemm}: Java loops against EJML's single-threaded kernels
 * (small n) and single- against multi-threaded EJML (large n), plus core's reference loops — the
 * crossovers set {@link EjmlLinearAlgebra#EJML_MIN_WORK} and
 * {@link EjmlLinearAlgebra#CONCURRENT_MIN_WORK}. {@link Level2}: the backend's gemv/ger loops
 * against the reference, which they must never lose to. Average time per call in ns.
 */
public class EjmlRoutingBenchmark {

    private EjmlRoutingBenchmark() {
    }

    /** gemm C = A·B through one forced route. */
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
    @Measurement(iterations = 5, time = 300, timeUnit = TimeUnit.MILLISECONDS)
    @Fork(1)
    @State(Scope.Thread)
    public static class Gemm {
        @Param({"loops", "ejml", "ejml-mt", "reference"})
        public String impl;

        @Param({"2", "4", "8", "16", "32", "64", "128", "256"})
        public int n;

        private LinearAlgebra la;
        private double[] a;
        private double[] b;
        private double[] c;

        @Setup
        public void setUp() {
            la = switch (impl) {
                case "loops" -> new EjmlLinearAlgebra(Long.MAX_VALUE, Long.MAX_VALUE);
                case "ejml" -> new EjmlLinearAlgebra(1, Long.MAX_VALUE);
                case "ejml-mt" -> new EjmlLinearAlgebra(1, 1);
                case "reference" -> ReferenceLinearAlgebra.INSTANCE;
                default -> throw new IllegalArgumentException("unknown implementation " + impl);
            };
            a = Backends.random(n * n, 1);
            b = Backends.random(n * n, 2);
            c = Backends.random(n * n, 3);
        }

        @Benchmark
        public double[] gemm() {
            la.gemm(Transpose.N, Transpose.N, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
            return c;
        }
    }

    /** gemv (both transposes) and ger: the EJML backend's Java loops against the reference. */
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
    @Measurement(iterations = 5, time = 300, timeUnit = TimeUnit.MILLISECONDS)
    @Fork(1)
    @State(Scope.Thread)
    public static class Level2 {
        @Param({"ejml", "reference"})
        public String impl;

        @Param({"4", "16", "64", "256"})
        public int n;

        private LinearAlgebra la;
        private double[] a;
        private double[] x;
        private double[] y;

        @Setup
        public void setUp() {
            la = impl.equals("ejml") ? new EjmlLinearAlgebra() : ReferenceLinearAlgebra.INSTANCE;
            a = Backends.random(n * n, 1);
            x = Backends.random(n, 4);
            y = Backends.random(n, 5);
        }

        @Benchmark
        public double[] gemv() {
            la.gemv(Transpose.N, n, n, 1.0, a, 0, n, x, 0, 1, 0.0, y, 0, 1);
            return y;
        }

        @Benchmark
        public double[] gemvTransposed() {
            la.gemv(Transpose.T, n, n, 1.0, a, 0, n, x, 0, 1, 0.0, y, 0, 1);
            return y;
        }

        @Benchmark
        public double[] ger() {
            la.ger(n, n, 1e-9, x, 0, 1, y, 0, 1, a, 0, n);
            return a;
        }
    }
}
