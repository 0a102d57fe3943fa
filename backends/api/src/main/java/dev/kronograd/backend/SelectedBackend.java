package dev.kronograd.backend;

import com.google.inject.Module;

import java.util.Objects;

/**
 * The outcome of a selection: the backend chosen (described by its {@link BackendStatus}, the one
 * value type for a backend), why it was chosen, and its Guice module binding
 * {@link dev.kronograd.core.linalg.LinearAlgebra}, to install in the application's injector.
 *
 * @param backend the chosen backend: name, rank, description, availability (for a native backend,
 *                the library file actually loaded)
 * @param reason  why, e.g. "auto: highest-ranked available backend (rank 300); native BLAS /usr/lib/…"
 * @param module  binds {@code LinearAlgebra} to the chosen backend
 */
public record SelectedBackend(BackendStatus backend, String reason, Module module) {

    public SelectedBackend {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(module, "module");
    }

    /** The chosen backend's name, e.g. {@code netlib-native}. */
    public String name() {
        return backend.name();
    }
}
