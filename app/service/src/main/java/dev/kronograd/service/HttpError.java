package dev.kronograd.service;

import java.util.Map;
import java.util.Objects;

/**
 * A request the service answers with an error status and {@code {"error": message, "field":
 * field}}: the client's fault (4xx) or a capacity limit (503). Never an internal fault: those
 * are any other exception and become 500.
 */
final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;
    private final transient Map<String, String> headers;

    /**
     * @param status  the HTTP status, 4xx or 503
     * @param field   the JSON path of the offending value, or "" when none applies
     * @param message what is wrong and, where possible, how to fix it; one line
     * @param headers extra response headers ({@code Allow}, {@code Retry-After}, …)
     */
    HttpError(int status, String field, String message, Map<String, String> headers) {
        super(message, null, false, false); // an expected answer: no stack trace to fill
        this.status = status;
        this.field = Objects.requireNonNullElse(field, "");
        this.headers = Map.copyOf(headers);
    }

    /** An error without extra headers. */
    HttpError(int status, String field, String message) {
        this(status, field, message, Map.of());
    }

    /** 400: the body is not JSON. The message is {@code "field: detail"}, as a {@code CaseFormatException}'s. */
    static HttpError badRequest(String field, String detail) {
        return new HttpError(400, field, prefixed(field, detail));
    }

    /** 422: JSON, but not a valid request (types, shapes, names, limits). The message is {@code "field: detail"}. */
    static HttpError unprocessable(String field, String detail) {
        return new HttpError(422, field, prefixed(field, detail));
    }

    private static String prefixed(String field, String detail) {
        return field == null || field.isEmpty() ? detail : field + ": " + detail;
    }

    /** 503 with {@code Retry-After}: the service cannot take the request now. */
    static HttpError unavailable(String message, int retryAfterSeconds) {
        return new HttpError(503, "", message, Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
    }

    /** The HTTP status. */
    int status() {
        return status;
    }

    /** The JSON path of the offending value, or "". */
    String field() {
        return field;
    }

    /** Extra response headers. */
    Map<String, String> headers() {
        return headers;
    }
}
