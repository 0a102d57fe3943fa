package dev.kronograd.service.testing;

import dev.kronograd.service.GradientService;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A {@link HttpClient} (HTTP/1.1) on a service at 127.0.0.1, with the replies as status, headers and body. */
public final class ServiceClient {
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    private final URI base;

    /**
     * One answer.
     *
     * @param status  the HTTP status
     * @param headers the response headers
     * @param body    the body as text
     */
    public record Reply(int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return TestCases.JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body.strip();
        }
    }

    public ServiceClient(GradientService service) {
        this(service.port());
    }

    public ServiceClient(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /** A request builder for {@code path} on the service. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
    }

    public Reply post(String path, JsonNode body) {
        return post(path, "application/json", body.toString());
    }

    public Reply post(String path, String contentType, String body) {
        HttpRequest.Builder r = request(path).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            r.header("Content-Type", contentType);
        }
        return send(r);
    }

    public Reply get(String path) {
        return send(request(path).GET());
    }

    public Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
