package dev.kronograd.service;

import com.sun.net.httpserver.HttpServer;
import dev.kronograd.sdk.Kronograd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kronograd as an HTTP/1.1 JSON service on the JDK's built-in server
 * ({@code com.sun.net.httpserver}), for callers that are not on the JVM:
 *
 * <pre>{@code
 * try (GradientService service = GradientService.start(Kronograd.create(), ServiceLimits.defaults(),
 *         new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {     // port 0: any free port
 *     URI gradient = service.uri().resolve("/v1/gradient");
 *     …
 * }
 * }</pre>
 *
 * <h2>Endpoints</h2>
 * <ul>
 *   <li>{@code POST /v1/gradient}: a case (docs/case-format.md) → {@code {"loss", "outputs", "gradients"}}.</li>
 *   <li>{@code POST /v1/check}: a case plus optional {@code "max_parameters"}, {@code "seed"},
 *       {@code "rtol"}, {@code "atol"} → the finite-difference report of {@code kronograd check}.</li>
 *   <li>{@code POST /v1/hessian-vector}: a case plus {@code "vector": {"gradients": [{"weights",
 *       "bias"}, …]}} and optional {@code "ggn": true} → {@code {"matrix", "product": [{"weights",
 *       "bias"}, …]}}, the exact Hessian (or Gauss–Newton matrix) of the total loss times the vector.</li>
 *   <li>{@code POST /v1/hessian-diagonal}: a case plus optional {@code "ggn": true} →
 *       {@code {"matrix", "diagonal": [{"weights", "bias"}, …]}}, the exact diagonal of the Hessian
 *       (or Gauss–Newton matrix) of the total loss, shaped like the gradient.</li>
 *   <li>{@code POST /v1/hessian-trace}: a case plus optional {@code "ggn": true} →
 *       {@code {"matrix", "trace"}}, the exact trace of the Hessian (or Gauss–Newton matrix).</li>
 *   <li>{@code GET /v1/activations}, {@code GET /v1/backends}, {@code GET /health}.</li>
 * </ul>
 * Client errors are 4xx with {@code {"error": …, "field": …}} (400 not JSON, 404, 405 with
 * {@code Allow}, 413, 415, 422 not a valid request or over a limit); capacity is 503 with
 * {@code Retry-After}; an internal fault is 500 with a request id that is also logged.
 *
 * <h2>Threads and limits</h2>
 * The server's dispatcher hands each exchange to a bounded pool of HTTP threads
 * ({@code maxConcurrent + maxQueued + 4} threads, a queue of as many exchanges; beyond that the JDK
 * server closes the connection). Computations run on {@code maxConcurrent} compute threads behind
 * explicit admission control ({@link ServiceLimits}); the SDK object is shared by all of them, and
 * every request builds its own network, so requests share nothing mutable.
 *
 * <p>Run the JVM with {@code -Dsun.net.httpserver.nodelay=true} (TCP_NODELAY; {@code kronograd
 * serve} does): without it every answer waits ≈ 40 ms for the client's delayed ACK. The JDK server
 * reads it once, when the JVM's first {@code HttpServer} is created; being JVM-wide, it is the
 * host's to set, and {@code start} only logs (INFO) when it is missing.
 *
 * <h2>Lifecycle</h2>
 * {@link #start} binds and serves; {@link #close()} stops gracefully: the listening socket
 * closes at once (new connections are refused), requests in flight finish for at most
 * {@link ServiceLimits#shutdownGrace()}, requests arriving on open connections meanwhile get 503,
 * then every connection and thread ends. The service registers no shutdown hook: the host (or
 * {@code kronograd serve}) decides when to close it.
 */
public final class GradientService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GradientService.class);
    /** The JDK server's switch for TCP_NODELAY on its connections (default false). */
    static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";
    /** HTTP threads beyond the admitted requests: they answer GETs and refusals (503) while every admitted request waits. */
    static final int SPARE_HTTP_THREADS = 4;

    private final HttpServer server;
    private final ThreadPoolExecutor httpThreads;
    private final ComputePool pool;
    private final ServiceLimits limits;
    private final Lifecycle lifecycle;
    private final InetSocketAddress address;
    private final CountDownLatch terminated = new CountDownLatch(1);

    private GradientService(HttpServer server, ThreadPoolExecutor httpThreads, ComputePool pool, ServiceLimits limits, Lifecycle lifecycle) {
        this.server = server;
        this.httpThreads = httpThreads;
        this.pool = pool;
        this.limits = limits;
        this.lifecycle = lifecycle;
        this.address = server.getAddress();
    }

    /**
     * Binds {@code address} and starts serving {@code sdk}.
     *
     * @param sdk     the SDK every request computes with (shared: it is immutable and thread-safe)
     * @param limits  what the service accepts and how much it computes at once
     * @param address where to listen; port 0 picks a free port ({@link #port()} tells which)
     * @return the running service; close it to stop
     * @throws IOException if the address cannot be bound (e.g. {@link java.net.BindException}:
     *                     the port is in use)
     */
    public static GradientService start(Kronograd sdk, ServiceLimits limits, InetSocketAddress address) throws IOException {
        Objects.requireNonNull(sdk, "sdk");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(address, "address");
        ComputePool pool = new ComputePool(limits);
        Lifecycle lifecycle = new Lifecycle();
        ServiceHandler handler = new ServiceHandler(sdk, limits, pool, lifecycle);
        int threads = limits.maxAdmitted() + SPARE_HTTP_THREADS;
        ThreadPoolExecutor httpThreads = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(threads), ComputePool.threads("kronograd-http-"), (task, executor) -> {
                    // The JDK server closes the connection of an exchange it cannot hand over.
                    LOG.warn("all {} HTTP threads are busy and {} exchanges wait: closing a connection unanswered", threads, threads);
                    throw new RejectedExecutionException("HTTP threads and queue full");
                });
        httpThreads.allowCoreThreadTimeOut(true);
        if (System.getProperty(NO_DELAY_PROPERTY) == null) {
            // The JDK server writes headers and body separately; with Nagle's algorithm on, each answer then waits
            // for the client's delayed ACK (≈ 40 ms on Linux): 19 instead of 330 requests/s for one client here.
            LOG.info("{} is not set: each answer may wait ≈ 40 ms for the client's delayed ACK; start the JVM with -D{}=true",
                    NO_DELAY_PROPERTY, NO_DELAY_PROPERTY);
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException | RuntimeException e) {
            pool.shutdownNow();
            throw e;
        }
        server.createContext("/", handler);
        server.setExecutor(httpThreads);
        server.start();
        GradientService service = new GradientService(server, httpThreads, pool, limits, lifecycle);
        LOG.info("serving on {} with backend {}, {} activations{}; limits: {}", service.uri(), sdk.backendName(),
                sdk.activationListing().size(), sdk.pluginProblems().isEmpty() ? "" : " and " + sdk.pluginProblems().size() + " plugin problems",
                limits);
        return service;
    }

    /** The port the service listens on (the chosen one when started with port 0). */
    public int port() {
        return address.getPort();
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return address;
    }

    /** {@code http://host:port/}, the base of the endpoints; a wildcard bind address shows as such. */
    public URI uri() {
        InetAddress host = address.getAddress();
        String literal = host.getHostAddress();
        return URI.create("http://" + (host instanceof Inet6Address ? "[" + literal + "]" : literal) + ":" + port() + "/");
    }

    /** The limits it enforces. */
    public ServiceLimits limits() {
        return limits;
    }

    /** True until {@link #close()} begins. */
    public boolean isRunning() {
        return !lifecycle.stopping();
    }

    /** Requests being answered right now. */
    public int requestsInFlight() {
        return lifecycle.inFlight();
    }

    /**
     * Stops gracefully, waiting at most {@link ServiceLimits#shutdownGrace()}: closes the
     * listening socket (new connections are refused), lets requests in flight finish (those
     * arriving meanwhile on open connections get 503), then closes every connection and ends
     * the threads. A computation still running after the grace period is abandoned on its
     * daemon thread. Idempotent; a concurrent caller waits for the first to finish.
     */
    @Override
    public void close() {
        if (!lifecycle.beginStopping()) {
            awaitTerminationUninterruptibly();
            return;
        }
        long deadline = System.nanoTime() + limits.shutdownGrace().toNanos();
        LOG.info("stopping {}: refusing new connections, waiting up to {} ms for {} requests in flight", uri(),
                limits.shutdownGrace().toMillis(), lifecycle.inFlight());
        boolean interrupted = false;
        try {
            // HttpServer.stop(delay) closes the listener first, then waits for exchanges — but in JDK 17 it waits
            // the whole delay when none is in progress. So: stop(grace) on a helper thread to close the listener
            // now, wait here for this handler's requests, then stop(0) ends the wait and closes the connections.
            int graceSeconds = (int) Math.min(Integer.MAX_VALUE, (limits.shutdownGrace().toMillis() + 999) / 1000);
            Thread stopper = new Thread(() -> server.stop(graceSeconds), "kronograd-http-stop");
            stopper.setDaemon(true);
            stopper.start();
            try {
                lifecycle.awaitIdle(deadline);
            } catch (InterruptedException e) {
                interrupted = true;
            }
            server.stop(0);
            httpThreads.shutdown();
            pool.shutdown();
            try {
                stopper.join(remainingMillis(deadline) + 1000);
                if (!httpThreads.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS)) {
                    httpThreads.shutdownNow();
                }
                if (!pool.awaitTermination(Duration.ofNanos(remaining(deadline)))) {
                    LOG.warn("stopped with {} computations still running past the grace period; their results are discarded", pool.running());
                    pool.shutdownNow();
                }
            } catch (InterruptedException e) {
                interrupted = true;
                httpThreads.shutdownNow();
                pool.shutdownNow();
            }
            LOG.info("stopped");
        } finally {
            terminated.countDown();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits until {@link #close()} has finished.
     *
     * @throws InterruptedException if this thread is interrupted while waiting
     */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /**
     * Waits at most {@code timeout} for {@link #close()} to finish.
     *
     * @param timeout how long to wait
     * @return whether the service has stopped
     * @throws InterruptedException if this thread is interrupted while waiting
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void awaitTerminationUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                terminated.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static long remainingMillis(long deadline) {
        return TimeUnit.NANOSECONDS.toMillis(remaining(deadline));
    }

    @Override
    public String toString() {
        return "GradientService[" + uri() + (isRunning() ? "" : ", stopping") + "]";
    }

    /** Running or stopping, and the requests in flight (what a graceful stop waits for). */
    static final class Lifecycle {
        private final AtomicInteger inFlight = new AtomicInteger();
        private volatile boolean stopping;

        void enter() {
            inFlight.incrementAndGet();
        }

        void exit() {
            if (inFlight.decrementAndGet() == 0 && stopping) {
                synchronized (this) {
                    notifyAll();
                }
            }
        }

        int inFlight() {
            return inFlight.get();
        }

        boolean stopping() {
            return stopping;
        }

        /** Marks the service stopping; false if it already was. */
        synchronized boolean beginStopping() {
            if (stopping) {
                return false;
            }
            stopping = true;
            return true;
        }

        /** Waits until no request is in flight or the deadline ({@link System#nanoTime()}) passes. */
        synchronized void awaitIdle(long deadline) throws InterruptedException {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
