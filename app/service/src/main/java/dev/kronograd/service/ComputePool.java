package dev.kronograd.service;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Admission by deadline and the compute threads: {@code maxConcurrent} computations run at once
 * and at most {@code maxQueued} more wait in a bounded FIFO queue. A queued computation that has
 * not <em>started</em> by its deadline (its request's arrival plus
 * {@link ServiceLimits#requestTimeout()}) is removed and answered 503 with {@code Retry-After}
 * at the deadline; a computation that started runs to its end and is answered. A request whose
 * client has gone away by the time its turn comes is not computed. A full queue is answered 503
 * at once. Nothing here blocks a caller: {@link #submit} returns at once and the outcome arrives
 * through one of its callbacks, exactly once.
 */
final class ComputePool {
    /** Seconds a client should wait before retrying after a 503. */
    static final int RETRY_AFTER_SECONDS = 1;

    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int DROPPED = 2;

    private final ThreadPoolExecutor executor;
    private final ScheduledThreadPoolExecutor timer;
    private final Duration timeout;
    private final int maxQueued;
    /**
     * Admission: one permit per computation running or queued ({@code maxConcurrent + maxQueued}).
     * A computation gives its permit back as soon as it is done computing (or dropped), before its
     * answer is written: a client that sends its next request on receiving an answer always finds
     * the capacity that answer freed, even while the compute thread is still returning to the pool.
     */
    private final Semaphore capacity;

    ComputePool(ServiceLimits limits) {
        this.timeout = limits.requestTimeout();
        this.maxQueued = limits.maxQueued();
        this.capacity = new Semaphore(limits.maxConcurrent() + maxQueued);
        // The queue itself is unbounded: the permits bound what it can hold (maxConcurrent + maxQueued
        // at most, briefly, while finished computations' threads return to the pool).
        this.executor = new ThreadPoolExecutor(limits.maxConcurrent(), limits.maxConcurrent(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads("kronograd-compute-"), new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
        this.timer = new ScheduledThreadPoolExecutor(1, threads("kronograd-deadline-"));
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Daemon threads named {@code prefix1, prefix2, …}: an abandoned computation never keeps a JVM alive. */
    static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The outcome of a submitted computation. */
    interface Outcome<T> {
        /** It waited {@code queueNanos} in the queue, then computed {@code result} in {@code computeNanos}. */
        void done(T result, long queueNanos, long computeNanos);

        /** It did not run: {@code error} (503) is the answer, or it threw (an {@code HttpError} or a fault). */
        void failed(RuntimeException error);

        /** It was not computed because its client had gone away; nothing can be answered. */
        void abandoned();
    }

    /**
     * Queues {@code work}; exactly one method of {@code outcome} is called later (possibly on
     * this thread, when the queue is full).
     *
     * @return a canceller for when the client goes away: a computation still queued is removed
     *         and {@link Outcome#abandoned()} called; otherwise it does nothing
     * @param arrivalNanos {@link System#nanoTime()} when the request arrived: the deadline counts from it
     * @param clientGone   true once the request's client has gone away
     */
    <T> Runnable submit(long arrivalNanos, Supplier<T> work, BooleanSupplier clientGone, Outcome<T> outcome) {
        Job<T> job = new Job<>(arrivalNanos, work, clientGone, outcome);
        long delay = arrivalNanos + timeout.toNanos() - System.nanoTime();
        if (executor.isShutdown()) {
            outcome.failed(stopping());
            return () -> { };
        }
        if (!capacity.tryAcquire()) {
            outcome.failed(HttpError.unavailable("the service is at capacity: " + executor.getMaximumPoolSize() + " computations running and "
                    + maxQueued + " queued; retry after " + RETRY_AFTER_SECONDS + " s", RETRY_AFTER_SECONDS));
            return () -> { };
        }
        try {
            executor.execute(job);
        } catch (RejectedExecutionException e) {
            capacity.release();
            outcome.failed(stopping());
            return () -> { };
        }
        if (job.state.get() == QUEUED) {
            try {
                job.deadline = timer.schedule(job::expire, Math.max(0, delay), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                job.expire(); // stopping: the timer is gone
            }
        }
        return job::abandon;
    }

    static HttpError stopping() {
        return new HttpError(503, "", "the service is shutting down; retry on another instance or after it restarts",
                java.util.Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS), "Connection", "close"));
    }

    /** Computations running now. */
    int running() {
        return executor.getActiveCount();
    }

    /** Computations waiting for a thread. */
    int queued() {
        return executor.getQueue().size();
    }

    /** Stops taking work; queued and running computations continue. */
    void shutdown() {
        executor.shutdown();
    }

    /** Waits for queued and running computations; returns whether all ended. */
    boolean awaitTermination(Duration wait) throws InterruptedException {
        return executor.awaitTermination(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** Drops queued computations (answered 503). Running ones cannot be stopped; their threads are daemons. */
    void shutdownNow() {
        for (Runnable r : executor.shutdownNow()) {
            if (r instanceof Job<?> job) {
                job.drop(stopping());
            }
        }
        timer.shutdownNow();
    }

    /** A computation with its deadline: it runs only if it starts before the deadline and its client is still there. */
    private final class Job<T> implements Runnable {
        final AtomicInteger state = new AtomicInteger(QUEUED);
        private final long arrival;
        private final long enqueued = System.nanoTime();
        private final Supplier<T> work;
        private final BooleanSupplier clientGone;
        private final Outcome<T> outcome;
        volatile ScheduledFuture<?> deadline;
        private final AtomicBoolean released = new AtomicBoolean();

        Job(long arrival, Supplier<T> work, BooleanSupplier clientGone, Outcome<T> outcome) {
            this.arrival = arrival;
            this.work = work;
            this.clientGone = clientGone;
            this.outcome = outcome;
        }

        @Override
        public void run() {
            if (!state.compareAndSet(QUEUED, RUNNING)) {
                return;
            }
            ScheduledFuture<?> d = deadline;
            if (d != null) {
                d.cancel(false);
            }
            long start = System.nanoTime();
            if (start - arrival > timeout.toNanos()) {
                release();
                outcome.failed(expired());
                return;
            }
            if (clientGone.getAsBoolean()) {
                release();
                outcome.abandoned();
                return;
            }
            T result;
            try {
                result = work.get();
            } catch (RuntimeException e) {
                release();
                outcome.failed(e);
                return;
            } catch (Error e) {
                release();
                outcome.failed(new IllegalStateException("the computation failed: " + e, e));
                return;
            } finally {
                release(); // idempotent: the answer below is written with the capacity already given back
            }
            outcome.done(result, start - enqueued, System.nanoTime() - start);
        }

        /** The deadline passed: a computation still queued is dropped and answered 503. */
        void expire() {
            if (state.compareAndSet(QUEUED, DROPPED)) {
                executor.remove(this);
                release();
                outcome.failed(expired());
            }
        }

        /** The client went away: a computation still queued is removed and never runs. */
        void abandon() {
            if (state.compareAndSet(QUEUED, DROPPED)) {
                executor.remove(this);
                release();
                ScheduledFuture<?> d = deadline;
                if (d != null) {
                    d.cancel(false);
                }
                outcome.abandoned();
            }
        }

        void drop(RuntimeException error) {
            if (state.compareAndSet(QUEUED, DROPPED)) {
                release();
                outcome.failed(error);
            }
        }

        /** Gives this computation's admission permit back, once. */
        private void release() {
            if (released.compareAndSet(false, true)) {
                capacity.release();
            }
        }

        private HttpError expired() {
            return HttpError.unavailable("the computation could not start within the request timeout of " + timeout.toMillis()
                    + " ms (the queue is too long); retry after " + RETRY_AFTER_SECONDS + " s or send a smaller case",
                    RETRY_AFTER_SECONDS);
        }
    }
}
