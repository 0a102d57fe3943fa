package dev.kronograd.app.nn;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Runs a workspace's elementwise phases (σ and σ', the loss and its gradient, Δ = σ' ⊙ G) on
 * column ranges of the batch, in parallel when the batch is large enough. BLAS runs the GEMMs of a
 * gradient on every core; without this, the elementwise work between them ran on one — 20 % of a
 * 1024×1024, B = 256 gradient on two cores (docs/BENCHMARKS.md).
 *
 * <p>The plan is fixed per batch size: {@code chunks = min(threads, B, B·m_max / MIN_ELEMENTS)}
 * contiguous column ranges, never fewer than one. The caller's thread computes range 0; the others
 * are forked to the {@link ForkJoinPool#commonPool() common pool} (or the caller's own pool when
 * it is a fork/join worker) and, when no worker has taken one by the time the caller is done, the
 * caller takes it back ({@link ForkJoinTask#tryUnfork()}) and runs it itself — so a busy pool
 * costs nothing but the fork, and the SDK owns no threads to shut down.
 *
 * <p>The tasks are made once per plan and re-used (no allocation per call). A task never completes
 * exceptionally: it keeps what its range threw, and {@link #run} rethrows — after every range has
 * finished, so no task still writes into the workspace — the throwable of the lowest range, the
 * same exception the serial loop would have thrown first. Owned by one workspace, so by one
 * thread at a time.
 */
final class ColumnSplit {
    /** A range of fewer elements than this is not worth a task (≈ 0.1–0.2 ms of σ and σ' on this machine type). */
    static final int MIN_ELEMENTS = 1 << 15;

    /** What runs on one column range; returns a partial sum (the loss) or 0. */
    interface Phase {
        double run(int firstColumn, int endColumn);
    }

    private final int batch;
    private final int[] starts;
    private final Range[] ranges;
    private Phase phase;

    /**
     * @param threads     the most ranges to use (1: everything on the caller's thread)
     * @param batch       B, the number of columns
     * @param maxRows     the largest layer's row count (its m decides whether splitting pays)
     */
    ColumnSplit(int threads, int batch, int maxRows) {
        this.batch = batch;
        long elements = (long) batch * maxRows;
        int chunks = (int) Math.max(1, Math.min(Math.min(threads, batch), elements / MIN_ELEMENTS));
        this.starts = new int[chunks + 1];
        for (int c = 0; c <= chunks; c++) {
            starts[c] = (int) ((long) batch * c / chunks);
        }
        this.ranges = new Range[chunks];
        for (int c = 0; c < chunks; c++) {
            ranges[c] = new Range(this, starts[c], starts[c + 1]);
        }
    }

    /** The number of column ranges (1: no parallelism for this batch size). */
    int chunks() {
        return ranges.length;
    }

    /** The first column of range c; {@code start(chunks())} is B. */
    int start(int c) {
        return starts[c];
    }

    /**
     * Runs {@code p} on every range and returns the sum of the ranges' results, added in range
     * order (so a fixed plan gives a fixed result). With one range, {@code p.run(0, B)}.
     */
    double run(Phase p) {
        if (ranges.length == 1) {
            return p.run(0, batch);
        }
        this.phase = p;
        try {
            for (int c = 1; c < ranges.length; c++) {
                Range r = ranges[c];
                r.reinitialize();
                r.fork();
            }
            Range own = ranges[0];
            own.runHere();
            for (int c = ranges.length - 1; c >= 1; c--) {
                Range r = ranges[c];
                if (r.tryUnfork()) {
                    r.runHere();
                } else {
                    r.join();
                }
            }
            double sum = 0;
            for (Range r : ranges) {
                if (r.failure != null) {
                    Throwable t = r.failure;
                    clearFailures();
                    throw rethrow(t);
                }
                sum += r.result;
            }
            return sum;
        } finally {
            this.phase = null;
        }
    }

    private void clearFailures() {
        for (Range r : ranges) {
            r.failure = null;
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

    /** One column range, a re-usable fork/join task that keeps its result or failure. */
    private static final class Range extends ForkJoinTask<Void> {
        private static final long serialVersionUID = 1L;
        private final transient ColumnSplit owner;
        private final int first;
        private final int end;
        private double result;
        private transient Throwable failure;

        Range(ColumnSplit owner, int first, int end) {
            this.owner = owner;
            this.first = first;
            this.end = end;
        }

        void runHere() {
            try {
                result = owner.phase.run(first, end);
                failure = null;
            } catch (Throwable t) {
                result = 0;
                failure = t;
            }
        }

        @Override
        protected boolean exec() {
            runHere();
            return true;
        }

        @Override
        public Void getRawResult() {
            return null;
        }

        @Override
        protected void setRawResult(Void value) {
            // no result object: the range keeps its partial sum
        }
    }
}
