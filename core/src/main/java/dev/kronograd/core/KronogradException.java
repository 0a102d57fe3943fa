package dev.kronograd.core;

/**
 * The base type of the errors Kronograd raises on purpose, so that a caller can handle "a
 * Kronograd error" with one {@code catch}: shapes that do not fit ({@link ShapeMismatchException}),
 * materialisations over the memory limit, unknown activation, loss or backend names, an unavailable
 * backend, non-finite inputs, plugin problems, malformed cases. Each subtype names the field,
 * operand or shape at fault and what was expected; the message says it in one sentence.
 *
 * <p>Unchecked, like the JDK's {@link IllegalArgumentException}: these errors come from input that
 * the caller can check first or correct, not from conditions a program must always handle. Bugs in
 * Kronograd itself surface as other exceptions ({@link NullPointerException},
 * {@link IllegalStateException}, …), never as this type.
 */
public class KronogradException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and what was expected */
    public KronogradException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and what was expected
     * @param cause   the underlying error, or null
     */
    public KronogradException(String message, Throwable cause) {
        super(message, cause);
    }
}
