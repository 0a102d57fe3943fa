package dev.kronograd.backend.netlib;

import com.google.inject.Module;
import dev.kronograd.backend.AbstractBackendProvider;
import dev.kronograd.backend.Availability;

/**
 * The {@code netlib-java} backend as found by {@link java.util.ServiceLoader}: netlib's pure-Java
 * BLAS, available everywhere. The fallback of {@code auto} when no native BLAS loads.
 */
public final class NetlibJavaBackendProvider extends AbstractBackendProvider {

    /** The backend's name: {@value}. */
    public static final String NAME = "netlib-java";

    /** Speed rank {@value}: below native, above EJML (VectorBLAS dgemm ≈ 30 GFLOP/s, Java11BLAS ≈ 12, EJML ≈ 7). */
    public static final int SPEED_RANK = 200;

    /** For {@link java.util.ServiceLoader}. */
    public NetlibJavaBackendProvider() {
        super(NAME, SPEED_RANK, "pure Java BLAS from netlib (VectorBLAS with --add-modules jdk.incubator.vector)");
    }

    /**
     * Available wherever netlib's classes link; the detail names the implementation in use.
     * Computed once and cached (a race computes the same value twice, harmlessly); never throws.
     */
    @Override
    protected Availability probe() {
        try {
            String implementation = NetlibLinearAlgebra.javaImplementation();
            String detail = "netlib " + implementation + " (pure Java)";
            if (!implementation.equals("VectorBLAS")) {
                detail += "; run the JVM with --add-modules jdk.incubator.vector for VectorBLAS, about 2.5× faster gemm";
            }
            return Availability.available(detail);
        } catch (LinkageError | RuntimeException e) {
            return Availability.unavailable("netlib's Java BLAS could not be loaded; add dev.ludovic.netlib:blas:3.0.4 "
                    + "(with net.sourceforge.f2j:arpack_combined_all) to the class path", e);
        }
    }

    @Override
    public Module module() {
        return new NetlibJavaBackendModule();
    }
}
