/**
 * The {@code netlib-native} and {@code netlib-java} backends:
 * {@link dev.kronograd.core.linalg.LinearAlgebra} on {@code dev.ludovic.netlib:blas} — JNI to the
 * system BLAS ({@code libblas.so.3}, e.g. OpenBLAS) and netlib's pure-Java BLAS — each registered
 * as a {@link dev.kronograd.backend.BackendProvider}.
 */
module dev.kronograd.backend.netlib {
    requires transitive dev.kronograd.backend;
    requires dev.ludovic.netlib.blas;
    requires dev.ludovic.netlib.lapack;
    requires arpack.combined.all; // org.netlib.util.intW, LAPACK's info argument
    requires org.slf4j;
    requires java.logging; // NetlibInitialisation routes netlib's java.util.logging messages to SLF4J

    exports dev.kronograd.backend.netlib;
    // Guice calls the modules' @Provides methods reflectively.
    opens dev.kronograd.backend.netlib to com.google.guice;

    provides dev.kronograd.backend.BackendProvider with
            dev.kronograd.backend.netlib.NetlibNativeBackendProvider,
            dev.kronograd.backend.netlib.NetlibJavaBackendProvider;
}
