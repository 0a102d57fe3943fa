package dev.kronograd.core;

/**
 * Thrown when two operands' shapes do not fit together. The message names both operands,
 * their shapes and what was expected, e.g. {@code "W is 3×4 but x has length 5; expected 4"}.
 */
public class ShapeMismatchException extends KronogradException {
    private static final long serialVersionUID = 1L;

    /** @param message names both operands, their shapes and the expectation */
    public ShapeMismatchException(String message) {
        super(message);
    }

    /** Formats a shape as {@code rows×cols}. */
    public static String shape(long rows, long cols) {
        return rows + "×" + cols;
    }

    /** Throws unless {@code actual == expected}, naming both operands. */
    public static void requireLength(String what, long actual, String against, long expected) {
        if (actual != expected) {
            throw new ShapeMismatchException(what + " has length " + actual + " but " + against
                    + " needs " + expected);
        }
    }
}
