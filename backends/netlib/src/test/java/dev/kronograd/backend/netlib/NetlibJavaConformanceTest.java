package dev.kronograd.backend.netlib;

import dev.kronograd.backend.conformance.LinearAlgebraConformanceSuite;
import dev.kronograd.core.linalg.LinearAlgebra;

/**
 * The conformance suite on {@code netlib-java}: VectorBLAS in surefire's default-test (with jdk.incubator.vector, as
 * ./kronograd runs), Java11BLAS in its without-vector-module execution (as {@code java -jar} runs).
 */
class NetlibJavaConformanceTest extends LinearAlgebraConformanceSuite {

    private static final LinearAlgebra BACKEND = NetlibLinearAlgebra.javaBlas();

    @Override
    protected LinearAlgebra backend() {
        return BACKEND;
    }
}
