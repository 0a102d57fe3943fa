package dev.kronograd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kronograd.activations.RegisteredActivation;
import dev.kronograd.backend.BackendStatus;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.service.io.CaseWriter;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The gradient service as a Jetty 12 {@link Handler} (no servlet API): routes and answers every
 * request — method and path, content type, body, validation, admission by deadline, computation —
 * and maps every outcome to a status with a JSON body. {@link GradientService} runs it on a Jetty
 * server of its own; a host that already runs Jetty can mount it in its own {@code Server}
 * instead:
 *
 * <pre>{@code
 * GradientHandler kronograd = new GradientHandler(sdk, ServiceLimits.defaults(), hostRegistry);
 * server.setHandler(kronograd);                  // or inside the host's own handler tree
 * server.start();                                // starts the handler (and its compute threads) with the server
 * }</pre>
 *
 * Mounted so, the connector's idle timeout, header size and thread pool are the host's; the
 * handler keeps its body limit, its compute pool ({@link ServiceLimits#maxConcurrent()} threads,
 * {@link ServiceLimits#maxQueued()} queued) and admission by deadline, and stops its compute
 * threads when the server stops it. Paths are matched exactly (mount it at the root, or wrap it
 * in a handler that strips the prefix).
 *
 * <p>Every answer that is not 2xx is {@code {"error": …, "field": …, "request_id": …}}; an
 * internal fault is a 500 whose request id is also logged (with the stack trace) at ERROR. Every
 * answer carries {@code X-Request-Id}: the client's (1–64 characters out of
 * {@code A–Z a–z 0–9 . _ : -}), or one generated. One access-log line per request goes to the
 * SLF4J logger {@value #ACCESS_LOGGER} at INFO: method, path, status, bytes, milliseconds, request id.
 *
 * <p>Reading a body holds no thread: the handler reads it as it arrives and parses and validates
 * it once complete, then queues the computation. The body is bounded by
 * {@link ServiceLimits#maxBodyBytes()} (413, against {@code Content-Length} first, then while
 * reading; never more is buffered), and the bodies of all requests in flight together by a
 * quarter of the heap (503 beyond).
 */
public final class GradientHandler extends Handler.Abstract {
    /** The logger of the access log: one INFO line per request. */
    public static final String ACCESS_LOGGER = "dev.kronograd.service.access";
    /** The request-id header, read from requests and set on every answer. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    private static final Logger LOG = LoggerFactory.getLogger(GradientHandler.class);
    private static final Logger ACCESS = LoggerFactory.getLogger(ACCESS_LOGGER);
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final CaseWriter WRITER = CaseWriter.compact();
    private static final String JSON_TYPE = "application/json; charset=utf-8";
    private static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String GET = "GET, HEAD";
    private static final String POST = "POST";
    private static final String ENDPOINT_LIST = "POST /v1/gradient, POST /v1/check, POST /v1/hessian-vector, POST /v1/hessian-diagonal, "
            + "POST /v1/hessian-trace, POST /v1/hessian-eigenvalues, POST /v1/laplace, GET /v1/activations, GET /v1/backends, GET /health, GET /ready, GET /metrics";

    /** What an endpoint does with a request. */
    private interface Endpoint {
        void answer(Exchange exchange);
    }

    /** An endpoint's methods ({@code Allow}) and behaviour. */
    private record Route(String allow, Endpoint endpoint) {
        boolean allows(String method) {
            return List.of(allow.split(", ")).contains(method);
        }
    }

    /** A status and a JSON body (or, for {@code /metrics}, text), with extra headers. */
    private record Answer(int status, JsonNode body, String text, Map<String, String> headers) {
        Answer(int status, JsonNode body) {
            this(status, body, null, Map.of());
        }

        Answer with(String header, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(header, value);
            return new Answer(status, body, text, more);
        }
    }

    private final Map<String, Route> routes;
    private final ServiceLimits limits;
    private final ComputePool pool;
    private final ServiceMetrics metrics;
    private final String idPrefix = String.format("%08x", ThreadLocalRandom.current().nextInt());
    private final AtomicLong requestCount = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Body bytes held by requests being read, queued or computed; bounded by {@link #bodyBudget}. */
    private final AtomicLong heldBodyBytes = new AtomicLong();
    /** A quarter of the heap: what the bodies of all requests in flight may hold at once. */
    private final long bodyBudget = Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4);
    /** 0 starting, 1 serving, 2 draining. */
    private volatile int phase;
    private final Object idle = new Object();

    /**
     * A handler serving {@code sdk} within {@code limits}.
     *
     * @param sdk      the SDK every request computes with (shared: it is immutable and thread-safe)
     * @param limits   what the service accepts and how much it computes at once; of the connection
     *                 settings ({@link ServiceLimits#readTimeout()}) only {@link GradientService} makes use
     * @param registry where the meters go: a host's registry (then {@code GET /metrics} publishes
     *                 it if it is a {@code PrometheusMeterRegistry}, and answers 404 otherwise), or
     *                 null for a Prometheus registry of the handler's own, with the JVM's meters
     */
    public GradientHandler(Kronograd sdk, ServiceLimits limits, MeterRegistry registry) {
        Objects.requireNonNull(sdk, "sdk");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.pool = new ComputePool(limits);
        this.metrics = new ServiceMetrics(registry);
        metrics.gauges(inFlight::get, pool::queued, pool::running);
        Computations computations = new Computations(sdk, limits);
        // The listings cannot change while the SDK lives (its registries are immutable): built once.
        JsonNode activations = activationListing(sdk);
        JsonNode backends = backendListing(sdk);
        ObjectNode health = NODES.objectNode().put("status", "ok");
        Map<String, Route> r = new LinkedHashMap<>();
        r.put("/v1/gradient", new Route(POST, e -> compute(e, computations::prepareGradient)));
        r.put("/v1/check", new Route(POST, e -> compute(e, computations::prepareCheck)));
        r.put("/v1/hessian-vector", new Route(POST, e -> compute(e, computations::prepareHessianVector)));
        r.put("/v1/hessian-diagonal", new Route(POST, e -> compute(e, computations::prepareHessianDiagonal)));
        r.put("/v1/hessian-trace", new Route(POST, e -> compute(e, computations::prepareHessianTrace)));
        r.put("/v1/hessian-eigenvalues", new Route(POST, e -> compute(e, computations::prepareHessianEigenvalues)));
        r.put("/v1/laplace", new Route(POST, e -> compute(e, computations::prepareLaplace)));
        r.put("/v1/activations", new Route(GET, e -> e.finish(new Answer(200, activations))));
        r.put("/v1/backends", new Route(GET, e -> e.finish(new Answer(200, backends))));
        r.put("/health", new Route(GET, e -> e.finish(new Answer(200, health))));
        r.put("/ready", new Route(GET, this::ready));
        r.put("/metrics", new Route(GET, this::metrics));
        this.routes = Map.copyOf(r);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        phase = 1;
    }

    @Override
    protected void doStop() throws Exception {
        phase = 2;
        pool.shutdownNow();
        metrics.close();
        super.doStop();
    }

    /** The limits it enforces. */
    public ServiceLimits limits() {
        return limits;
    }

    /** True while it serves: started and not draining ({@code GET /ready} is 200). */
    public boolean isReady() {
        return phase == 1;
    }

    /** Requests being answered right now (from arrival until their answer is written). */
    public int requestsInFlight() {
        return inFlight.get();
    }

    /** Computations waiting for a compute thread right now. */
    public int computationsQueued() {
        return pool.queued();
    }

    /**
     * Starts draining: {@code /ready} answers 503 and computing requests arriving from now on are
     * answered 503 (with {@code Connection: close}); those already in flight continue.
     */
    public void drain() {
        phase = 2;
    }

    /**
     * Waits until no request is in flight, at most {@code timeout}.
     *
     * @return whether none is
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
        }
        return true;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange exchange = new Exchange(request, response, callback, requestId(request.getHeaders().get(REQUEST_ID_HEADER)));
        inFlight.incrementAndGet();
        try {
            Route route = routes.get(exchange.path);
            if (route == null) {
                throw new HttpError(404, "", "no endpoint " + JsonBodies.excerpt(exchange.path) + "; the endpoints are " + ENDPOINT_LIST);
            }
            exchange.endpoint = exchange.path;
            if (!route.allows(exchange.method)) {
                throw new HttpError(405, "", "method " + JsonBodies.excerpt(exchange.method) + " is not allowed on " + exchange.path
                        + "; use " + route.allow().replace(", ", " or "), Map.of("Allow", route.allow()));
            }
            route.endpoint().answer(exchange);
        } catch (RuntimeException | Error e) {
            exchange.fail(e);
        }
        return true;
    }

    private String requestId(String given) {
        return requestId(given, idPrefix + "-" + requestCount.incrementAndGet());
    }

    /** {@code given} if it is a safe request id (1–64 of {@code A–Z a–z 0–9 . _ : -}), else {@code generated}. */
    static String requestId(String given, String generated) {
        if (given != null && SAFE_ID.matcher(given).matches()) {
            return given;
        }
        return generated;
    }

    private void ready(Exchange exchange) {
        if (phase == 1) {
            exchange.finish(new Answer(200, NODES.objectNode().put("ready", true)));
        } else {
            ObjectNode body = NODES.objectNode();
            body.put("error", phase == 0 ? "the service is starting" : "the service is shutting down");
            body.put("field", "");
            body.put("ready", false);
            exchange.finish(new Answer(503, body, null, Map.of("Retry-After", Integer.toString(ComputePool.RETRY_AFTER_SECONDS))));
        }
    }

    private void metrics(Exchange exchange) {
        String text = metrics.scrape();
        if (text == null) {
            throw new HttpError(404, "", "this service's meters go to its host's registry, which is not Prometheus'; the host publishes them");
        }
        exchange.finish(new Answer(200, null, text, Map.of()));
    }

    /**
     * A computing endpoint: checks the content type and declared length, reads the body as it
     * arrives (at most the limit), then queues its parsing, validation and computation, which must
     * start before the request's deadline.
     */
    private void compute(Exchange exchange, Function<JsonNode, Supplier<JsonNode>> prepare) {
        HttpFields headers = exchange.request.getHeaders();
        JsonBodies.requireJson(headers);
        JsonBodies.checkDeclaredLength(headers, limits.maxBodyBytes());
        if (phase != 1) {
            throw ComputePool.stopping();
        }
        exchange.readBody(limits.maxBodyBytes(), body -> {
            // Parsing and validating are work too (about a second for a 25 MB case on one core): they run
            // on the compute threads, inside the request's deadline, so that an overload is shed before
            // its bodies are parsed, not after — parsed on every HTTP thread at once, each would finish
            // too late to be computed, and nothing would be answered 200.
            Supplier<JsonNode> work = () -> Computations.finiteOnly(prepare.apply(JsonBodies.parse(body))).get();
            Runnable cancel = pool.submit(exchange.arrival, work, exchange::clientGone, new ComputePool.Outcome<>() {
                @Override
                public void done(JsonNode result, long queueNanos, long computeNanos) {
                    metrics.computed(exchange.endpoint, queueNanos, computeNanos);
                    exchange.finish(new Answer(200, result));
                }

                @Override
                public void failed(RuntimeException error) {
                    exchange.fail(error);
                }

                @Override
                public void abandoned() {
                    exchange.abandon();
                }
            });
            exchange.onGone(cancel);
        });
    }

    /** One request and its answer: written exactly once, then counted, logged and completed. */
    private final class Exchange {
        final Request request;
        final Response response;
        final Callback callback;
        final String id;
        final String method;
        final String path;
        final long arrival = System.nanoTime();
        final AtomicBoolean gone = new AtomicBoolean();
        final AtomicBoolean answered = new AtomicBoolean();
        String endpoint = ServiceMetrics.OTHER;

        Exchange(Request request, Response response, Callback callback, String id) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.id = id;
            this.method = request.getMethod();
            // The raw path keeps percent-escapes: nothing decoded can inject line breaks into the log.
            String raw = request.getHttpURI().getPath();
            this.path = raw == null ? "" : raw;
            request.addFailureListener(failure -> {
                gone.set(true);
                Runnable c = onGone;
                if (c != null) {
                    c.run();
                }
            });
        }

        private volatile Runnable onGone;

        /** Runs {@code cancel} when the client goes away (at once if it already has). */
        void onGone(Runnable cancel) {
            onGone = cancel;
            if (gone.get()) {
                cancel.run();
            }
        }

        boolean clientGone() {
            return gone.get() || !request.getConnectionMetaData().getConnection().getEndPoint().isOpen();
        }

        /** Reads the whole body, at most {@code limit} bytes, without holding a thread while it waits for more. */
        void readBody(int limit, java.util.function.Consumer<byte[]> then) {
            // A declared length is reserved against the body budget before any byte is read: when the
            // budget cannot hold it the client is answered 503 at once, instead of many uploads each
            // holding part of the budget until one crosses it and all retry (nothing then completes).
            long declared = request.getLength();
            long reserved;
            try {
                reserved = declared > 0 && declared <= limit ? declared : 0;
                if (reserved > 0) {
                    hold(reserved);
                }
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            new Object() {
                byte[] buffer = new byte[(int) Math.max(Math.min(limit, 8192), reserved)];
                int length;
                long counted = reserved;

                void read() {
                    try {
                        while (true) {
                            Content.Chunk chunk = request.read();
                            if (chunk == null) {
                                request.demand(this::read);
                                return;
                            }
                            if (Content.Chunk.isFailure(chunk)) {
                                failedRead(chunk.getFailure());
                                return;
                            }
                            ByteBuffer bytes = chunk.getByteBuffer();
                            int n = bytes.remaining();
                            if ((long) length + n > limit) {
                                chunk.release();
                                throw JsonBodies.tooLarge(limit, "the body is longer");
                            }
                            if ((long) length + n > counted) {
                                hold((long) length + n - counted);
                                counted = (long) length + n;
                            }
                            if (length + n > buffer.length) {
                                buffer = Arrays.copyOf(buffer, (int) Math.min(limit, Math.max(2L * buffer.length, (long) length + n)));
                            }
                            bytes.get(buffer, length, n);
                            length += n;
                            boolean last = chunk.isLast();
                            chunk.release();
                            if (last) {
                                then.accept(length == buffer.length ? buffer : Arrays.copyOf(buffer, length));
                                return;
                            }
                        }
                    } catch (RuntimeException | Error e) {
                        fail(e);
                    }
                }
            }.read();
        }

        private void failedRead(Throwable failure) {
            if (failure instanceof TimeoutException || failure.getCause() instanceof TimeoutException) {
                fail(new HttpError(408, "", "the request body stalled: nothing arrived within the read timeout; the connection is closed",
                        Map.of("Connection", "close")));
            } else {
                gone.set(true);
                abandon();
            }
        }

        /** Answers an exception: its own status if an {@link HttpError}, else 500 with the request id, logged. */
        void fail(Throwable e) {
            if (e instanceof HttpError h) {
                ObjectNode body = NODES.objectNode();
                body.put("error", h.getMessage());
                body.put("field", h.field());
                finish(new Answer(h.status(), body, null, h.headers()));
                return;
            }
            // A bug or a broken plugin, never the client's input: logged with the stack trace, answered without it.
            LOG.error("{} {} failed with an internal error, request id {}", method, path, id, e);
            ObjectNode body = NODES.objectNode();
            body.put("error", "internal error; the service log has the details under request id " + id);
            body.put("field", "");
            finish(new Answer(500, body));
        }

        /** Discards what is left of the body (at most 1 MiB; beyond that the connection closes), then writes the answer. */
        void finish(Answer answer) {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            new Object() {
                long discarded;

                void discard() {
                    try {
                        while (true) {
                            Content.Chunk chunk = request.read();
                            if (chunk == null) {
                                request.demand(this::discard);
                                return;
                            }
                            if (Content.Chunk.isFailure(chunk)) {
                                send(answer.with("Connection", "close"));
                                return;
                            }
                            discarded += chunk.remaining();
                            boolean last = chunk.isLast();
                            chunk.release();
                            if (last) {
                                send(answer);
                                return;
                            }
                            if (discarded > JsonBodies.DISCARD_LIMIT) {
                                send(answer.with("Connection", "close"));
                                return;
                            }
                        }
                    } catch (RuntimeException | Error e) {
                        send(answer.with("Connection", "close"));
                    }
                }
            }.discard();
        }

        private void send(Answer answer) {
            byte[] bytes;
            String type;
            if (answer.text() != null) {
                bytes = answer.text().getBytes(StandardCharsets.UTF_8);
                type = PROMETHEUS_TYPE;
            } else {
                JsonNode body = answer.body();
                if (answer.status() >= 300 && body instanceof ObjectNode o) {
                    o.put("request_id", id);
                }
                bytes = (WRITER.toString(body) + "\n").getBytes(StandardCharsets.UTF_8);
                type = JSON_TYPE;
            }
            int status = answer.status();
            // Counted before the answer is written: a client that has its answer finds it counted.
            metrics.request(endpoint, status);
            try {
                response.setStatus(status);
                HttpFields.Mutable headers = response.getHeaders();
                headers.put(HttpHeader.CONTENT_TYPE, type);
                headers.put(HttpHeader.CACHE_CONTROL, "no-store");
                headers.put(REQUEST_ID_HEADER, id);
                answer.headers().forEach(headers::put);
                headers.put(HttpHeader.CONTENT_LENGTH, bytes.length);
                response.write(true, ByteBuffer.wrap(bytes), Callback.from(() -> complete(status, bytes.length, null),
                        failure -> complete(status, bytes.length, failure)));
            } catch (RuntimeException e) {
                complete(status, 0, e);
            }
        }

        /** Nothing can be answered: the client went away. */
        void abandon() {
            if (answered.compareAndSet(false, true)) {
                complete(0, 0, new org.eclipse.jetty.io.EofException("the client went away")); // quiet: Jetty logs no stack trace
            }
        }

        /** Counts {@code n} more body bytes against the service's budget; 503 when it is spent. */
        private void hold(long n) {
            held += n;
            if (heldBodyBytes.addAndGet(n) > bodyBudget) {
                throw HttpError.unavailable("the service holds " + (bodyBudget >> 20) + " MiB of request bodies already (a quarter of its "
                        + "heap); retry after " + ComputePool.RETRY_AFTER_SECONDS + " s", ComputePool.RETRY_AFTER_SECONDS);
            }
        }

        private volatile long held;

        private void complete(int status, int bytes, Throwable failure) {
            heldBodyBytes.addAndGet(-held);
            try {
                if (ACCESS.isInfoEnabled()) {
                    ACCESS.info("{} {} {} {} {} {}", method, JsonBodies.excerpt(path), status == 0 ? "-" : status,
                            failure == null ? bytes : "-", String.format(java.util.Locale.ROOT, "%.3fms", (System.nanoTime() - arrival) / 1e6), id);
                }
            } finally {
                if (inFlight.decrementAndGet() == 0) {
                    synchronized (idle) {
                        idle.notifyAll();
                    }
                }
                if (failure == null) {
                    callback.succeeded();
                } else {
                    callback.failed(failure);
                }
            }
        }
    }

    /** {@code {"activations": [{"name", "class", "source"}], "problems": ["jar [class]: message"]}}. */
    static JsonNode activationListing(Kronograd sdk) {
        ObjectNode root = NODES.objectNode();
        ArrayNode list = root.putArray("activations");
        for (RegisteredActivation a : sdk.activationListing()) {
            list.addObject().put("name", a.name()).put("class", a.implementationClass()).put("source", a.location());
        }
        ArrayNode problems = root.putArray("problems");
        for (String p : sdk.pluginProblems()) {
            problems.add(JsonBodies.oneLine(p));
        }
        return root;
    }

    /** {@code {"selected", "detail", "backends": [{"name", "speed_rank", "available", "detail", "selected"}]}}. */
    static JsonNode backendListing(Kronograd sdk) {
        ObjectNode root = NODES.objectNode();
        root.put("selected", sdk.backendName());
        root.put("detail", JsonBodies.oneLine(sdk.backendDetail()));
        ArrayNode list = root.putArray("backends");
        for (BackendStatus b : sdk.backendListing()) {
            list.addObject().put("name", b.name()).put("speed_rank", b.speedRank()).put("available", b.availability().available())
                    .put("detail", JsonBodies.oneLine(b.availability().toString())).put("selected", b.name().equals(sdk.backendName()));
        }
        return root;
    }
}
