package dev.kronograd.backend;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether a backend can run on this machine: available with a detail (for a native backend,
 * the library file actually loaded), or unavailable with the reason, the underlying error and
 * how to fix it.
 *
 * @param available whether the backend can be used
 * @param detail    when available, what was loaded; when not, why not and how to fix it
 * @param cause     the underlying error when unavailable (kept, never swallowed), else null
 */
public record Availability(boolean available, String detail, Throwable cause) {

    public Availability {
        Objects.requireNonNull(detail, "detail");
    }

    /** An available backend; {@code detail} says what was loaded. */
    public static Availability available(String detail) {
        return new Availability(true, detail, null);
    }

    /** An unavailable backend: the reason (with the fix) and the underlying error, if any. */
    public static Availability unavailable(String reason, Throwable cause) {
        return new Availability(false, reason, cause);
    }

    /** The underlying error of an unavailable backend. */
    public Optional<Throwable> causeIfAny() {
        return Optional.ofNullable(cause);
    }

    @Override
    public String toString() {
        return (available ? "available: " : "unavailable: ") + detail
                + (cause == null ? "" : " (" + cause.getClass().getName() + ": " + cause.getMessage() + ")");
    }
}
