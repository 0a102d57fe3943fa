package dev.kronograd.backend.conformance;

import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import dev.kronograd.core.linalg.Transpose;

import java.util.Arrays;
import java.util.Random;

/**
 * One check per operation: run a backend and an oracle — {@link ReferenceLinearAlgebra} unless
 * another {@link ExpectedValues} is passed — on identical seeded inputs and compare. Each check throws {@link AssertionError} describing the first difference.
 *
 * <p>What is compared, for every element of every array involved:
 * <ul>
 *   <li>inside the output: |got − ref| ≤ {@value #RELATIVE_TOLERANCE}·bound, where the bound is
 *       the magnitude of the exact result's terms, e.g. for gemm
 *       |α|·Σ_l |op(A)_il|·|op(B)_lj| + |β|·|c_ij| (β = 0 contributes nothing, even when the old
 *       c_ij is NaN). NaN never passes.</li>
 *   <li>outside the output (padding between columns or strided entries, before the offset, after
 *       the end) and every input array: bit-for-bit unchanged.</li>
 * </ul>
 * With β = 0 the old output is filled with NaN, so a backend that reads it instead of overwriting
 * it fails.
 */
public final class ConformanceChecks {

    /**
     * Relative tolerance against the magnitude bound. A correct double-precision kernel errs by at
     * most about k·2⁻⁵³ ≈ k·1.1e-16 relative to the bound, so this admits any summation order up to
     * inner dimensions of several thousand while still catching a single wrong term.
     */
    public static final double RELATIVE_TOLERANCE = 1e-12;

    private ConformanceChecks() {
    }

    /** A gemm call: C = α·op(A)·op(B) + β·C, all three matrices in the same placement. */
    public record GemmCase(Transpose transA, Transpose transB, int m, int n, int k, double alpha, double beta,
                           MatrixPlacement placement, long seed) {
        @Override
        public String toString() {
            return "gemm(" + transA + "," + transB + ") m=" + m + " n=" + n + " k=" + k + " α=" + alpha + " β=" + beta
                    + (beta == 0 ? " (C NaN-filled)" : "") + " " + placement + " seed=" + seed;
        }
    }

    /** A gemv call: y = α·op(A)·x + β·y, A is m×n as stored. */
    public record GemvCase(Transpose trans, int m, int n, double alpha, double beta, MatrixPlacement matrix,
                           VectorPlacement vectors, long seed) {
        @Override
        public String toString() {
            return "gemv(" + trans + ") m=" + m + " n=" + n + " α=" + alpha + " β=" + beta + (beta == 0 ? " (y NaN-filled)" : "")
                    + " A:" + matrix + " x,y:" + vectors + " seed=" + seed;
        }
    }

    /** A ger call: A = α·x·yᵀ + A, A is m×n. */
    public record GerCase(int m, int n, double alpha, MatrixPlacement matrix, VectorPlacement vectors, long seed) {
        @Override
        public String toString() {
            return "ger m=" + m + " n=" + n + " α=" + alpha + " A:" + matrix + " x,y:" + vectors + " seed=" + seed;
        }
    }

    /** A level-1 call (axpy, dot, scal, copy, mul) on vectors of length n. */
    public record VectorCase(int n, double alpha, VectorPlacement x, VectorPlacement y, long seed) {
        @Override
        public String toString() {
            return "n=" + n + " α=" + alpha + " x:" + x + " y:" + y + " seed=" + seed;
        }
    }

    /** A random value in [−1, 1) scaled by 2^e, e uniform in [−4, 4]: mixed magnitudes, exact binary scaling. */
    static double randomValue(Random random) {
        return (2 * random.nextDouble() - 1) * Math.scalb(1.0, random.nextInt(9) - 4);
    }

    // ---- level 3 --------------------------------------------------------------------------------

    /** Checks {@code backend.gemm} against the reference on the inputs {@code c} describes. */
    public static void gemm(LinearAlgebra backend, GemmCase c) {
        gemm(backend, ExpectedValues.REFERENCE, c);
    }

    /** As {@link #gemm(LinearAlgebra, GemmCase)}, with the expected values from {@code oracle}. */
    public static void gemm(LinearAlgebra backend, ExpectedValues oracle, GemmCase c) {
        Random random = new Random(c.seed());
        boolean ta = c.transA() == Transpose.T;
        boolean tb = c.transB() == Transpose.T;
        int rowsA = ta ? c.k() : c.m();
        int colsA = ta ? c.m() : c.k();
        int rowsB = tb ? c.n() : c.k();
        int colsB = tb ? c.k() : c.n();
        MatrixPlacement pl = c.placement();
        double[] a = pl.randomArray(rowsA, colsA, random);
        double[] b = pl.randomArray(rowsB, colsB, random);
        double[] cIn = pl.randomArray(c.m(), c.n(), random);
        if (c.beta() == 0) {
            fillInside(cIn, pl, c.m(), c.n(), Double.NaN);
        }
        int lda = pl.ld(rowsA);
        int ldb = pl.ld(rowsB);
        int ldc = pl.ld(c.m());

        double[] expected = cIn.clone();
        oracle.gemm(c.transA(), c.transB(), c.m(), c.n(), c.k(), c.alpha(),
                a.clone(), pl.offset(), lda, b.clone(), pl.offset(), ldb, c.beta(), expected, pl.offset(), ldc);
        double[] aSeen = a.clone();
        double[] bSeen = b.clone();
        double[] got = cIn.clone();
        backend.gemm(c.transA(), c.transB(), c.m(), c.n(), c.k(), c.alpha(),
                aSeen, pl.offset(), lda, bSeen, pl.offset(), ldb, c.beta(), got, pl.offset(), ldc);

        requireUnchanged(c, "A", a, aSeen);
        requireUnchanged(c, "B", b, bSeen);
        for (int p = 0; p < got.length; p++) {
            if (!pl.inside(p, c.m(), c.n())) {
                requireSame(c, "C", p, cIn[p], got[p]);
                continue;
            }
            int rel = p - pl.offset();
            int i = rel % ldc;
            int j = rel / ldc;
            double bound = 0;
            for (int l = 0; l < c.k(); l++) {
                double ail = ta ? a[pl.offset() + l + i * lda] : a[pl.offset() + i + l * lda];
                double blj = tb ? b[pl.offset() + j + l * ldb] : b[pl.offset() + l + j * ldb];
                bound += Math.abs(ail * blj);
            }
            bound = Math.abs(c.alpha()) * bound + (c.beta() == 0 ? 0 : Math.abs(c.beta() * cIn[p]));
            requireClose(c, "C(" + i + "," + j + ")", expected[p], got[p], bound);
        }
    }

    // ---- level 2 --------------------------------------------------------------------------------

    /** Checks {@code backend.gemv} against the reference on the inputs {@code c} describes. */
    public static void gemv(LinearAlgebra backend, GemvCase c) {
        gemv(backend, ExpectedValues.REFERENCE, c);
    }

    /** As {@link #gemv(LinearAlgebra, GemvCase)}, with the expected values from {@code oracle}. */
    public static void gemv(LinearAlgebra backend, ExpectedValues oracle, GemvCase c) {
        Random random = new Random(c.seed());
        boolean t = c.trans() == Transpose.T;
        int lenX = t ? c.m() : c.n();
        int lenY = t ? c.n() : c.m();
        MatrixPlacement mp = c.matrix();
        VectorPlacement vp = c.vectors();
        double[] a = mp.randomArray(c.m(), c.n(), random);
        double[] x = vp.randomArray(lenX, random);
        double[] yIn = vp.randomArray(lenY, random);
        if (c.beta() == 0) {
            for (int i = 0; i < lenY; i++) {
                yIn[vp.offset() + i * vp.inc()] = Double.NaN;
            }
        }
        int lda = mp.ld(c.m());

        double[] expected = yIn.clone();
        oracle.gemv(c.trans(), c.m(), c.n(), c.alpha(), a.clone(), mp.offset(), lda,
                x.clone(), vp.offset(), vp.inc(), c.beta(), expected, vp.offset(), vp.inc());
        double[] aSeen = a.clone();
        double[] xSeen = x.clone();
        double[] got = yIn.clone();
        backend.gemv(c.trans(), c.m(), c.n(), c.alpha(), aSeen, mp.offset(), lda,
                xSeen, vp.offset(), vp.inc(), c.beta(), got, vp.offset(), vp.inc());

        requireUnchanged(c, "A", a, aSeen);
        requireUnchanged(c, "x", x, xSeen);
        for (int p = 0; p < got.length; p++) {
            if (!vp.inside(p, lenY)) {
                requireSame(c, "y", p, yIn[p], got[p]);
                continue;
            }
            int i = (p - vp.offset()) / vp.inc();
            double bound = 0;
            for (int j = 0; j < lenX; j++) {
                double aij = t ? a[mp.offset() + j + i * lda] : a[mp.offset() + i + j * lda];
                bound += Math.abs(aij * x[vp.offset() + j * vp.inc()]);
            }
            bound = Math.abs(c.alpha()) * bound + (c.beta() == 0 ? 0 : Math.abs(c.beta() * yIn[p]));
            requireClose(c, "y(" + i + ")", expected[p], got[p], bound);
        }
    }

    /** Checks {@code backend.ger} against the reference on the inputs {@code c} describes. */
    public static void ger(LinearAlgebra backend, GerCase c) {
        ger(backend, ExpectedValues.REFERENCE, c);
    }

    /** As {@link #ger(LinearAlgebra, GerCase)}, with the expected values from {@code oracle}. */
    public static void ger(LinearAlgebra backend, ExpectedValues oracle, GerCase c) {
        Random random = new Random(c.seed());
        MatrixPlacement mp = c.matrix();
        VectorPlacement vp = c.vectors();
        double[] x = vp.randomArray(c.m(), random);
        double[] y = vp.randomArray(c.n(), random);
        double[] aIn = mp.randomArray(c.m(), c.n(), random);
        int lda = mp.ld(c.m());

        double[] expected = aIn.clone();
        oracle.ger(c.m(), c.n(), c.alpha(), x.clone(), vp.offset(), vp.inc(),
                y.clone(), vp.offset(), vp.inc(), expected, mp.offset(), lda);
        double[] xSeen = x.clone();
        double[] ySeen = y.clone();
        double[] got = aIn.clone();
        backend.ger(c.m(), c.n(), c.alpha(), xSeen, vp.offset(), vp.inc(), ySeen, vp.offset(), vp.inc(), got, mp.offset(), lda);

        requireUnchanged(c, "x", x, xSeen);
        requireUnchanged(c, "y", y, ySeen);
        for (int p = 0; p < got.length; p++) {
            if (!mp.inside(p, c.m(), c.n())) {
                requireSame(c, "A", p, aIn[p], got[p]);
                continue;
            }
            int rel = p - mp.offset();
            int i = rel % lda;
            int j = rel / lda;
            double bound = Math.abs(aIn[p]) + Math.abs(c.alpha() * x[vp.offset() + i * vp.inc()] * y[vp.offset() + j * vp.inc()]);
            requireClose(c, "A(" + i + "," + j + ")", expected[p], got[p], bound);
        }
    }

    // ---- level 1 --------------------------------------------------------------------------------

    /** Checks {@code backend.axpy}: y = α·x + y. */
    public static void axpy(LinearAlgebra backend, VectorCase c) {
        axpy(backend, ExpectedValues.REFERENCE, c);
    }

    /** As {@link #axpy(LinearAlgebra, VectorCase)}, with the expected values from {@code oracle}. */
    public static void axpy(LinearAlgebra backend, ExpectedValues oracle, VectorCase c) {
        Random random = new Random(c.seed());
        double[] x = c.x().randomArray(c.n(), random);
        double[] yIn = c.y().randomArray(c.n(), random);
        double[] expected = yIn.clone();
        oracle.axpy(c.n(), c.alpha(), x.clone(), c.x().offset(), c.x().inc(), expected, c.y().offset(), c.y().inc());
        double[] xSeen = x.clone();
        double[] got = yIn.clone();
        backend.axpy(c.n(), c.alpha(), xSeen, c.x().offset(), c.x().inc(), got, c.y().offset(), c.y().inc());
        String what = "axpy " + c;
        requireUnchanged(what, "x", x, xSeen);
        for (int p = 0; p < got.length; p++) {
            if (!c.y().inside(p, c.n())) {
                requireSame(what, "y", p, yIn[p], got[p]);
                continue;
            }
            int i = (p - c.y().offset()) / c.y().inc();
            double bound = Math.abs(yIn[p]) + Math.abs(c.alpha() * x[c.x().offset() + i * c.x().inc()]);
            requireClose(what, "y(" + i + ")", expected[p], got[p], bound);
        }
    }

    /** Checks {@code backend.dot}: xᵀy. */
    public static void dot(LinearAlgebra backend, VectorCase c) {
        dot(backend, ExpectedValues.REFERENCE, c);
    }

    /** As {@link #dot(LinearAlgebra, VectorCase)}, with the expected values from {@code oracle}. */
    public static void dot(LinearAlgebra backend, ExpectedValues oracle, VectorCase c) {
        Random random = new Random(c.seed());
        double[] x = c.x().randomArray(c.n(), random);
        double[] y = c.y().randomArray(c.n(), random);
        double expected = oracle.dot(c.n(), x.clone(), c.x().offset(), c.x().inc(), y.clone(), c.y().offset(), c.y().inc());
        double[] xSeen = x.clone();
        double[] ySeen = y.clone();
        double got = backend.dot(c.n(), xSeen, c.x().offset(), c.x().inc(), ySeen, c.y().offset(), c.y().inc());
        String what = "dot " + c;
        requireUnchanged(what, "x", x, xSeen);
        requireUnchanged(what, "y", y, ySeen);
        double bound = 0;
        for (int i = 0; i < c.n(); i++) {
            bound += Math.abs(x[c.x().offset() + i * c.x().inc()] * y[c.y().offset() + i * c.y().inc()]);
        }
        requireClose(what, "xᵀy", expected, got, bound);
    }

    /** Checks {@code backend.scal}: x = α·x, one rounding per entry, so the result must be exact. */
    public static void scal(LinearAlgebra backend, VectorCase c) {
        scal(backend, ExpectedValues.REFERENCE, c);
    }

    /** As {@link #scal(LinearAlgebra, VectorCase)}, with the expected values from {@code oracle}. */
    public static void scal(LinearAlgebra backend, ExpectedValues oracle, VectorCase c) {
        Random random = new Random(c.seed());
        double[] xIn = c.x().randomArray(c.n(), random);
        double[] expected = xIn.clone();
        oracle.scal(c.n(), c.alpha(), expected, c.x().offset(), c.x().inc());
        double[] got = xIn.clone();
        backend.scal(c.n(), c.alpha(), got, c.x().offset(), c.x().inc());
        String what = "scal " + c;
        for (int p = 0; p < got.length; p++) {
            if (c.x().inside(p, c.n())) {
                requireExact(what, "x", p, expected[p], got[p]);
            } else {
                requireSame(what, "x", p, xIn[p], got[p]);
            }
        }
    }

    /** Checks {@code backend.copy}: y = x, exactly. */
    public static void copy(LinearAlgebra backend, VectorCase c) {
        copy(backend, ExpectedValues.REFERENCE, c);
    }

    /** As {@link #copy(LinearAlgebra, VectorCase)}, with the expected values from {@code oracle}. */
    public static void copy(LinearAlgebra backend, ExpectedValues oracle, VectorCase c) {
        Random random = new Random(c.seed());
        double[] x = c.x().randomArray(c.n(), random);
        double[] yIn = c.y().randomArray(c.n(), random);
        double[] expected = yIn.clone();
        oracle.copy(c.n(), x.clone(), c.x().offset(), c.x().inc(), expected, c.y().offset(), c.y().inc());
        double[] xSeen = x.clone();
        double[] got = yIn.clone();
        backend.copy(c.n(), xSeen, c.x().offset(), c.x().inc(), got, c.y().offset(), c.y().inc());
        String what = "copy " + c;
        requireUnchanged(what, "x", x, xSeen);
        for (int p = 0; p < got.length; p++) {
            if (c.y().inside(p, c.n())) {
                requireExact(what, "y", p, expected[p], got[p]);
            } else {
                requireSame(what, "y", p, yIn[p], got[p]);
            }
        }
    }

    /**
     * Checks {@code backend.mul}: z = x ⊙ y on contiguous ranges, exactly, both into a separate
     * array and in place (z = x).
     */
    public static void mul(LinearAlgebra backend, VectorCase c) {
        mul(backend, ExpectedValues.REFERENCE, c);
    }

    /** As {@link #mul(LinearAlgebra, VectorCase)}, with the expected values from {@code oracle}. */
    public static void mul(LinearAlgebra backend, ExpectedValues oracle, VectorCase c) {
        Random random = new Random(c.seed());
        int xOff = c.x().offset();
        int yOff = c.y().offset();
        double[] x = new double[xOff + c.n() + c.x().tail()];
        double[] y = new double[yOff + c.n() + c.y().tail()];
        double[] zIn = new double[c.n() + 1];
        fill(x, random);
        fill(y, random);
        fill(zIn, random);
        double[] expected = zIn.clone();
        oracle.mul(c.n(), x.clone(), xOff, y.clone(), yOff, expected, 1);
        double[] xSeen = x.clone();
        double[] ySeen = y.clone();
        double[] got = zIn.clone();
        backend.mul(c.n(), xSeen, xOff, ySeen, yOff, got, 1);
        String what = "mul " + c;
        requireUnchanged(what, "x", x, xSeen);
        requireUnchanged(what, "y", y, ySeen);
        for (int p = 0; p < got.length; p++) {
            if (p >= 1 && p < 1 + c.n()) {
                requireExact(what, "z", p, expected[p], got[p]);
            } else {
                requireSame(what, "z", p, zIn[p], got[p]);
            }
        }

        double[] inPlaceExpected = x.clone();
        oracle.mul(c.n(), inPlaceExpected, xOff, y.clone(), yOff, inPlaceExpected, xOff);
        double[] inPlace = x.clone();
        backend.mul(c.n(), inPlace, xOff, y.clone(), yOff, inPlace, xOff);
        for (int p = 0; p < inPlace.length; p++) {
            requireExact(what + " in place (z = x)", "x", p, inPlaceExpected[p], inPlace[p]);
        }
    }

    // ---- comparisons ----------------------------------------------------------------------------

    private static void fill(double[] data, Random random) {
        for (int p = 0; p < data.length; p++) {
            data[p] = randomValue(random);
        }
    }

    private static void fillInside(double[] data, MatrixPlacement pl, int rows, int cols, double value) {
        for (int p = 0; p < data.length; p++) {
            if (pl.inside(p, rows, cols)) {
                data[p] = value;
            }
        }
    }

    private static void requireClose(Object what, String element, double expected, double got, double bound) {
        double tol = RELATIVE_TOLERANCE * bound;
        // Written so that NaN in either value fails.
        if (!(Math.abs(got - expected) <= tol)) {
            throw new AssertionError(what + ": " + element + " = " + got + " but the oracle gives " + expected
                    + " (|difference| " + Math.abs(got - expected) + " > tolerance " + tol + ")");
        }
    }

    /** Padding and inputs: bit-for-bit unchanged (NaN stays the same NaN). */
    private static void requireSame(Object what, String array, int index, double before, double after) {
        if (Double.doubleToRawLongBits(before) != Double.doubleToRawLongBits(after)) {
            throw new AssertionError(what + ": " + array + "[" + index + "] lies outside the output but changed from "
                    + before + " to " + after);
        }
    }

    /** A result rounded once per entry (scal, copy, mul): numerically equal to the reference (±0 equal, NaN fails). */
    private static void requireExact(Object what, String array, int index, double expected, double got) {
        if (!(expected == got)) {
            throw new AssertionError(what + ": " + array + "[" + index + "] = " + got + " but the oracle gives exactly "
                    + expected);
        }
    }

    private static void requireUnchanged(Object what, String array, double[] before, double[] after) {
        if (!Arrays.equals(before, after)) {
            int p = Arrays.mismatch(before, after);
            throw new AssertionError(what + ": input " + array + " was modified at index " + p + ": " + before[p] + " → " + after[p]);
        }
    }
}
