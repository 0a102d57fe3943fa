package dev.kronograd.backend.netlib;

import dev.kronograd.backend.conformance.LinearAlgebraConformanceSuite;
import dev.kronograd.backend.netlib.NetlibLinearAlgebra.Thresholds;
import dev.kronograd.core.linalg.LinearAlgebra;

import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The conformance suite on {@code netlib-native} as shipped: calls on both sides of every
 * Java/native routing threshold. Skipped without a system BLAS unless KRONOGRAD_REQUIRE_NATIVE is set.
 */
class NetlibNativeConformanceTest extends LinearAlgebraConformanceSuite {

    @Override
    protected LinearAlgebra backend() {
        NativeBlasRequirement.requireNativeBlas();
        return NetlibLinearAlgebra.nativeBlas();
    }

    /** Both measured threshold sets, whichever this JVM uses: sizes on each side of every finite threshold. */
    @Override
    protected int[] routingBoundarySizes() {
        return Stream.of(Thresholds.SINGLE_THREADED_BLAS, Thresholds.MULTI_THREADED_BLAS)
                .flatMapToInt(t -> IntStream.of(
                        side(t.gemmMinWork(), 3), side(t.gemvMinWork(), 2), side(t.gerMinWork(), 2), side(t.level1MinLength(), 2)))
                .filter(n -> n > 0)
                .distinct().toArray();
    }

    /** The side of a square (dims = 2) or cubic (dims = 3) problem of the given work; 0 for NEVER. */
    private static int side(long work, int dims) {
        return work == Thresholds.NEVER ? 0 : (int) Math.round(Math.pow(work, 1.0 / dims));
    }
}
