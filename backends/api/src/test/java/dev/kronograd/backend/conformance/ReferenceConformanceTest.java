package dev.kronograd.backend.conformance;

import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;

/**
 * The suite run on the reference itself: validates the suite's placements, NaN filling and
 * padding checks against the public entry points' semantics (β = 0 overwrites, α = 0 and empty
 * shapes short-cut, aliasing is rejected) before any backend relies on them.
 */
class ReferenceConformanceTest extends LinearAlgebraConformanceSuite {

    @Override
    protected LinearAlgebra backend() {
        return ReferenceLinearAlgebra.INSTANCE;
    }
}
