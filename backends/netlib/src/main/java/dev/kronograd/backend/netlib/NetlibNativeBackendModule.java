package dev.kronograd.backend.netlib;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.kronograd.core.linalg.LinearAlgebra;

/**
 * Binds {@link LinearAlgebra} to the {@code netlib-native} backend (JNI to the system BLAS).
 * Nothing is loaded in {@code configure()}: the native library is loaded when the binding is
 * first provisioned, and if it cannot be, provisioning fails with the reason (library tried,
 * underlying error, how to install one) — an explicit choice of native never falls back silently.
 * Use the {@code BackendProvider}'s availability to decide beforehand.
 */
public final class NetlibNativeBackendModule extends AbstractModule {

    /**
     * The native backend with the measured small-size routing to Java.
     *
     * @throws IllegalStateException (wrapped by Guice in a ProvisionException) when the system BLAS does not load
     */
    @Provides
    @Singleton
    LinearAlgebra linearAlgebra() {
        return NetlibLinearAlgebra.nativeBlas();
    }
}
