package dev.kronograd.backend.netlib;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.kronograd.core.linalg.LinearAlgebra;

/**
 * Binds {@link LinearAlgebra} to the {@code netlib-java} backend: netlib's pure-Java BLAS
 * ({@code VectorBLAS} with {@code --add-modules jdk.incubator.vector}, else {@code Java11BLAS}).
 */
public final class NetlibJavaBackendModule extends AbstractModule {

    /** The pure-Java netlib backend; stateless, one instance per injector. */
    @Provides
    @Singleton
    LinearAlgebra linearAlgebra() {
        return NetlibLinearAlgebra.javaBlas();
    }
}
