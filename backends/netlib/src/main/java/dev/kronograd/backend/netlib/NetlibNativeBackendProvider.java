package dev.kronograd.backend.netlib;

import com.google.inject.Module;
import dev.kronograd.backend.AbstractBackendProvider;
import dev.kronograd.backend.Availability;

/**
 * The {@code netlib-native} backend as found by {@link java.util.ServiceLoader}: JNI to the system
 * BLAS ({@code libblas.so.3}; OpenBLAS on Debian via {@code apt-get install libopenblas0-pthread}).
 *
 * <p>{@link #availability()} loads the library on first call (once per JVM: netlib's loading is
 * static and is not retried) and reports the file actually loaded, or why it did not load with
 * the underlying error kept and the fix.
 */
public final class NetlibNativeBackendProvider extends AbstractBackendProvider {

    /** The backend's name: {@value}. */
    public static final String NAME = "netlib-native";

    /** Speed rank {@value}: the fastest (OpenBLAS dgemm ≈ 50 GFLOP/s per core, against ≈ 30 for VectorBLAS). */
    public static final int SPEED_RANK = 300;

    /** For {@link java.util.ServiceLoader}. */
    public NetlibNativeBackendProvider() {
        super(NAME, SPEED_RANK, "native BLAS (libblas.so.3, e.g. OpenBLAS) through netlib JNI; tiny calls in Java");
    }

    /** Computed once per JVM and cached; thread-safe; never throws. */
    @Override
    protected Availability probe() {
        return NativeBlasLibrary.get().availability();
    }

    @Override
    public Module module() {
        return new NetlibNativeBackendModule();
    }
}
