package dev.kronograd.backend;

import dev.kronograd.core.KronogradException;

/**
 * A backend was requested by name but cannot run here. The message says which backend, how it
 * was requested, why it is unavailable (for a native backend: which library failed to load and
 * how to install one); the cause is the underlying error, when there is one.
 */
public class BackendUnavailableException extends KronogradException {

    private static final long serialVersionUID = 1L;

    private final String backend;

    /**
     * @param backend the requested backend name
     * @param message the full explanation
     * @param cause   the underlying error, or null
     */
    public BackendUnavailableException(String backend, String message, Throwable cause) {
        super(message, cause);
        this.backend = backend;
    }

    /** The backend that was requested. */
    public String backend() {
        return backend;
    }
}
