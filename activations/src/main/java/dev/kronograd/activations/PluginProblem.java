package dev.kronograd.activations;

import java.util.Objects;

/**
 * Something that went wrong while an {@link ActivationRegistry} loaded activations: a provider
 * whose constructor threw, an invalid or duplicate name, a file that is not a valid jar, a
 * missing plugin folder. The registry keeps going and records the problem; the activations that
 * did load stay usable.
 *
 * @param jar where the problem is: the jar file, plugin folder or class folder (never null)
 * @param className the fully qualified provider class involved, or null when no class is (a
 *        broken jar, a missing folder)
 * @param message what went wrong, in a sentence a user can act on (never null)
 * @param cause the underlying exception, or null
 */
public record PluginProblem(String jar, String className, String message, Throwable cause) {

    /** Checks that {@code jar} and {@code message} are not null. */
    public PluginProblem {
        Objects.requireNonNull(jar, "jar");
        Objects.requireNonNull(message, "message");
    }

    /** {@code "jar [class]: message"}, one line. */
    @Override
    public String toString() {
        return jar + (className == null ? "" : " [" + className + "]") + ": " + message;
    }
}
