package dev.kronograd.backend;

import com.google.inject.Module;

import java.util.Objects;

/**
 * The outcome of a selection: the backend's name, why it was chosen (for a native backend, the
 * library file actually loaded), and its Guice module binding
 * {@link dev.kronograd.core.linalg.LinearAlgebra}, to install in the application's injector.
 *
 * @param name   the chosen backend, e.g. {@code netlib-native}
 * @param reason why, e.g. "auto: highest-ranked available backend (rank 300); native BLAS /usr/lib/…"
 * @param module binds {@code LinearAlgebra} to the chosen backend
 */
public record SelectedBackend(String name, String reason, Module module) {

    public SelectedBackend {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(module, "module");
    }
}
