package dev.kronograd.sdk.nn;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a workspace's elementwise phases (σ and σ', the loss and its gradient, Δ = σ' ⊙ G) on
 * column ranges of the batch, on several threads when the batch is large enough. BLAS runs the
 * GEMMs of a gradient on every core; without this, the elementwise work between them ran on one —
 * a fifth of a 1024×1024, B = 256 gradient on two cores (docs/BENCHMARKS.md).
 *
 * <p>The plan is fixed per batch size: a batch of at least {@code 2·RANGE_ELEMENTS} elements (B·m
 * of the widest layer) is cut into {@code min(B, elements / RANGE_ELEMENTS)} contiguous column
 * ranges; smaller batches run as one range. The ranges do not depend on the number of threads:
 * with one thread they run in order on the caller's thread, which still pays — a fused phase
 * (σ, the loss, Δ) then works on ≈ 128 KB per array at a time, in cache from one step to the next,
 * instead of streaming the whole batch from memory three times. With more threads and at least
 * {@value #MIN_RANGES_FOR_HELPERS} ranges, ranges are claimed in order from a shared counter by the
 * caller and by up to
 * {@code threads − 1} helper tasks forked to the {@link ForkJoinPool#commonPool() common pool} (or
 * to the caller's own pool when it is a fork/join worker). A helper that starts late — waking an
 * idle core takes a while — just finds fewer ranges left, and one that has not started when the
 * ranges run out is taken back ({@link ForkJoinTask#tryUnfork()}), so a busy pool costs the fork
 * and nothing more; the SDK owns no threads.
 *
 * <p>Results do not depend on which thread ran which range: each range's sum (the loss) is kept in
 * its own slot and the slots are added in range order. Nothing is allocated per call (the helper
 * tasks are re-used). A task never completes exceptionally: each range keeps what it threw,
 * claiming stops at the first failure, and {@link #run} rethrows — once no helper runs any more,
 * so nothing still writes into the workspace — the throwable of the lowest failed range. Every
 * range below it was claimed earlier and has finished, so that is the exception the serial loop
 * would have thrown. Owned by one workspace, so by one thread at a time.
 */
final class ColumnSplit {
    /** The elements of one range: small enough for a late helper to find work, large enough to dwarf claiming it. */
    static final int RANGE_ELEMENTS = 1 << 14;

    /**
     * Helpers are forked only for a plan of at least this many ranges. With two or three, a helper woken
     * for the phase finds one range at best, and the caller may wait for it: at 1024×1024, B = 32
     * (2 ranges) the gradient took 1.64 ms on one thread against 1.80 ms with a helper on 2 cores
     * (openblas-bundled, medians of 1,500; 1.54 against 1.67 in a second JVM); from four ranges on,
     * helpers paid or were even (256/B = 256: 0.97 against 0.99 ms; 2048/B = 256: 33.1 against
     * 33.6 ms; 2048/B = 32: 6.65 against 6.54 ms, within noise).
     */
    static final int MIN_RANGES_FOR_HELPERS = 4;

    /** What runs on one column range (range {@code range}, columns [first, end)); returns a partial sum (the loss) or 0. */
    interface Phase {
        double run(int range, int firstColumn, int endColumn);
    }

    private final int batch;
    private final int[] starts;
    private final double[] sums;
    private final Throwable[] failures;
    private final Helper[] helpers;
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean failed;
    private Phase phase;

    /**
     * @param threads the most threads to use (1: everything on the caller's thread)
     * @param batch   B, the number of columns
     * @param maxRows the largest layer's row count (its m decides whether splitting pays)
     */
    ColumnSplit(int threads, int batch, int maxRows) {
        this.batch = batch;
        long elements = (long) batch * maxRows;
        int ranges = elements < 2L * RANGE_ELEMENTS ? 1 : (int) Math.min(batch, elements / RANGE_ELEMENTS);
        this.starts = new int[ranges + 1];
        for (int c = 0; c <= ranges; c++) {
            starts[c] = (int) ((long) batch * c / ranges);
        }
        this.sums = new double[ranges];
        this.failures = new Throwable[ranges];
        this.helpers = new Helper[ranges < MIN_RANGES_FOR_HELPERS || threads < 2 ? 0 : Math.min(threads - 1, ranges - 1)];
        for (int h = 0; h < helpers.length; h++) {
            helpers[h] = new Helper(this);
        }
    }

    /** The number of column ranges (1: the whole batch at once). */
    int chunks() {
        return sums.length;
    }

    /** The number of helper tasks forked alongside the caller (0: every range on the caller's thread). */
    int helpers() {
        return helpers.length;
    }

    /** The first column of range c; {@code start(chunks())} is B. */
    int start(int c) {
        return starts[c];
    }

    /**
     * Runs {@code p} on every range and returns the sum of the ranges' results, added in range
     * order (so a fixed plan gives a fixed result, whatever the number of threads). With one
     * range, {@code p.run(0, 0, B)}; without helpers, the ranges in order on this thread.
     */
    double run(Phase p) {
        if (sums.length == 1) {
            return p.run(0, 0, batch);
        }
        if (helpers.length == 0) {
            double sum = 0;
            for (int c = 0; c < sums.length; c++) {
                sum += p.run(c, starts[c], starts[c + 1]);
            }
            return sum;
        }
        this.phase = p;
        next.set(0);
        failed = false;
        try {
            for (Helper h : helpers) {
                h.reinitialize();
                h.fork();
            }
            claimRanges();
            for (int h = helpers.length - 1; h >= 0; h--) {
                Helper helper = helpers[h];
                if (!helper.tryUnfork()) {
                    helper.join(); // never throws: a helper records failures per range
                }
            }
            double sum = 0;
            for (int c = 0; c < sums.length; c++) {
                Throwable t = failures[c];
                if (t != null) {
                    java.util.Arrays.fill(failures, null);
                    throw rethrow(t);
                }
                sum += sums[c];
            }
            return sum;
        } finally {
            this.phase = null;
        }
    }

    /** Runs ranges, in claim order, until none is left or one has failed. */
    private void claimRanges() {
        Phase p = phase;
        int c;
        while (!failed && (c = next.getAndIncrement()) < sums.length) {
            try {
                sums[c] = p.run(c, starts[c], starts[c + 1]);
            } catch (Throwable t) {
                sums[c] = 0;
                failures[c] = t;
                failed = true;
            }
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** A re-usable fork/join task that claims ranges alongside the caller. */
    private static final class Helper extends ForkJoinTask<Void> {
        private static final long serialVersionUID = 1L;
        private final transient ColumnSplit owner;

        Helper(ColumnSplit owner) {
            this.owner = owner;
        }

        @Override
        protected boolean exec() {
            owner.claimRanges();
            return true;
        }

        @Override
        public Void getRawResult() {
            return null;
        }

        @Override
        protected void setRawResult(Void value) {
            // no result object: the ranges keep their sums
        }
    }
}
