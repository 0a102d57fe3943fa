package dev.kronograd.app.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.Headers;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Request bodies: the {@code Content-Type} and {@code Content-Encoding} checks (415), the size
 * limit (413) enforced while reading, and JSON parsing (400) with the strictness of
 * {@link dev.kronograd.app.io.CaseReader}: exactly one value, unique keys, no NaN/Infinity.
 * Stateless and thread-safe.
 */
final class JsonBodies {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // NaN/Infinity are not JSON
            .build();

    /** The read buffer; the body buffer grows to at most the limit. */
    private static final int CHUNK = 8192;
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
    static void requireJson(Headers headers) {
        String type = headers.getFirst("Content-Type");
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
        String encoding = headers.getFirst("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
            throw new HttpError(415, "", "unsupported Content-Encoding '" + excerpt(encoding.strip()) + "'; send the body uncompressed");
        }
    }

    /**
     * Rejects a body whose declared {@code Content-Length} is over the limit, before reading it.
     *
     * @throws HttpError 413 if it is, 400 if the header is not a number
     */
    static void checkDeclaredLength(Headers headers, int limit) {
        String declared = headers.getFirst("Content-Length");
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

    /**
     * Reads the whole body, never holding more than {@code limit} bytes: the read stops at the
     * first byte past the limit.
     *
     * @throws HttpError   413 when the body is longer than {@code limit}
     * @throws IOException when the client's connection fails
     */
    static byte[] read(InputStream in, int limit) throws IOException {
        byte[] buffer = new byte[Math.min(limit, CHUNK)];
        int length = 0;
        while (true) {
            if (length == buffer.length) {
                if (length == limit) {
                    // Full: one more byte means the body is over the limit.
                    if (in.read() < 0) {
                        return buffer;
                    }
                    throw tooLarge(limit, "the body is longer");
                }
                buffer = Arrays.copyOf(buffer, (int) Math.min(limit, 2L * buffer.length));
            }
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                return Arrays.copyOf(buffer, length);
            }
            length += n;
        }
    }

    private static HttpError tooLarge(int limit, String what) {
        return new HttpError(413, "", "request body too large: " + what + "; this service accepts at most " + limit + " bytes");
    }

    /**
     * Reads and discards what is left of a request body answered without reading it all (413,
     * 415, 503, …), at most {@value #DISCARD_LIMIT} bytes. Closing a connection while the client
     * still sends makes TCP reset it, and the client may lose the answer; reading the rest first
     * lets it see the answer. Returns whether the body ended; if not, the connection must close.
     *
     * @throws IOException when the client's connection fails
     */
    static boolean discardRest(InputStream in) throws IOException {
        byte[] sink = new byte[CHUNK];
        long discarded = 0;
        while (discarded <= DISCARD_LIMIT) {
            int n = in.read(sink);
            if (n < 0) {
                return true;
            }
            discarded += n;
        }
        return false;
    }

    /**
     * Parses exactly one JSON value (UTF-8; UTF-16/32 are detected too).
     *
     * @throws HttpError 400 for an empty body, invalid JSON, NaN/Infinity, a duplicate key or
     *                   content after the value, with the JSON path where the parser stopped
     */
    static JsonNode parse(byte[] body) {
        try (JsonParser parser = MAPPER.createParser(body)) {
            JsonNode root;
            try {
                root = MAPPER.readTree(parser);
            } catch (JsonProcessingException e) {
                throw syntaxError(e);
            }
            if (root == null || root.isMissingNode()) {
                throw HttpError.badRequest("", "the request body is empty; expected a JSON object");
            }
            try {
                if (parser.nextToken() != null) {
                    throw HttpError.badRequest("", "unexpected content after the end of the JSON value " + at(parser.currentTokenLocation())
                            + "; the body must be exactly one JSON object");
                }
            } catch (JsonProcessingException e) {
                throw HttpError.badRequest("", "unexpected content after the end of the JSON value"
                        + (e.getLocation() == null ? "" : " " + at(e.getLocation())) + "; the body must be exactly one JSON object");
            }
            return root;
        } catch (IOException e) {
            // Parsing a byte array does no I/O: only JsonProcessingExceptions can occur, handled above.
            throw HttpError.badRequest("", "invalid JSON: " + oneLine(e.getMessage()));
        }
    }

    private static HttpError syntaxError(JsonProcessingException e) {
        String field = "";
        if (e.getProcessor() instanceof JsonParser p) {
            field = pathOf(p.getParsingContext());
        }
        // Jackson names the source of a location ("[Source: REDACTED …; line: 1, column: 12]"): keep the position only.
        String original = oneLine(e.getOriginalMessage()).replaceAll("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]", "line $1, column $2");
        String detail;
        if (original.startsWith("Non-standard token")) {
            detail = "NaN and Infinity are not JSON numbers; every number must be finite";
        } else if (original.startsWith("Duplicate field")) {
            detail = "duplicate key" + original.substring("Duplicate field".length()) + "; each key may appear once";
        } else {
            detail = "invalid JSON: " + original;
        }
        return HttpError.badRequest(field, detail + (e.getLocation() == null ? "" : " " + at(e.getLocation())));
    }

    private static String at(JsonLocation location) {
        return "(line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** The parser's position as a path like {@code layers[0].bias[1]}. */
    private static String pathOf(JsonStreamContext context) {
        List<String> segments = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                segments.add("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.inObject() && c.getCurrentName() != null) {
                segments.add("." + c.getCurrentName());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = segments.size() - 1; i >= 0; i--) {
            sb.append(segments.get(i));
        }
        return sb.length() > 0 && sb.charAt(0) == '.' ? sb.substring(1) : sb.toString();
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
