package dev.kronograd.backend.ejml;

import dev.kronograd.backend.conformance.LinearAlgebraConformanceSuite;
import dev.kronograd.core.linalg.LinearAlgebra;

/** The conformance suite on the EJML backend as shipped, across both of its gemm thresholds. */
class EjmlConformanceTest extends LinearAlgebraConformanceSuite {

    private static final LinearAlgebra BACKEND = new EjmlLinearAlgebra();

    @Override
    protected LinearAlgebra backend() {
        return BACKEND;
    }

    @Override
    protected int[] routingBoundarySizes() {
        return new int[] {
            (int) Math.round(Math.cbrt(EjmlLinearAlgebra.EJML_MIN_WORK)),
            (int) Math.round(Math.cbrt(EjmlLinearAlgebra.CONCURRENT_MIN_WORK)),
        };
    }
}
