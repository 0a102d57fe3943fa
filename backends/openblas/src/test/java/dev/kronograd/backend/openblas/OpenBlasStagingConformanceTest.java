package dev.kronograd.backend.openblas;

import dev.kronograd.backend.conformance.LinearAlgebraConformanceSuite;
import dev.kronograd.core.linalg.LinearAlgebra;

/**
 * The conformance suite on the staging route (zero-copy not allowed, as with
 * {@code -Dkronograd.openblas.zeroCopy=false} or where the JNI shim does not load), default
 * thresholds: the fallback keeps the coverage the zero-copy route has.
 */
class OpenBlasStagingConformanceTest extends LinearAlgebraConformanceSuite {

    @Override
    protected LinearAlgebra backend() {
        OpenBlasLinearAlgebra la = OpenBlasLinearAlgebra.create(OpenBlasLinearAlgebra.Settings.withThreads(2), false);
        if (la.zeroCopy()) {
            throw new AssertionError("an instance created without zero-copy uses it");
        }
        return la;
    }

    @Override
    protected int[] routingBoundarySizes() {
        return new int[] {12, 256};
    }
}
