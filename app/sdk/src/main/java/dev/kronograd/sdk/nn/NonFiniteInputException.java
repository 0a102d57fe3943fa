package dev.kronograd.sdk.nn;

import dev.kronograd.core.KronogradException;

/** A NaN or infinite number where finite numbers are required; the message gives its position. */
public class NonFiniteInputException extends KronogradException {
    private static final long serialVersionUID = 1L;

    public NonFiniteInputException(String message) {
        super(message);
    }
}
