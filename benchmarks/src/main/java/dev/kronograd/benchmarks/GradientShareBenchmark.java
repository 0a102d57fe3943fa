package dev.kronograd.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The share of the backend's own dgemm rate that the SDK's layer gradient reaches, measured
 * <em>in one fork, interleaved</em>: each invocation runs {@link #BLOCK} gradients
 * ({@link LayerGradientBenchmark#sdkGradient}'s call) and then {@link #BLOCK} times the two GEMMs
 * the gradient multiplies ({@link LayerGradientBenchmark#dgemm}'s calls, back to back), timing the
 * two blocks separately. The secondary results {@code gradientNanos} and {@code dgemmNanos} are their
 * totals per iteration, so an iteration's share is {@code dgemmNanos / gradientNanos} over the same
 * number of calls, taken a few tens of milliseconds apart in the same JVM.
 *
 * <p>Why, beside {@link LayerGradientBenchmark}: there the gradient and the dgemm pair run in
 * different forks, minutes apart; on a shared machine the dgemm pair alone moved 7.31–7.72 ms
 * between forks (1024×1024, B = 256, openblas-bundled), the same order as the margin being judged.
 * Here both see the same machine state. The dgemm block still runs back to back (only its first
 * call follows a gradient), so its rate is the backend's steady rate, not one slowed by the
 * gradient's phases. Both blocks are {@link LayerGradientBenchmark}'s own methods on one instance of it
 * (same backend instance, weights and batch).
 *
 * <p>The primary score (time per invocation) means little on its own; read the two counters.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class GradientShareBenchmark {
    /** Calls per block: long enough that the block boundary (one hand-over) does not matter. */
    static final int BLOCK = 8;

    @Param({"openblas-bundled"})
    public String backend;

    @Param({"1024"})
    public int size;

    @Param({"256"})
    public int batch;

    /** The gradient and the dgemm pair exactly as {@link LayerGradientBenchmark} measures them. */
    private final LayerGradientBenchmark layer = new LayerGradientBenchmark();

    /** Nanoseconds spent in each block, summed over an iteration (JMH reports them as secondary results). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Times {
        public long gradientNanos;
        public long dgemmNanos;

        @Setup(Level.Iteration)
        public void clear() {
            gradientNanos = 0;
            dgemmNanos = 0;
        }
    }

    @Setup
    public void setUp() {
        layer.backend = backend;
        layer.size = size;
        layer.batch = batch;
        layer.elementwiseThreads = 0;
        layer.setUp();
    }

    /** {@link #BLOCK} gradients, then {@link #BLOCK} dgemm pairs, each block timed into {@code times}. */
    @Benchmark
    public double interleaved(Times times) {
        double sink = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < BLOCK; i++) {
            sink += layer.sdkGradient();
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < BLOCK; i++) {
            sink += layer.dgemm()[0];
        }
        long t2 = System.nanoTime();
        times.gradientNanos += t1 - t0;
        times.dgemmNanos += t2 - t1;
        return sink;
    }
}
