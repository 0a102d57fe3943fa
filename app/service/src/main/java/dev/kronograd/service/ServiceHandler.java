package dev.kronograd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.kronograd.activations.RegisteredActivation;
import dev.kronograd.backend.BackendStatus;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.service.io.CaseWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Routes and answers every request of a {@link GradientService}: method and path, content type,
 * admission, body, validation, computation, and the mapping of every outcome to a status with a
 * JSON body. Every answer that is not 2xx is {@code {"error": …, "field": …}}; an internal fault
 * is a 500 that adds {@code "request_id"}, the id also logged (with the stack trace) at ERROR.
 * Every answer carries {@code X-Request-Id}. One DEBUG line per request: method, path, status,
 * microseconds.
 */
final class ServiceHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceHandler.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final CaseWriter WRITER = CaseWriter.compact();
    private static final String JSON_TYPE = "application/json; charset=utf-8";
    private static final String GET = "GET, HEAD";
    private static final String POST = "POST";

    /** What an endpoint does with an admitted request. */
    private interface Endpoint {
        Answer answer(HttpExchange exchange) throws IOException, InterruptedException;
    }

    /** An endpoint's methods ({@code Allow}) and behaviour. */
    private record Route(String allow, Endpoint endpoint) {
        boolean allows(String method) {
            return List.of(allow.split(", ")).contains(method);
        }
    }

    /** A status and a JSON body, with extra headers. */
    private record Answer(int status, JsonNode body, Map<String, String> headers) {
        Answer(int status, JsonNode body) {
            this(status, body, Map.of());
        }

        Answer with(String header, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(header, value);
            return new Answer(status, body, more);
        }
    }

    private final Map<String, Route> routes;
    private final ServiceLimits limits;
    private final ComputePool pool;
    private final GradientService.Lifecycle lifecycle;
    private final String idPrefix = String.format("%08x", ThreadLocalRandom.current().nextInt());
    private final AtomicLong requestCount = new AtomicLong();

    ServiceHandler(Kronograd sdk, ServiceLimits limits, ComputePool pool, GradientService.Lifecycle lifecycle) {
        this.limits = limits;
        this.pool = pool;
        this.lifecycle = lifecycle;
        Computations computations = new Computations(sdk, limits);
        // The listings cannot change while the SDK lives (its registries are immutable): built once.
        JsonNode activations = activationListing(sdk);
        JsonNode backends = backendListing(sdk);
        ObjectNode health = NODES.objectNode().put("status", "ok");
        this.routes = Map.of(
                "/v1/gradient", new Route(POST, exchange -> compute(exchange, computations::prepareGradient)),
                "/v1/check", new Route(POST, exchange -> compute(exchange, computations::prepareCheck)),
                "/v1/hessian-vector", new Route(POST, exchange -> compute(exchange, computations::prepareHessianVector)),
                "/v1/hessian-diagonal", new Route(POST, exchange -> compute(exchange, computations::prepareHessianDiagonal)),
                "/v1/hessian-trace", new Route(POST, exchange -> compute(exchange, computations::prepareHessianTrace)),
                "/v1/activations", new Route(GET, exchange -> new Answer(200, activations)),
                "/v1/backends", new Route(GET, exchange -> new Answer(200, backends)),
                "/health", new Route(GET, exchange -> new Answer(200, health)));
    }

    @Override
    public void handle(HttpExchange exchange) {
        long start = System.nanoTime();
        String method = exchange.getRequestMethod();
        // The raw path keeps percent-escapes: nothing decoded can inject line breaks into the log.
        String path = exchange.getRequestURI().getRawPath();
        String id = idPrefix + "-" + requestCount.incrementAndGet();
        int status = 0;
        lifecycle.enter();
        try {
            Answer answer = answer(exchange, method, path, id);
            status = answer.status();
            if (!JsonBodies.discardRest(exchange.getRequestBody())) {
                answer = answer.with("Connection", "close"); // over the discard limit: end the connection after answering
            }
            send(exchange, method, answer, id);
        } catch (IOException e) {
            // The client closed the connection while sending its body or reading the answer.
            LOG.debug("{} {}: connection failed ({}), request id {}", method, path, e.toString(), id);
        } finally {
            exchange.close();
            lifecycle.exit();
            LOG.debug("{} {} {} {}µs", method, path, status == 0 ? "-" : status, (System.nanoTime() - start) / 1000);
        }
    }

    private Answer answer(HttpExchange exchange, String method, String path, String id) throws IOException {
        try {
            Route route = path == null ? null : routes.get(path);
            if (route == null) {
                throw new HttpError(404, "", "no endpoint " + JsonBodies.excerpt(String.valueOf(path)) + "; the endpoints are "
                        + "POST /v1/gradient, POST /v1/check, POST /v1/hessian-vector, POST /v1/hessian-diagonal, POST /v1/hessian-trace, "
                        + "GET /v1/activations, GET /v1/backends, GET /health");
            }
            if (!route.allows(method)) {
                throw new HttpError(405, "", "method " + JsonBodies.excerpt(method) + " is not allowed on " + path + "; use "
                        + route.allow().replace(", ", " or "), Map.of("Allow", route.allow()));
            }
            if (lifecycle.stopping()) {
                throw stopping();
            }
            return route.endpoint().answer(exchange);
        } catch (HttpError e) {
            return error(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(stopping());
        } catch (RuntimeException | Error e) {
            // A bug or a broken plugin, never the client's input: logged with the stack trace, answered without it.
            LOG.error("{} {} failed with an internal error, request id {}", method, path, id, e);
            ObjectNode body = NODES.objectNode();
            body.put("error", "internal error; the service log has the details under request id " + id);
            body.put("field", "");
            body.put("request_id", id);
            return new Answer(500, body);
        }
    }

    /**
     * A computing endpoint: checks the content type and declared length, takes an admission
     * permit (503 when saturated) before reading anything, reads at most the body limit, parses
     * and validates on this thread, then computes on a compute thread within the timeout.
     */
    private Answer compute(HttpExchange exchange, Function<JsonNode, Supplier<JsonNode>> prepare)
            throws IOException, InterruptedException {
        Headers headers = exchange.getRequestHeaders();
        JsonBodies.requireJson(headers);
        JsonBodies.checkDeclaredLength(headers, limits.maxBodyBytes());
        ComputePool.Permit permit = pool.tryAdmit();
        Supplier<JsonNode> work;
        try {
            byte[] body = JsonBodies.read(exchange.getRequestBody(), limits.maxBodyBytes());
            work = prepare.apply(JsonBodies.parse(body));
        } catch (IOException | RuntimeException | Error e) {
            permit.release();
            throw e;
        }
        return new Answer(200, pool.compute(permit, work)); // the computation returns the permit
    }

    private static HttpError stopping() {
        return new HttpError(503, "", "the service is shutting down; retry on another instance or after it restarts",
                Map.of("Retry-After", Integer.toString(ComputePool.RETRY_AFTER_SECONDS), "Connection", "close"));
    }

    private static Answer error(HttpError e) {
        ObjectNode body = NODES.objectNode();
        body.put("error", e.getMessage());
        body.put("field", e.field());
        return new Answer(e.status(), body, e.headers());
    }

    private static void send(HttpExchange exchange, String method, Answer answer, String id) throws IOException {
        byte[] bytes = (WRITER.toString(answer.body()) + "\n").getBytes(StandardCharsets.UTF_8);
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", JSON_TYPE);
        headers.set("Cache-Control", "no-store");
        headers.set("X-Request-Id", id);
        answer.headers().forEach(headers::set);
        if ("HEAD".equals(method)) {
            exchange.sendResponseHeaders(answer.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
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
