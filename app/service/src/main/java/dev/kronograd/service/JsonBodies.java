package dev.kronograd.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kronograd.service.io.CaseFormatException;
import dev.kronograd.service.io.CaseReader;
import org.eclipse.jetty.http.HttpFields;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Request bodies: the {@code Content-Type} and {@code Content-Encoding} checks (415), the size
 * limit (413) enforced while reading, and JSON parsing (400) with the strictness of
 * {@link dev.kronograd.service.io.CaseReader}: exactly one value, unique keys, no NaN/Infinity.
 * Stateless and thread-safe.
 */
final class JsonBodies {
    /** The most bytes of an unwanted body read and discarded before answering: 1 MiB. */
    static final int DISCARD_LIMIT = 1 << 20;

    private JsonBodies() {
    }

    /**
     * Requires {@code Content-Type: application/json}, optionally with {@code charset=utf-8}
     * (RFC 8259: JSON exchanged between systems is UTF-8), and no content coding.
     *
     * @throws HttpError 415 otherwise
     */
    static void requireJson(HttpFields headers) {
        String type = headers.get("Content-Type");
        if (type == null || type.isBlank()) {
            throw new HttpError(415, "", "missing Content-Type; send the body as 'Content-Type: application/json'");
        }
        String[] parts = type.split(";");
        String media = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json")) {
            throw new HttpError(415, "", "unsupported Content-Type '" + excerpt(type.strip()) + "'; send 'application/json'");
        }
        for (String parameter : Arrays.asList(parts).subList(1, parts.length)) {
            int eq = parameter.indexOf('=');
            String name = (eq < 0 ? parameter : parameter.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : unquote(parameter.substring(eq + 1).strip()).toLowerCase(Locale.ROOT);
            if (name.equals("charset") && !value.equals("utf-8") && !value.equals("utf8")) {
                throw new HttpError(415, "", "unsupported charset '" + excerpt(value) + "'; JSON must be sent as UTF-8");
            }
        }
        String encoding = headers.get("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
            throw new HttpError(415, "", "unsupported Content-Encoding '" + excerpt(encoding.strip()) + "'; send the body uncompressed");
        }
    }

    /**
     * Rejects a body whose declared {@code Content-Length} is over the limit, before reading it.
     *
     * @throws HttpError 413 if it is, 400 if the header is not a number
     */
    static void checkDeclaredLength(HttpFields headers, int limit) {
        String declared = headers.get("Content-Length");
        if (declared == null) {
            return; // chunked: enforced while reading
        }
        long length;
        try {
            length = Long.parseLong(declared.strip());
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("", "invalid Content-Length '" + excerpt(declared) + "'");
        }
        if (length > limit) {
            throw tooLarge(limit, "Content-Length is " + length + " bytes");
        }
    }

    static HttpError tooLarge(int limit, String what) {
        return new HttpError(413, "", "request body too large: " + what + "; this service accepts at most " + limit + " bytes");
    }

    /**
     * Parses exactly one JSON value (UTF-8; UTF-16/32 are detected too), as strictly as a case
     * file is read.
     *
     * @throws HttpError 400 for an empty body, invalid JSON, NaN/Infinity, a duplicate key or
     *                   content after the value, with the JSON path where the parser stopped
     */
    static JsonNode parse(byte[] body) {
        if (new String(body, StandardCharsets.UTF_8).isBlank()) {
            throw HttpError.badRequest("", "the request body is empty; expected a JSON object");
        }
        try {
            return CaseReader.readTree(body);
        } catch (CaseFormatException e) {
            throw HttpError.badRequest(e.field(), e.detail().replace("the input must be", "the body must be"));
        }
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    /** A header value quoted in a message: at most 60 characters, control characters removed. */
    static String excerpt(String value) {
        String clean = value.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 60 ? clean : clean.substring(0, 60) + "…";
    }

    /** {@code message} on one line. */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        return message.strip().replaceAll(":\\s*\\R\\s*", ": ").replaceAll("\\s*\\R\\s*", "; ");
    }
}
