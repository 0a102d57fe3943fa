/**
 * The {@code ejml} backend: {@link dev.kronograd.core.linalg.LinearAlgebra} on EJML 0.46.1,
 * registered as a {@link dev.kronograd.backend.BackendProvider}. EJML ships without an
 * Automatic-Module-Name, so its jars are the automatic modules {@code ejml.ddense} and
 * {@code ejml.core}.
 */
module dev.kronograd.backend.ejml {
    requires transitive dev.kronograd.backend;
    requires ejml.ddense;
    requires ejml.core;

    exports dev.kronograd.backend.ejml;
    // Guice calls the module's @Provides method reflectively.
    opens dev.kronograd.backend.ejml to com.google.guice;

    provides dev.kronograd.backend.BackendProvider with dev.kronograd.backend.ejml.EjmlBackendProvider;
}
