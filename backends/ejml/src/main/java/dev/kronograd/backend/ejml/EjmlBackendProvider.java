package dev.kronograd.backend.ejml;

import com.google.inject.Module;
import dev.kronograd.backend.AbstractBackendProvider;
import dev.kronograd.backend.Availability;

/**
 * The {@code ejml} backend as found by {@link java.util.ServiceLoader}: pure Java, so available
 * wherever EJML is on the class or module path.
 */
public final class EjmlBackendProvider extends AbstractBackendProvider {

    /** The backend's name: {@value}. */
    public static final String NAME = "ejml";

    /** Speed rank {@value}: below netlib's Java BLAS (EJML's gemm reaches about a quarter of VectorBLAS). */
    public static final int SPEED_RANK = 100;

    /** For {@link java.util.ServiceLoader}. */
    public EjmlBackendProvider() {
        super(NAME, SPEED_RANK, "pure Java on EJML (multi-threaded gemm for large products)");
    }

    /**
     * Available when EJML's classes link. Probed once, then cached by the base class.
     */
    @Override
    protected Availability probe() {
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
}
