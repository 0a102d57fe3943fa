package dev.kronograd.backend.openblas;

import dev.kronograd.backend.conformance.LinearAlgebraConformanceSuite;
import dev.kronograd.core.linalg.LinearAlgebra;

/**
 * The conformance suite with every gemm native and multi-threaded (both thresholds 0): the staging
 * copies (span and column-packed placements, β = 0 without reading C) and the thread switching are
 * compared on every shape the suite has, not only above the shipped thresholds.
 */
class OpenBlasNativeOnlyConformanceTest extends LinearAlgebraConformanceSuite {

    @Override
    protected LinearAlgebra backend() {
        return OpenBlasLinearAlgebra.create(new OpenBlasLinearAlgebra.Settings(2, 0, 0));
    }
}
