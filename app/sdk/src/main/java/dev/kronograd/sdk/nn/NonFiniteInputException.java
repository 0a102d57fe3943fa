package dev.kronograd.sdk.nn;

/** A NaN or infinite number where finite numbers are required; the message gives its position. */
public class NonFiniteInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public NonFiniteInputException(String message) {
        super(message);
    }
}
