package dev.kronograd.backend.netlib;

import dev.kronograd.backend.conformance.LinearAlgebraConformanceSuite;
import dev.kronograd.core.linalg.LinearAlgebra;

/** The conformance suite on {@code netlib-java} (VectorBLAS here: surefire adds jdk.incubator.vector). */
class NetlibJavaConformanceTest extends LinearAlgebraConformanceSuite {

    private static final LinearAlgebra BACKEND = NetlibLinearAlgebra.javaBlas();

    @Override
    protected LinearAlgebra backend() {
        return BACKEND;
    }
}
