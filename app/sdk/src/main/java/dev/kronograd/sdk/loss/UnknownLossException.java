package dev.kronograd.sdk.loss;

import dev.kronograd.core.KronogradException;

/** A loss name that no registered loss has; the message lists the known names. */
public class UnknownLossException extends KronogradException {
    private static final long serialVersionUID = 1L;

    public UnknownLossException(String message) {
        super(message);
    }
}
