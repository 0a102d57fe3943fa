package dev.kronograd.backend.netlib.archviolation;

/** Breaks the layering: a backend may use the backend SPI and core only, not the activations beside them. Never run. */
public final class BackendUsesActivations {
    private BackendUsesActivations() {
    }

    static boolean sideways(String name) {
        return dev.kronograd.activations.ActivationRegistry.isValidName(name);
    }
}
