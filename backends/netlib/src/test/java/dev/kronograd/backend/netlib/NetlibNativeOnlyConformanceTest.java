package dev.kronograd.backend.netlib;

import dev.kronograd.backend.conformance.LinearAlgebraConformanceSuite;
import dev.kronograd.backend.netlib.NetlibLinearAlgebra.Thresholds;
import dev.kronograd.core.linalg.LinearAlgebra;

/**
 * The conformance suite with every call native, however small, so that the system BLAS itself
 * meets the 1×1, empty-edge, NaN-overwrite and strided cases that the shipped thresholds route
 * to Java. Skipped without a system BLAS unless KRONOGRAD_REQUIRE_NATIVE is set.
 */
class NetlibNativeOnlyConformanceTest extends LinearAlgebraConformanceSuite {

    @Override
    protected LinearAlgebra backend() {
        NativeBlasRequirement.requireNativeBlas();
        return NetlibLinearAlgebra.nativeBlas(Thresholds.NONE);
    }
}
