package dev.kronograd.core.operator;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the incubating Vector API ({@code jdk.incubator.vector}). Only {@link OuterProduct}
 * and {@link FiniteScan} touch this class, and only after {@link OuterProduct} found the module in
 * the boot layer: loading it without the module fails with a {@link NoClassDefFoundError}.
 */
final class VectorKernels {
    /**
     * The widest shape, the species netlib's VectorBLAS uses too. Its vectors are
     * {@code DoubleMaxVector}s, those of {@code SPECIES_PREFERRED} {@code Double512Vector}s (on
     * AVX-512) even at the same width; with both classes in one JVM the shared Vector API methods
     * see two receiver types, and C2 left one VectorBLAS {@code dgemv} vector boxed in the B = 1
     * gradient (96 B per call on netlib-java and netlib-native, 0 B with one class).
     */
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_MAX;
    private static final int LANES = SPECIES.length();

    private VectorKernels() {
    }

    /** Doubles per vector (4 with AVX2, 8 with AVX-512). */
    static int lanes() {
        return LANES;
    }

    /**
     * C (m×n, ldc) = u·wᵀ as {@link OuterProduct#scalar}, bit for bit: every element is the one
     * product {@code u_i·w_j} (a lane-wise multiplication, no fused multiply-add), full vectors
     * first, the last m mod lanes rows of each column scalar, so nothing beyond row m − 1 is
     * written. Columns shorter than one vector, and u and C in one array (where the scalar
     * kernel's copy semantics would differ from vector loads and stores if the ranges overlapped),
     * go to the scalar kernel.
     */
    static void outerProduct(int m, int n, double[] u, int uOff, double[] w, int wOff, int incw,
                             double[] c, int cOff, int ldc) {
        int bound = SPECIES.loopBound(m);
        if (bound == 0 || u == c) {
            OuterProduct.scalar(m, n, u, uOff, w, wOff, incw, c, cOff, ldc);
            return;
        }
        for (int j = 0; j < n; j++) {
            double wj = w[wOff + j * incw];
            int col = cOff + j * ldc;
            int i = 0;
            for (; i < bound; i += LANES) {
                DoubleVector.fromArray(SPECIES, u, uOff + i).mul(wj).intoArray(c, col + i);
            }
            for (; i < m; i++) {
                c[col + i] = u[uOff + i] * wj;
            }
        }
    }

    /**
     * {@link FiniteScan#allFinite}: for every lane v − v (0 for a finite v, NaN for NaN and ±∞) summed
     * lane-wise, so any non-finite value leaves a NaN lane; the last n mod lanes values scalar.
     */
    static boolean allFinite(double[] a, int off, int n) {
        int bound = SPECIES.loopBound(n);
        DoubleVector acc = DoubleVector.zero(SPECIES);
        int i = 0;
        for (; i < bound; i += LANES) {
            DoubleVector v = DoubleVector.fromArray(SPECIES, a, off + i);
            acc = acc.add(v.sub(v));
        }
        return acc.reduceLanes(VectorOperators.ADD) == 0 && FiniteScan.allFiniteScalar(a, off + i, n - i);
    }

    /** {@link FiniteScan#copyAllFinite}: {@link #allFinite} riding on the copy (ranges checked, disjoint). */
    static boolean copyAllFinite(double[] src, int srcOff, double[] dst, int dstOff, int n) {
        int bound = SPECIES.loopBound(n);
        DoubleVector acc = DoubleVector.zero(SPECIES);
        int i = 0;
        for (; i < bound; i += LANES) {
            DoubleVector v = DoubleVector.fromArray(SPECIES, src, srcOff + i);
            v.intoArray(dst, dstOff + i);
            acc = acc.add(v.sub(v));
        }
        boolean tail = FiniteScan.copyAllFiniteScalar(src, srcOff + i, dst, dstOff + i, n - i);
        return acc.reduceLanes(VectorOperators.ADD) == 0 && tail;
    }
}
