package dev.kronograd.backend.ejml;

import dev.kronograd.backend.conformance.LinearAlgebraConformanceSuite;
import dev.kronograd.core.linalg.LinearAlgebra;

/**
 * The conformance suite with one gemm route forced: the Java loops for every gemm, however large.
 * The shipped thresholds send 1×1, vector-shaped and empty-edge problems elsewhere; this makes
 * every route meet every case.
 */
class EjmlJavaLoopRouteConformanceTest extends LinearAlgebraConformanceSuite {

    private final LinearAlgebra backend = new EjmlLinearAlgebra(Long.MAX_VALUE, Long.MAX_VALUE);

    @Override
    protected LinearAlgebra backend() {
        return backend;
    }
}
