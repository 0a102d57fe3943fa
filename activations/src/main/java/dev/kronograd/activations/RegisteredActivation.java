package dev.kronograd.activations;

import java.util.Objects;

/**
 * One activation known to an {@link ActivationRegistry}: its name, the instance, the
 * implementation class and where that class came from.
 *
 * @param name the activation's {@link Activation#name()}
 * @param activation the shared, thread-safe instance
 * @param implementationClass the fully qualified name of the implementation class
 * @param location {@value ActivationRegistry#BUILT_IN} for the built-ins, otherwise the jar or
 *        class folder the class was loaded from (a file path, or a URL when it is not a file),
 *        or {@code "unknown location"} when the class has no code source
 */
public record RegisteredActivation(String name, Activation activation, String implementationClass, String location) {

    /** Checks that no component is null. */
    public RegisteredActivation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(implementationClass, "implementationClass");
        Objects.requireNonNull(location, "location");
    }

    /** True for the activations shipped in this module. */
    public boolean isBuiltIn() {
        return ActivationRegistry.BUILT_IN.equals(location);
    }

    /** {@code "name  class  (location)"}. */
    @Override
    public String toString() {
        return name + " " + implementationClass + " (" + location + ")";
    }
}
