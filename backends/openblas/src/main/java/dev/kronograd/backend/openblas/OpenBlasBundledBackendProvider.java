package dev.kronograd.backend.openblas;

import com.google.inject.Module;
import dev.kronograd.backend.AbstractBackendProvider;
import dev.kronograd.backend.Availability;

/**
 * The {@code openblas-bundled} backend as found by {@link java.util.ServiceLoader}: OpenBLAS
 * 0.3.31 from the Maven artifact {@code org.bytedeco:openblas} (natives per platform classifier),
 * extracted and loaded by JavaCPP — no system BLAS needed.
 *
 * <p>{@link #availability()} extracts and loads the library on first call (once per JVM) and
 * reports the file actually loaded (under JavaCPP's cache, {@code ~/.javacpp/cache}) and the gemm
 * route (zero-copy through the module's JNI shim, or staging copies and why), or why it did not
 * load (no natives for this platform, a failed extraction) with the fix.
 */
public final class OpenBlasBundledBackendProvider extends AbstractBackendProvider {

    /** The backend's name: {@value}. */
    public static final String NAME = "openblas-bundled";

    /**
     * Speed rank {@value}: below {@code netlib-native} (300), above the pure-Java backends (200, 100). Both run
     * OpenBLAS; with a system BLAS installed {@code auto} keeps {@code netlib-native} (docs/backends.md has the
     * measurements, made when this backend's gemm still went through JavaCPP's staging copies, which remain its
     * route where the zero-copy JNI shim does not load); without one it takes this backend.
     */
    public static final int SPEED_RANK = 250;

    /** For {@link java.util.ServiceLoader}. */
    public OpenBlasBundledBackendProvider() {
        super(NAME, SPEED_RANK, "OpenBLAS 0.3.31 bundled as a Maven artifact (org.bytedeco:openblas, JavaCPP), no system BLAS needed; gemm native, tiny and memory-bound calls in Java");
    }

    /** Computed once per JVM and cached; thread-safe; never throws. */
    @Override
    protected Availability probe() {
        return OpenBlasLinearAlgebra.availability();
    }

    @Override
    public Module module() {
        return new OpenBlasBundledBackendModule();
    }
}
