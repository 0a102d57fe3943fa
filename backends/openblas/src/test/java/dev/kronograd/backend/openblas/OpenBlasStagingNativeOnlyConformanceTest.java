package dev.kronograd.backend.openblas;

import dev.kronograd.backend.conformance.LinearAlgebraConformanceSuite;
import dev.kronograd.core.linalg.LinearAlgebra;

/**
 * The conformance suite on the staging route with every gemm native and multi-threaded (both
 * thresholds 0): the staging copies (span and column-packed placements, β = 0 without reading C)
 * and the thread switching on every shape the suite has.
 */
class OpenBlasStagingNativeOnlyConformanceTest extends LinearAlgebraConformanceSuite {

    @Override
    protected LinearAlgebra backend() {
        OpenBlasLinearAlgebra la = OpenBlasLinearAlgebra.create(new OpenBlasLinearAlgebra.Settings(2, 0, 0), false);
        if (la.zeroCopy()) {
            throw new AssertionError("an instance created without zero-copy uses it");
        }
        return la;
    }
}
