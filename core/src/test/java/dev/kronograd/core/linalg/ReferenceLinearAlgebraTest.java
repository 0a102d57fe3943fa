package dev.kronograd.core.linalg;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.testing.NaiveDense;
import dev.kronograd.core.ShapeMismatchException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reference kernels against textbook arithmetic, through the checked public entry points. */
class ReferenceLinearAlgebraTest {
    private static final double TOL = 1e-12;
    private final LinearAlgebra la = ReferenceLinearAlgebra.INSTANCE;

    /** Stores a row-major matrix column-major at offset off with leading dimension ld. */
    private static double[] store(double[][] a, int cols, int off, int ld, int pad) {
        double[] s = new double[off + Math.max(0, cols - 1) * ld + a.length + pad];
        Arrays.fill(s, Double.NaN);
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < a.length; i++) {
                s[off + i + j * ld] = a[i][j];
            }
        }
        return s;
    }

    @Test
    void gemmMatchesTextbookProductForAllTransposesOffsetsAndLeadingDimensions() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 400; trial++) {
            int m = rnd.nextInt(6);
            int n = rnd.nextInt(6);
            int k = rnd.nextInt(6);
            boolean ta = rnd.nextBoolean();
            boolean tb = rnd.nextBoolean();
            double alpha = rnd.nextBoolean() ? 1 : rnd.nextGaussian();
            double beta = switch (rnd.nextInt(3)) { case 0 -> 0; case 1 -> 1; default -> rnd.nextGaussian(); };
            double[][] a = NaiveDense.random(rnd, m, k);
            double[][] b = NaiveDense.random(rnd, k, n);
            double[][] c0 = NaiveDense.random(rnd, m, n);
            double[][] aStored = ta ? NaiveDense.transpose(a, k) : a;
            double[][] bStored = tb ? NaiveDense.transpose(b, n) : b;
            int aRows = ta ? k : m;
            int aCols = ta ? m : k;
            int bRows = tb ? n : k;
            int bCols = tb ? k : n;
            int offA = rnd.nextInt(3);
            int offB = rnd.nextInt(3);
            int offC = rnd.nextInt(3);
            int lda = Math.max(1, aRows) + rnd.nextInt(2);
            int ldb = Math.max(1, bRows) + rnd.nextInt(2);
            int ldc = Math.max(1, m) + rnd.nextInt(2);
            double[] as = store(aStored, aCols, offA, lda, 1);
            double[] bs = store(bStored, bCols, offB, ldb, 1);
            double[] cs = store(c0, n, offC, ldc, 1);
            if (beta == 0) {
                for (int j = 0; j < n; j++) {
                    for (int i = 0; i < m; i++) {
                        cs[offC + i + j * ldc] = Double.NaN; // beta = 0 must overwrite without reading
                    }
                }
            }
            la.gemm(Transpose.of(ta), Transpose.of(tb), m, n, k, alpha, as, offA, lda, bs, offB, ldb, beta, cs, offC, ldc);
            double[][] ab = NaiveDense.multiply(a, b);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double expected = alpha * (k == 0 ? 0 : ab[i][j]) + (beta == 0 ? 0 : beta * c0[i][j]);
                    assertEquals(expected, cs[offC + i + j * ldc], TOL * (1 + Math.abs(expected)),
                            "trial " + trial + " (" + i + "," + j + ")");
                }
            }
        }
    }

    @Test
    void multiplyRoutesVectorShapesToGemvAndGerWithTheSameResult() {
        Random rnd = new Random(12);
        int[][] shapes = {{5, 1, 4}, {1, 5, 4}, {5, 4, 1}, {1, 1, 3}, {3, 3, 3}};
        for (int[] s : shapes) {
            for (Transpose ta : Transpose.values()) {
                for (Transpose tb : Transpose.values()) {
                    int m = s[0];
                    int n = s[1];
                    int k = s[2];
                    double[][] a = NaiveDense.random(rnd, m, k);
                    double[][] b = NaiveDense.random(rnd, k, n);
                    DenseMatrix am = ta == Transpose.T ? DenseMatrix.ofRows(NaiveDense.transpose(a, k)) : DenseMatrix.ofRows(a);
                    DenseMatrix bm = tb == Transpose.T ? DenseMatrix.ofRows(NaiveDense.transpose(b, n)) : DenseMatrix.ofRows(b);
                    DenseMatrix c = DenseMatrix.zeros(m, n).fill(3.0);
                    la.multiply(ta, tb, 2.0, am, bm, 0.5, c);
                    double[][] ab = NaiveDense.multiply(a, b);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            assertEquals(2 * ab[i][j] + 1.5, c.get(i, j), TOL * 10, Arrays.toString(s) + " " + ta + tb);
                        }
                    }
                }
            }
        }
    }

    @Test
    void gemvGerAxpyDotScalCopyMulWithIncrements() {
        Random rnd = new Random(13);
        double[][] a = NaiveDense.random(rnd, 4, 3);
        double[] as = store(a, 3, 1, 5, 0);
        double[] x = {Double.NaN, 1, -7, 2, -7, 3};           // x = [1, 2, 3] at offset 1, inc 2
        double[] y = new double[9];
        Arrays.fill(y, Double.NaN);                             // beta = 0 overwrites
        la.gemv(Transpose.N, 4, 3, 1.0, as, 1, 5, x, 1, 2, 0.0, y, 0, 2);
        double[] expected = NaiveDense.multiply(a, new double[] {1, 2, 3});
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i], y[2 * i], TOL);
        }
        double[] z = new double[3];
        la.gemv(Transpose.T, 4, 3, 1.0, as, 1, 5, new double[] {1, 1, 1, 1}, 0, 1, 0.0, z, 0, 1);
        for (int j = 0; j < 3; j++) {
            double s = 0;
            for (int i = 0; i < 4; i++) {
                s += a[i][j];
            }
            assertEquals(s, z[j], TOL);
        }
        double[] g = new double[6];
        la.ger(2, 3, 2.0, new double[] {1, 2}, 0, 1, new double[] {1, 0, 10, 0, 100}, 0, 2, g, 0, 2);
        assertArrayEquals(new double[] {2, 4, 20, 40, 200, 400}, g, 0);
        double[] yy = {1, 1, 1};
        la.axpy(3, 2.0, new double[] {1, 2, 3}, 0, 1, yy, 0, 1);
        assertArrayEquals(new double[] {3, 5, 7}, yy, 0);
        assertEquals(1 * 4 + 3 * 6, la.dot(2, new double[] {1, 2, 3}, 0, 2, new double[] {4, 6}, 0, 1), 0);
        double[] sx = {1, 2, 3, 4};
        la.scal(2, 10.0, sx, 1, 2);
        assertArrayEquals(new double[] {1, 20, 3, 40}, sx, 0);
        double[] cy = new double[4];
        la.copy(2, new double[] {5, 6}, 0, 1, cy, 1, 2);
        assertArrayEquals(new double[] {0, 5, 0, 6}, cy, 0);
        double[] w = {1, 2, 3};
        la.mul(3, w, 0, new double[] {2, 3, 4}, 0, w, 0);       // exact in-place aliasing allowed
        assertArrayEquals(new double[] {2, 6, 12}, w, 0);
    }

    @Test
    void overlappingOutputsAreRejectedBeforeAnythingIsWritten() {
        double[] shared = {1, 2, 3, 4, 5, 6, 7, 8};
        double[] before = shared.clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> la.gemm(Transpose.N, Transpose.N, 2, 2, 2, 1, shared, 0, 2, new double[4], 0, 2, 0, shared, 2, 2));
        assertTrue(e.getMessage().contains("overlaps input A"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> la.mul(4, shared, 0, shared, 0, shared, 1));
        assertThrows(IllegalArgumentException.class,
                () -> la.multiply(Transpose.N, Transpose.N, 1, DenseMatrix.view(shared, 0, 2, 1, 2),
                        DenseMatrix.view(new double[2], 0, 1, 2, 1), 0, DenseMatrix.view(shared, 0, 2, 2, 2)));
        assertArrayEquals(before, shared, 0);
    }

    @Test
    void badArgumentsNameTheOperandAndTheExpectation() {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> la.gemv(Transpose.N, 3, 3, 1, new double[8], 0, 3, new double[3], 0, 1, 0, new double[3], 0, 1));
        assertTrue(e.getMessage().contains("gemv: A is 3×3"), e.getMessage());
        IllegalArgumentException inc = assertThrows(IllegalArgumentException.class,
                () -> la.axpy(2, 1, new double[2], 0, 0, new double[2], 0, 1));
        assertTrue(inc.getMessage().contains("increment of x"), inc.getMessage());
        ShapeMismatchException shape = assertThrows(ShapeMismatchException.class,
                () -> la.multiply(Transpose.N, Transpose.N, 1, DenseMatrix.zeros(3, 4), DenseMatrix.zeros(5, 2), 0, DenseMatrix.zeros(3, 2)));
        assertTrue(shape.getMessage().contains("3×4") && shape.getMessage().contains("5×2"), shape.getMessage());
        assertThrows(ShapeMismatchException.class, () -> la.mul(DenseVector.zeros(2), DenseVector.zeros(3), DenseVector.zeros(2)));
    }

    @Test
    void emptyShapesAreNoOpsOrScaleOnly() {
        double[] c = {1, 2, 3, 4};
        la.gemm(Transpose.N, Transpose.N, 2, 2, 0, 1, new double[0], 0, 2, new double[0], 0, 1, 2.0, c, 0, 2);
        assertArrayEquals(new double[] {2, 4, 6, 8}, c, 0);
        la.gemm(Transpose.N, Transpose.N, 0, 2, 3, 1, new double[0], 0, 1, new double[6], 0, 3, 0, new double[0], 0, 1);
        assertEquals(0.0, la.dot(0, new double[0], 0, 1, new double[0], 0, 1));
    }

    @Test
    void posvSolvesSymmetricPositiveDefiniteSystemsAndRejectsIndefiniteOnes() {
        Random rnd = new Random(14);
        for (int n : new int[] {1, 2, 5, 9}) {
            double[][] g = NaiveDense.random(rnd, n, n);
            double[][] spd = NaiveDense.multiply(g, NaiveDense.transpose(g, n));
            for (int i = 0; i < n; i++) {
                spd[i][i] += n;
            }
            double[][] x = NaiveDense.random(rnd, n, 3);
            double[][] b = NaiveDense.multiply(spd, x);
            DenseMatrix a = DenseMatrix.ofRows(spd);
            DenseMatrix rhs = DenseMatrix.ofRows(b);
            la.posv(n, 3, a.data(), 0, n, rhs.data(), 0, n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(x[i][j], rhs.get(i, j), 1e-10, "n=" + n);
                }
            }
        }
        DenseMatrix indefinite = DenseMatrix.ofRows(new double[] {1, 2}, new double[] {2, 1});
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> la.posv(2, 1, indefinite.data(), 0, 2, new double[2], 0, 2));
        assertTrue(e.getMessage().contains("pivot 1"), e.getMessage());
    }
}
