/**
 * The {@code openblas-bundled} backend: {@link dev.kronograd.core.linalg.LinearAlgebra} on the
 * OpenBLAS that ships as a Maven artifact ({@code org.bytedeco:openblas}, JavaCPP presets),
 * extracted and loaded by JavaCPP — no system library needed. Registered as a
 * {@link dev.kronograd.backend.BackendProvider}.
 */
module dev.kronograd.backend.openblas {
    requires transitive dev.kronograd.backend;
    requires org.bytedeco.javacpp;
    requires org.bytedeco.openblas;
    requires dev.ludovic.netlib.blas;
    requires org.slf4j;

    exports dev.kronograd.backend.openblas;
    // Guice calls the module's @Provides method reflectively.
    opens dev.kronograd.backend.openblas to com.google.guice;

    provides dev.kronograd.backend.BackendProvider with dev.kronograd.backend.openblas.OpenBlasBundledBackendProvider;
}
