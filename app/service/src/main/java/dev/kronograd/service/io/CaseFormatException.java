package dev.kronograd.service.io;

import dev.kronograd.core.KronogradException;

/**
 * A gradient case (docs/case-format.md) that cannot be used: invalid JSON, a missing or mistyped field,
 * inconsistent shapes, a non-finite number, an unknown activation or loss. {@link #field()} is
 * the JSON path of the offending value, such as {@code layers[1].weights[2]} or
 * {@code loss.type} (empty when the problem concerns the whole document), and {@link #detail()}
 * says what is wrong; the message is {@code "field: detail"}, always one line.
 *
 * <p>It is the user's input that is wrong, never the SDK: the CLI answers it with exit code 2,
 * the HTTP service with a 4xx response {@code {"error": message, "field": field}}.
 */
public class CaseFormatException extends KronogradException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String detail;

    /**
     * @param field  the JSON path of the offending value, e.g. {@code layers[0].bias[1]}; empty
     *               for the whole document
     * @param detail what is wrong with it, one line
     */
    public CaseFormatException(String field, String detail) {
        this(field, detail, null);
    }

    /**
     * @param field  the JSON path of the offending value; empty for the whole document
     * @param detail what is wrong with it, one line
     * @param cause  the underlying exception (a parse error, an unknown-name exception), or null
     */
    public CaseFormatException(String field, String detail, Throwable cause) {
        super(message(field, detail), cause);
        this.field = field == null ? "" : field;
        this.detail = detail;
    }

    private static String message(String field, String detail) {
        return field == null || field.isEmpty() ? detail : field + ": " + detail;
    }

    /** The JSON path of the offending value ({@code layers[1].weights[2]}), or "" for the whole document. */
    public String field() {
        return field;
    }

    /** What is wrong, without the path. */
    public String detail() {
        return detail;
    }
}
