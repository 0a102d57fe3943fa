package dev.kronograd.service;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Admission control and the compute threads: at most {@code maxConcurrent} computations run and
 * at most {@code maxQueued} more wait; a request beyond that is refused at once (503), before its
 * body is read. Nothing here queues without bound.
 *
 * <p>A request first takes a {@link Permit} ({@link #tryAdmit()}): one of
 * {@code maxConcurrent + maxQueued} semaphore permits. It keeps the permit while its body is read
 * and validated (so the memory held by request trees is bounded too) and hands it to its
 * computation, which returns it when it really ends. A request that gives up waiting
 * ({@link ServiceLimits#requestTimeout()}) is answered 503 at once, but a computation already
 * running cannot be interrupted (the numerical kernels do not poll for interruption): it runs to
 * its end and keeps its permit until then, so abandoned work still counts against the
 * concurrency limit instead of piling up unseen. A computation still queued when its request
 * gives up is removed and never runs.
 */
final class ComputePool {
    /** Seconds a client should wait before retrying after a 503. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final Semaphore admission;
    private final ThreadPoolExecutor executor;
    private final Duration timeout;
    private final int admitted;

    ComputePool(ServiceLimits limits) {
        this.admitted = limits.maxAdmitted();
        this.admission = new Semaphore(admitted);
        this.timeout = limits.requestTimeout();
        // Capacity maxAdmitted: a task whose permit is already returned may still occupy its thread for
        // a moment, so up to every admitted task can be waiting in the queue. Never more: the semaphore
        // admits no others, and a rejection (which would be a bug) becomes a 503, not a lost request.
        this.executor = new ThreadPoolExecutor(limits.maxConcurrent(), limits.maxConcurrent(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(admitted), threads("kronograd-compute-"), new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
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

    /**
     * Takes an admission permit.
     *
     * @throws HttpError 503 with {@code Retry-After} when {@code maxConcurrent + maxQueued}
     *                   requests are already admitted
     */
    Permit tryAdmit() {
        if (!admission.tryAcquire()) {
            throw HttpError.unavailable("the service is at capacity: all " + admitted + " admission slots (computations running or queued) "
                    + "are taken; retry after " + RETRY_AFTER_SECONDS + " s", RETRY_AFTER_SECONDS);
        }
        return new Permit();
    }

    /**
     * Runs {@code work} on a compute thread and waits for its result at most the request
     * timeout. {@code permit} passes to the computation, which returns it when it ends.
     *
     * @throws HttpError            503 when the timeout passes first; whatever {@code work} throws
     *                              as an {@code HttpError}
     * @throws InterruptedException if the waiting thread is interrupted (the service is stopping)
     */
    <T> T compute(Permit permit, Supplier<T> work) throws InterruptedException {
        Job<T> job = new Job<>(permit, work);
        try {
            executor.execute(job);
        } catch (RejectedExecutionException e) {
            permit.release();
            throw HttpError.unavailable("the service is stopping or at capacity; retry after " + RETRY_AFTER_SECONDS + " s",
                    RETRY_AFTER_SECONDS);
        }
        try {
            return job.result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            job.result.cancel(false);
            if (executor.remove(job)) {
                permit.release(); // it was still queued and will never run
            }
            throw HttpError.unavailable("the computation did not finish within the request timeout of " + timeout.toMillis()
                    + " ms (waiting and computing); retry later or send a smaller case", RETRY_AFTER_SECONDS);
        } catch (InterruptedException e) {
            job.result.cancel(false);
            if (executor.remove(job)) {
                permit.release();
            }
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Computations running now. */
    int running() {
        return executor.getActiveCount();
    }

    /** Stops taking work; running computations continue. */
    void shutdown() {
        executor.shutdown();
    }

    /** Waits for running computations; returns whether all ended. */
    boolean awaitTermination(Duration wait) throws InterruptedException {
        return executor.awaitTermination(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** Drops queued computations. Running ones cannot be stopped; their threads are daemons. */
    void shutdownNow() {
        executor.shutdownNow();
    }

    /** One admission: released exactly once, by whoever ends the request's use of it. */
    final class Permit {
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit() {
        }

        /** Returns the permit; later calls do nothing. */
        void release() {
            if (released.compareAndSet(false, true)) {
                admission.release();
            }
        }
    }

    /** A computation that releases its permit when it ends, and skips the work if its request gave up first. */
    private static final class Job<T> implements Runnable {
        private final Permit permit;
        private final Supplier<T> work;
        private final CompletableFuture<T> result = new CompletableFuture<>();

        Job(Permit permit, Supplier<T> work) {
            this.permit = permit;
            this.work = work;
        }

        @Override
        public void run() {
            try {
                if (!result.isDone()) {
                    result.complete(work.get());
                }
            } catch (Throwable t) {
                result.completeExceptionally(t);
            } finally {
                permit.release();
            }
        }
    }
}
