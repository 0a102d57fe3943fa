package dev.kronograd.backend.openblas;

import dev.kronograd.backend.conformance.LinearAlgebraConformanceSuite;
import dev.kronograd.core.linalg.LinearAlgebra;

/**
 * The conformance suite on {@code openblas-bundled} as shipped (default settings, zero-copy gemm
 * where the JNI shim loads: ZeroCopyShimTest checks that it does): calls on both sides of the
 * Java/native gemm threshold (12³) and of the single/multi-threaded one (256³). The bundled library
 * must load here (its natives are a test dependency), so nothing is skipped.
 */
class OpenBlasConformanceTest extends LinearAlgebraConformanceSuite {

    @Override
    protected LinearAlgebra backend() {
        return OpenBlasLinearAlgebra.create(OpenBlasLinearAlgebra.Settings.withThreads(2));
    }

    @Override
    protected int[] routingBoundarySizes() {
        return new int[] {12, 256};
    }
}
