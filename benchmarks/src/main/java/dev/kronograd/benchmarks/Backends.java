package dev.kronograd.benchmarks;

import com.google.inject.Guice;
import dev.kronograd.backend.Availability;
import dev.kronograd.backend.BackendProvider;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;

import java.util.Random;
import java.util.ServiceLoader;

/** How the benchmarks obtain backends: as production does, through ServiceLoader and the provider's Guice module. */
final class Backends {

    private Backends() {
    }

    /**
     * The backend named {@code name} ({@code reference} is core's plain-Java oracle).
     *
     * @throws IllegalStateException when the backend is unknown or unavailable, with the reason
     */
    static LinearAlgebra byName(String name) {
        if (name.equals("reference")) {
            return ReferenceLinearAlgebra.INSTANCE;
        }
        for (BackendProvider provider : ServiceLoader.load(BackendProvider.class)) {
            if (provider.name().equals(name)) {
                Availability availability = provider.availability();
                if (!availability.available()) {
                    throw new IllegalStateException(name + " is unavailable: " + availability.detail(), availability.cause());
                }
                return Guice.createInjector(provider.module()).getInstance(LinearAlgebra.class);
            }
        }
        throw new IllegalStateException("no backend named " + name);
    }

    /** An array of uniform values in [−1, 1) from a fixed seed. */
    static double[] random(int length, long seed) {
        Random random = new Random(seed);
        double[] data = new double[length];
        for (int i = 0; i < length; i++) {
            data[i] = 2 * random.nextDouble() - 1;
        }
        return data;
    }
}
