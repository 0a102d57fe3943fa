package dev.kronograd.backend.openblas;

import dev.kronograd.backend.conformance.LinearAlgebraConformanceSuite;
import dev.kronograd.core.linalg.LinearAlgebra;

/**
 * The conformance suite with every gemm native and multi-threaded (both thresholds 0), on the
 * zero-copy route where the JNI shim loads: the shim (offsets, ld &gt; rows, transposes, β ≠ 0 and
 * β = 0 on a NaN-filled C) and the thread switching are compared on every shape the suite has, not
 * only above the shipped thresholds. {@link OpenBlasStagingNativeOnlyConformanceTest} does the same
 * on the staging route.
 */
class OpenBlasNativeOnlyConformanceTest extends LinearAlgebraConformanceSuite {

    @Override
    protected LinearAlgebra backend() {
        return OpenBlasLinearAlgebra.create(new OpenBlasLinearAlgebra.Settings(2, 0, 0));
    }
}
