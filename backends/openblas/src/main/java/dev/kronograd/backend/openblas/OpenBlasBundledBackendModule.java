package dev.kronograd.backend.openblas;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.kronograd.core.linalg.LinearAlgebra;

/**
 * Binds {@link LinearAlgebra} to the {@code openblas-bundled} backend. Nothing is loaded in
 * {@code configure()}: the library is extracted and loaded when the binding is first provisioned,
 * and if it cannot be, provisioning fails with the reason — an explicit choice never falls back
 * silently. The thread policy comes from {@code -Dkronograd.openblasThreads} (see
 * {@link OpenBlasLinearAlgebra.Settings#fromProperties}).
 */
public final class OpenBlasBundledBackendModule extends AbstractModule {

    /**
     * The bundled-OpenBLAS backend.
     *
     * @throws IllegalStateException (wrapped by Guice in a ProvisionException) when the bundled OpenBLAS does not load
     */
    @Provides
    @Singleton
    LinearAlgebra linearAlgebra() {
        return OpenBlasLinearAlgebra.create();
    }
}
