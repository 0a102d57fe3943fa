package dev.kronograd.benchmarks;

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
 * Memory bandwidth for the bound of the B = 1 gradient: a copy of an n×n array of doubles
 * (read n²·8 bytes, write n²·8 bytes). At n = 2048 that is 32 MiB each way, beyond the caches.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class MemoryBandwidthBenchmark {

    @Param({"2048"})
    public int size;

    private double[] src;
    private double[] dst;

    @Setup
    public void setUp() {
        src = Backends.random(size * size, 1);
        dst = new double[size * size];
    }

    /** dst = src (System.arraycopy). */
    @Benchmark
    public double[] copy() {
        System.arraycopy(src, 0, dst, 0, src.length);
        return dst;
    }
}
