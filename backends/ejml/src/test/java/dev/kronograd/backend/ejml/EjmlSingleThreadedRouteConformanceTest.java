package dev.kronograd.backend.ejml;

import dev.kronograd.backend.conformance.LinearAlgebraConformanceSuite;
import dev.kronograd.core.linalg.LinearAlgebra;

/**
 * The conformance suite with one gemm route forced: EJML's single-threaded kernels for every
 * gemm, however small. The shipped thresholds send 1×1, vector-shaped and empty-edge problems
 * elsewhere; this makes every route meet every case.
 */
class EjmlSingleThreadedRouteConformanceTest extends LinearAlgebraConformanceSuite {

    private final LinearAlgebra backend = new EjmlLinearAlgebra(1, Long.MAX_VALUE);

    @Override
    protected LinearAlgebra backend() {
        return backend;
    }
}
