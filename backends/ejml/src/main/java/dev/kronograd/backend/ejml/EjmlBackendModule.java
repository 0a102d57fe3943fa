package dev.kronograd.backend.ejml;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.kronograd.core.linalg.LinearAlgebra;

/**
 * Binds {@link LinearAlgebra} to {@link EjmlLinearAlgebra}, one instance per injector. No flags,
 * no I/O: choosing a backend happens outside, in the application.
 */
public final class EjmlBackendModule extends AbstractModule {

    /** The EJML backend; stateless, so one shared instance serves every thread. */
    @Provides
    @Singleton
    LinearAlgebra linearAlgebra() {
        return new EjmlLinearAlgebra();
    }
}
