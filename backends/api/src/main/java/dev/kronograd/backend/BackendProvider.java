package dev.kronograd.backend;

import com.google.inject.Module;

/**
 * Describes one linear-algebra backend, registered through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.kronograd.backend.BackendProvider} and {@code module-info}
 * {@code provides}). Selection among providers happens once, in the application.
 *
 * <p>Contract: a public no-arg constructor; {@link #name()} unique, lower-case
 * ({@code [a-z0-9-]+}); {@link #availability()} never throws (an unavailable backend says why);
 * {@link #module()} returns a small Guice module that binds
 * {@link dev.kronograd.core.linalg.LinearAlgebra} — without doing I/O or native loading in
 * {@code configure()}, and with no flags inside.
 */
public interface BackendProvider {

    /** The backend's name as users select it, e.g. {@code "ejml"} or {@code "netlib-native"}. */
    String name();

    /** Higher is faster; {@code auto} picks the available backend with the highest rank. */
    int speedRank();

    /** One line for listings: what this backend is. */
    String description();

    /**
     * Whether this backend can run here. May try to load a native library the first time; the
     * result is computed once and cached by the implementation. Never throws.
     */
    Availability availability();

    /** The Guice module binding {@code LinearAlgebra} to this backend. */
    Module module();
}
