package dev.kronograd.backend.ejml;

import com.google.inject.Module;
import dev.kronograd.backend.Availability;
import dev.kronograd.backend.BackendProvider;

/**
 * The {@code ejml} backend as found by {@link java.util.ServiceLoader}: pure Java, so available
 * wherever EJML is on the class or module path.
 */
public final class EjmlBackendProvider implements BackendProvider {

    /** The backend's name: {@value}. */
    public static final String NAME = "ejml";

    /** Speed rank {@value}: below netlib's Java BLAS (EJML's gemm reaches about a quarter of VectorBLAS). */
    public static final int SPEED_RANK = 100;

    private volatile Availability availability;

    /** For {@link java.util.ServiceLoader}. */
    public EjmlBackendProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int speedRank() {
        return SPEED_RANK;
    }

    @Override
    public String description() {
        return "pure Java on EJML (multi-threaded gemm for large products)";
    }

    /**
     * Available when EJML's classes link. The check runs once; the result is cached (a race
     * computes the same value twice, harmlessly).
     */
    @Override
    public Availability availability() {
        Availability result = availability;
        if (result == null) {
            result = probe();
            availability = result;
        }
        return result;
    }

    private static Availability probe() {
        try {
            // Read reflectively: the compile-time constant would report the version we built against.
            Object version = Class.forName("org.ejml.EjmlVersion", true, EjmlBackendProvider.class.getClassLoader())
                    .getField("VERSION").get(null);
            Class.forName("org.ejml.dense.row.CommonOps_DDRM", true, EjmlBackendProvider.class.getClassLoader());
            return Availability.available("EJML " + version + " (pure Java, " + Runtime.getRuntime().availableProcessors()
                    + " processors for multi-threaded gemm)");
        } catch (ReflectiveOperationException | LinkageError e) {
            return Availability.unavailable("EJML classes could not be loaded; add org.ejml:ejml-ddense:0.46.1 "
                    + "(and ejml-core) to the class path", e);
        }
    }

    @Override
    public Module module() {
        return new EjmlBackendModule();
    }

    @Override
    public String toString() {
        return "BackendProvider[" + NAME + "]";
    }
}
