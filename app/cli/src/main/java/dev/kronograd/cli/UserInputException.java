package dev.kronograd.cli;

import dev.kronograd.core.KronogradException;

/**
 * Something the user asked for cannot be done — an unreadable case file, a layer index out of
 * range, a plugin folder that does not exist. The CLI prints the message as one line,
 * {@code kronograd: error: …}, and exits with {@link KronogradCli#EXIT_USER_ERROR}; never a stack
 * trace.
 */
public final class UserInputException extends KronogradException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and, where possible, how to fix it; one line */
    public UserInputException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and, where possible, how to fix it; one line
     * @param cause   the underlying exception
     */
    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
