package dev.kronograd.service;

import dev.kronograd.sdk.Kronograd;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Kronograd as an HTTP/1.1 JSON service on Jetty 12 (plain Jetty handlers, no servlet API), for
 * callers that are not on the JVM:
 *
 * <pre>{@code
 * try (GradientService service = GradientService.start(Kronograd.create(), ServiceLimits.defaults(),
 *         new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {     // port 0: any free port
 *     URI gradient = service.uri().resolve("/v1/gradient");
 *     …
 * }
 * }</pre>
 *
 * A host that passes its own Micrometer registry uses {@link #start(Kronograd, ServiceLimits,
 * InetSocketAddress, MeterRegistry)}; a host that runs its own Jetty server mounts a
 * {@link GradientHandler} instead.
 *
 * <h2>Endpoints</h2>
 * <ul>
 *   <li>{@code POST /v1/gradient}: a case (docs/case-format.md) → {@code {"loss", "outputs", "gradients"}}.</li>
 *   <li>{@code POST /v1/check}: a case plus optional {@code "max_parameters"}, {@code "seed"},
 *       {@code "rtol"}, {@code "atol"} → the finite-difference report of {@code kronograd check}.</li>
 *   <li>{@code POST /v1/hessian-vector}, {@code POST /v1/hessian-diagonal},
 *       {@code POST /v1/hessian-trace}: curvature of the total loss (docs/service.md).</li>
 *   <li>{@code GET /v1/activations}, {@code GET /v1/backends}, {@code GET /health},
 *       {@code GET /ready} (503 while starting or draining), {@code GET /metrics} (Prometheus text).</li>
 * </ul>
 * Client errors are 4xx with {@code {"error": …, "field": …, "request_id": …}} (400 not JSON or a
 * malformed request, 404, 405 with {@code Allow}, 408 a stalled request, 413, 415, 422 not a valid
 * request or over a limit, 431 headers too large); capacity is 503 with {@code Retry-After}; an
 * internal fault is 500 with a request id that is also logged.
 *
 * <h2>Threads, limits and timeouts</h2>
 * Jetty reads headers and bodies without holding a thread while it waits for them, on a bounded
 * pool of {@value #HTTP_THREADS} HTTP threads; HTTP/1.1 keep-alive. A connection idle, or stalled
 * while sending its headers or body, for {@link ServiceLimits#readTimeout()} is closed (408 where
 * an answer can still be sent). Computations run on {@code maxConcurrent} compute threads behind a
 * queue of {@code maxQueued}, admitted by deadline ({@link ServiceLimits#requestTimeout()}); the
 * SDK object is shared by all of them, and every request builds its own network, so requests
 * share nothing mutable.
 *
 * <h2>Lifecycle</h2>
 * {@link #start} binds and serves; {@link #close()} (or {@link #stop(Duration)}) stops
 * gracefully: {@code /ready} turns 503, the listening socket closes at once (new connections are
 * refused), requests in flight finish for at most the grace period
 * ({@link ServiceLimits#shutdownGrace()}) and are answered, computing requests arriving meanwhile
 * on open connections get 503, then every connection and thread ends. The service registers no
 * shutdown hook: the host (or {@code kronograd serve}) decides when to close it.
 */
public final class GradientService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GradientService.class);
    /** Jetty's threads: acceptor, selector and the threads that parse, validate and answer; bounded. */
    static final int HTTP_THREADS = 32;
    /** The largest request line plus headers, in bytes; larger is 431. */
    static final int MAX_HEADER_BYTES = 16 * 1024;

    private final Server server;
    private final ServerConnector connector;
    private final GradientHandler handler;
    private final ServiceLimits limits;
    private final InetSocketAddress address;
    private final Object stopLock = new Object();
    private volatile boolean stopping;
    private final CountDownLatch terminated = new CountDownLatch(1);

    private GradientService(Server server, ServerConnector connector, GradientHandler handler, ServiceLimits limits, InetSocketAddress address) {
        this.server = server;
        this.connector = connector;
        this.handler = handler;
        this.limits = limits;
        this.address = address;
    }

    /**
     * Binds {@code address} and starts serving {@code sdk}, with meters in a Prometheus registry of
     * the service's own (published at {@code GET /metrics}, JVM meters included).
     *
     * @param sdk     the SDK every request computes with (shared: it is immutable and thread-safe)
     * @param limits  what the service accepts and how much it computes at once
     * @param address where to listen; port 0 picks a free port ({@link #port()} tells which)
     * @return the running service; close it to stop
     * @throws IOException if the address cannot be bound (e.g. {@link java.net.BindException}:
     *                     the port is in use)
     */
    public static GradientService start(Kronograd sdk, ServiceLimits limits, InetSocketAddress address) throws IOException {
        return start(sdk, limits, address, null);
    }

    /**
     * Binds {@code address} and starts serving {@code sdk}, with its meters in {@code registry}.
     *
     * @param registry the host's Micrometer registry (the host binds JVM meters if it wants them;
     *                 {@code /metrics} publishes it if it is a {@code PrometheusMeterRegistry}),
     *                 or null for one of the service's own
     * @throws IOException if the address cannot be bound
     * @see #start(Kronograd, ServiceLimits, InetSocketAddress)
     */
    public static GradientService start(Kronograd sdk, ServiceLimits limits, InetSocketAddress address, MeterRegistry registry)
            throws IOException {
        Objects.requireNonNull(sdk, "sdk");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(address, "address");
        QueuedThreadPool threads = new QueuedThreadPool(HTTP_THREADS, 4, 30_000);
        threads.setName("kronograd-http");
        threads.setDaemon(true);
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        http.setSendServerVersion(false);
        http.setIdleTimeout(limits.readTimeout().toMillis());
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(address.getAddress().getHostAddress());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(limits.readTimeout().toMillis());
        server.addConnector(connector);
        GradientHandler handler = new GradientHandler(sdk, limits, registry);
        server.setHandler(handler);
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(0); // close() drains itself, then stops at once
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly(server);
            throw e;
        } catch (Exception e) {
            stopQuietly(server);
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot start the HTTP server on " + address + ": " + e, e);
        }
        InetSocketAddress bound = new InetSocketAddress(address.getAddress(), connector.getLocalPort());
        GradientService service = new GradientService(server, connector, handler, limits, bound);
        LOG.info("serving on {} with backend {}, {} activations{}; limits: {}", service.uri(), sdk.backendName(),
                sdk.activationListing().size(), sdk.pluginProblems().isEmpty() ? "" : " and " + sdk.pluginProblems().size() + " plugin problems",
                limits);
        return service;
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.debug("stopping a server that did not start: {}", e.toString());
        }
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

    /** The Jetty handler it runs (to read its state; a host mounting the service builds its own). */
    public GradientHandler handler() {
        return handler;
    }

    /** True until {@link #close()} begins. */
    public boolean isRunning() {
        return !stopping;
    }

    /** Requests being answered right now. */
    public int requestsInFlight() {
        return handler.requestsInFlight();
    }

    /** Stops gracefully within {@link ServiceLimits#shutdownGrace()}: {@link #stop(Duration)}. */
    @Override
    public void close() {
        stop(limits.shutdownGrace());
    }

    /**
     * Stops gracefully, waiting at most {@code grace}: {@code /ready} turns 503, the listening
     * socket closes (new connections are refused), requests in flight finish and are answered
     * (computing requests arriving meanwhile on open connections get 503), then every connection
     * and thread ends. A computation still running after the grace period is abandoned on its
     * daemon thread. Idempotent; a concurrent caller waits for the first to finish.
     *
     * @param grace how long requests in flight may take to finish (≥ 0)
     */
    public void stop(Duration grace) {
        synchronized (stopLock) {
            if (stopping) {
                awaitTerminationUninterruptibly();
                return;
            }
            stopping = true;
        }
        boolean interrupted = false;
        try {
            LOG.info("stopping {}: refusing new connections, waiting up to {} ms for {} requests in flight", uri(),
                    grace.toMillis(), handler.requestsInFlight());
            handler.drain();
            try {
                connector.shutdown(); // closes the listening socket: new connections are refused
            } catch (RuntimeException e) {
                LOG.debug("closing the listener: {}", e.toString());
            }
            try {
                if (!handler.awaitIdle(grace)) {
                    LOG.warn("stopped with {} requests still in flight past the grace period of {} ms; their connections are closed",
                            handler.requestsInFlight(), grace.toMillis());
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
            try {
                server.stop();
            } catch (Exception e) {
                LOG.warn("stopping the HTTP server: {}", e.toString());
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

    @Override
    public String toString() {
        return "GradientService[" + uri() + (isRunning() ? "" : ", stopping") + "]";
    }

    /**
     * Jetty's own error answers (a malformed request line, headers too large, a stalled request)
     * as the service's JSON error body.
     */
    static final class JsonErrorHandler extends ErrorHandler {
        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
            String id = GradientHandler.requestId(request.getHeaders().get(GradientHandler.REQUEST_ID_HEADER), newId());
            byte[] bytes = json(code, message, id);
            response.getHeaders().put(GradientHandler.REQUEST_ID_HEADER, id);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            response.write(true, ByteBuffer.wrap(bytes), callback);
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            String id = newId();
            fields.put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
            fields.put(GradientHandler.REQUEST_ID_HEADER, id);
            return ByteBuffer.wrap(json(status, reason, id));
        }

        private static String newId() {
            return "jetty-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
        }

        private static byte[] json(int code, String message, String id) {
            String text = message == null || message.isBlank() ? org.eclipse.jetty.http.HttpStatus.getMessage(code) : message;
            com.fasterxml.jackson.databind.node.ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            body.put("error", JsonBodies.oneLine(JsonBodies.excerpt(text)));
            body.put("field", "");
            body.put("request_id", id);
            return (body.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        }
    }
}
