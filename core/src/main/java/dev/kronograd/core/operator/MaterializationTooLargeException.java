package dev.kronograd.core.operator;

import dev.kronograd.core.KronogradException;

/**
 * Thrown when materialising an operator would exceed the configured memory limit. The message
 * gives the size it would need and points to the structured alternative.
 */
public class MaterializationTooLargeException extends KronogradException {
    private static final long serialVersionUID = 1L;

    private final long requiredBytes;
    private final long limitBytes;

    public MaterializationTooLargeException(String message, long requiredBytes, long limitBytes) {
        super(message);
        this.requiredBytes = requiredBytes;
        this.limitBytes = limitBytes;
    }

    /** Bytes the materialisation would need. */
    public long requiredBytes() {
        return requiredBytes;
    }

    /** The limit in force. */
    public long limitBytes() {
        return limitBytes;
    }
}
