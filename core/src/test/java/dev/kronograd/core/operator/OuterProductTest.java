package dev.kronograd.core.operator;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The overwriting outer product C = u·wᵀ: the Vector-API kernel against the scalar one bit for
 * bit, and whichever kernel is active against the exact products, directly and through the
 * Kronecker operators that route to it. Every element is one rounded product, so the expected
 * values are exact and the comparisons are on bits.
 */
class OuterProductTest {
    /** Enough calls for C2 to compile the kernels: the vector intrinsics exist only in C2 code. */
    private static final int TRIALS = 100_000;

    private final Operators ops = Operators.using(ReferenceLinearAlgebra.INSTANCE);

    /** A shape and storage layout of one call: C m×n at cOff with leading dimension ldc. */
    private record Layout(int m, int n, int uOff, int wOff, int incw, int cOff, int ldc, int cLength) {
        static Layout random(Random rnd) {
            int m = rnd.nextInt(8) == 0 ? 1 + rnd.nextInt(7) : 1 + rnd.nextInt(70); // short columns often
            int n = 1 + rnd.nextInt(9);
            int incw = rnd.nextBoolean() ? 1 : 3;
            int cOff = rnd.nextInt(8);
            int ldc = m + (rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(5));
            int cLength = cOff + (n - 1) * ldc + m + rnd.nextInt(6);
            return new Layout(m, n, rnd.nextInt(6), rnd.nextInt(6), incw, cOff, ldc, cLength);
        }

        boolean inBlock(int index) {
            int k = index - cOff;
            return k >= 0 && k / ldc < n && k % ldc < m;
        }

        @Override
        public String toString() {
            return "m=" + m + " n=" + n + " uOff=" + uOff + " wOff=" + wOff + " incw=" + incw + " cOff=" + cOff + " ldc=" + ldc;
        }
    }

    /**
     * Values whose products cover the cases of IEEE multiplication: ordinary magnitudes, signed
     * zeros, subnormals (gradual underflow), huge values (overflow to ±∞), infinities (0·∞ = NaN).
     */
    private static double value(Random rnd) {
        double sign = rnd.nextBoolean() ? 1 : -1;
        return switch (rnd.nextInt(12)) {
            case 0 -> sign * 0.0;
            case 1 -> sign * Double.MIN_VALUE * (1 + rnd.nextInt(1 << 20));      // subnormal
            case 2 -> sign * Double.MIN_NORMAL * rnd.nextDouble();                // subnormal or zero
            case 3 -> sign * Double.MAX_VALUE * (0.5 + rnd.nextDouble() / 2);     // huge
            case 4 -> sign * Math.scalb(1 + rnd.nextDouble(), 1000 + rnd.nextInt(23));
            case 5 -> sign * Math.scalb(1 + rnd.nextDouble(), -1070 + rnd.nextInt(60));
            case 6 -> rnd.nextInt(20) == 0 ? sign * Double.POSITIVE_INFINITY : sign;
            default -> rnd.nextGaussian() * Math.scalb(1.0, rnd.nextInt(41) - 20);
        };
    }

    private static double[] values(Random rnd, int length) {
        double[] v = new double[length];
        for (int i = 0; i < length; i++) {
            v[i] = value(rnd);
        }
        return v;
    }

    /** Equal bits; two NaNs count as equal (Java does not specify NaN payloads). */
    private static boolean sameBits(double a, double b) {
        return Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b) || (Double.isNaN(a) && Double.isNaN(b));
    }

    private static void assertSameBits(double[] expected, double[] actual, Layout layout, String what) {
        assertEquals(expected.length, actual.length);
        for (int k = 0; k < expected.length; k++) {
            if (!sameBits(expected[k], actual[k])) {
                fail(what + ", " + layout + ": index " + k + (layout.inBlock(k) ? " (row " + (k - layout.cOff) % layout.ldc
                        + ", column " + (k - layout.cOff) / layout.ldc + ")" : " (outside C)") + " expected " + expected[k]
                        + " but was " + actual[k]);
            }
        }
    }

    /** One call of each kernel; a method of its own so that C2 compiles it, kernels inlined, early in the trials. */
    private static void bothKernels(Layout l, double[] u, double[] w, double[] scalar, double[] vector) {
        OuterProduct.scalar(l.m(), l.n(), u, l.uOff(), w, l.wOff(), l.incw(), scalar, l.cOff(), l.ldc());
        VectorKernels.outerProduct(l.m(), l.n(), u, l.uOff(), w, l.wOff(), l.incw(), vector, l.cOff(), l.ldc());
    }

    @Test
    void vectorKernelEqualsScalarKernelBitForBit() {
        assumeTrue(ModuleLayer.boot().findModule(OuterProduct.VECTOR_MODULE).isPresent(),
                "needs --add-modules " + OuterProduct.VECTOR_MODULE);
        Random rnd = new Random(20250117);
        int shortColumns = 0;
        int ragged = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            Layout l = Layout.random(rnd);
            shortColumns += l.m() < VectorKernels.lanes() ? 1 : 0;
            ragged += l.m() > VectorKernels.lanes() && l.m() % VectorKernels.lanes() != 0 ? 1 : 0;
            double[] u = values(rnd, l.uOff() + l.m() + rnd.nextInt(3));
            double[] w = values(rnd, l.wOff() + (l.n() - 1) * l.incw() + 1 + rnd.nextInt(3));
            double[] initial = values(rnd, l.cLength());
            double[] scalar = initial.clone();
            double[] vector = initial.clone();
            bothKernels(l, u, w, scalar, vector);
            assertSameBits(scalar, vector, l, "vector kernel vs scalar kernel, trial " + trial);
            for (int k = 0; k < initial.length; k++) {
                if (!l.inBlock(k) && Double.doubleToRawLongBits(initial[k]) != Double.doubleToRawLongBits(vector[k])) {
                    fail("vector kernel wrote outside C at index " + k + ", " + l);
                }
            }
        }
        assertTrue(shortColumns > TRIALS / 20, "columns shorter than one vector: " + shortColumns);
        assertTrue(ragged > TRIALS / 4, "columns with a scalar tail: " + ragged);
    }

    @Test
    void vectorKernelWithUInsideCsArrayMatchesScalarKernel() {
        assumeTrue(ModuleLayer.boot().findModule(OuterProduct.VECTOR_MODULE).isPresent(),
                "needs --add-modules " + OuterProduct.VECTOR_MODULE);
        Random rnd = new Random(99);
        for (int trial = 0; trial < 200; trial++) {
            Layout l = Layout.random(rnd);
            double[] w = values(rnd, l.wOff() + (l.n() - 1) * l.incw() + 1);
            double[] initial = values(rnd, l.cLength() + l.m());
            int uOff = rnd.nextInt(initial.length - l.m() + 1); // may overlap C
            double[] scalar = initial.clone();
            double[] vector = initial.clone();
            OuterProduct.scalar(l.m(), l.n(), scalar, uOff, w, l.wOff(), l.incw(), scalar, l.cOff(), l.ldc());
            VectorKernels.outerProduct(l.m(), l.n(), vector, uOff, w, l.wOff(), l.incw(), vector, l.cOff(), l.ldc());
            assertSameBits(scalar, vector, l, "u at " + uOff + " in C's array, trial " + trial);
        }
    }

    @Test
    void activeKernelWritesTheExactProductsAndNothingElse() {
        Random rnd = new Random(314);
        for (int trial = 0; trial < TRIALS; trial++) {
            Layout l = Layout.random(rnd);
            double[] u = values(rnd, l.uOff() + l.m());
            double[] w = values(rnd, l.wOff() + (l.n() - 1) * l.incw() + 1);
            double[] c = values(rnd, l.cLength());
            double[] expected = c.clone();
            for (int j = 0; j < l.n(); j++) {
                for (int i = 0; i < l.m(); i++) {
                    expected[l.cOff() + j * l.ldc() + i] = u[l.uOff() + i] * w[l.wOff() + j * l.incw()];
                }
            }
            OuterProduct.overwrite(l.m(), l.n(), u, l.uOff(), w, l.wOff(), l.incw(), c, l.cOff(), l.ldc());
            assertSameBits(expected, c, l, OuterProduct.SELECTION + ", trial " + trial);
        }
    }

    /**
     * The Kronecker products that route to the outer product — (x ⊗ I_m) u = vec(u xᵀ) and
     * (I_n ⊗ b) v = vec(b vᵀ), from row or column vectors, stored with padding — give the exact
     * products.
     */
    @Test
    void kroneckerProductsWithAVectorFactorAreExactOuterProducts() {
        Random rnd = new Random(2718);
        for (int trial = 0; trial < 2_000; trial++) {
            int m = 2 + rnd.nextInt(69);
            int n = 2 + rnd.nextInt(8);
            int pad = rnd.nextInt(3);
            double[] xData = values(rnd, pad + 1 + (n - 1) * (1 + pad)); // n entries with stride 1 + pad
            DenseMatrix xRow = DenseMatrix.view(xData, pad, 1, n, 1 + pad); // 1×n, leading dimension 1 + pad
            double[] x = new double[n];
            for (int j = 0; j < n; j++) {
                x[j] = xRow.get(0, j);
            }
            int uOff = rnd.nextInt(4);
            double[] uData = values(rnd, uOff + m + rnd.nextInt(3));
            DenseVector u = DenseVector.view(uData, uOff, m);
            double[] vecUxT = new double[m * n];
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    vecUxT[j * m + i] = uData[uOff + i] * x[j];
                }
            }
            Layout layout = new Layout(m, n, uOff, pad, 1 + pad, 0, m, m * n);
            // x ⊗ I_m applied to u: as the transpose of xᵀ ⊗ I_m (padded row, plain row) and directly (column).
            KroneckerOperator paddedRow = ops.kronecker(ops.dense(xRow), ops.identity(m));
            KroneckerOperator row = ops.kronecker(ops.rowVector(DenseVector.of(x)), ops.identity(m));
            KroneckerOperator column = ops.kronecker(ops.columnVector(DenseVector.of(x)), ops.identity(m));
            assertSameBits(vecUxT, paddedRow.applyTranspose(u).toArray(), layout, "padded row, trial " + trial);
            assertSameBits(vecUxT, paddedRow.transpose().apply(u).toArray(), layout, "padded row transposed, trial " + trial);
            assertSameBits(vecUxT, row.applyTranspose(u).toArray(), layout, "row, trial " + trial);
            assertSameBits(vecUxT, column.apply(u).toArray(), layout, "column, trial " + trial);
            // I_n ⊗ u applied to x: u as the right factor, a column or the transpose of a row.
            DenseVector xv = DenseVector.of(x);
            assertSameBits(vecUxT, ops.kronecker(ops.identity(n), ops.columnVector(u)).apply(xv).toArray(), layout,
                    "I ⊗ column, trial " + trial);
            assertSameBits(vecUxT, ops.kronecker(ops.identity(n), ops.rowVector(u)).applyTranspose(xv).toArray(), layout,
                    "(I ⊗ row)ᵀ, trial " + trial);
        }
    }
}
