package dev.kronograd.backend.conformance;

import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;

/**
 * The suite run on the reference itself. Its values are compared with
 * {@link NaiveDenseExpectedValues} (core's test oracle {@code NaiveDense}), not with the reference
 * — the oracle every other backend is compared with, so comparing it with itself could not fail.
 * The rest holds as for any backend: padding and inputs bit-for-bit unchanged, β = 0 overwrites a
 * NaN-filled output, α = 0 and empty shapes short-cut, aliasing is rejected, concurrent calls agree.
 */
class ReferenceConformanceTest extends LinearAlgebraConformanceSuite {

    @Override
    protected LinearAlgebra backend() {
        return ReferenceLinearAlgebra.INSTANCE;
    }

    @Override
    protected ExpectedValues expectedValues() {
        return new NaiveDenseExpectedValues();
    }
}
