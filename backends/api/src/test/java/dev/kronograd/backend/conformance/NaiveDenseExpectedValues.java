package dev.kronograd.backend.conformance;

import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import dev.kronograd.core.linalg.Transpose;
import dev.kronograd.core.testing.NaiveDense;

/**
 * The oracle for {@link ReferenceLinearAlgebra} itself, written independently of it: each operand
 * is gathered from its placement (offset, leading dimension, increment) into a row-major
 * {@code double[][]}, transposed by index, multiplied with core's test oracle {@link NaiveDense},
 * and scattered back; the level-1 operations are their one-line definitions. β = 0 ignores the
 * old output explicitly (it holds NaN in the β = 0 cases).
 */
final class NaiveDenseExpectedValues implements ExpectedValues {

    @Override
    public void gemm(Transpose transA, Transpose transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                     double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        double[][] opA = gather(a, aOff, lda, m, k, transA == Transpose.T);
        double[][] opB = gather(b, bOff, ldb, k, n, transB == Transpose.T);
        double[][] product = k == 0 ? new double[m][n] : NaiveDense.multiply(opA, opB);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int p = cOff + i + j * ldc;
                c[p] = alpha * product[i][j] + (beta == 0 ? 0 : beta * c[p]);
            }
        }
    }

    @Override
    public void gemv(Transpose trans, int m, int n, double alpha, double[] a, int aOff, int lda,
                     double[] x, int xOff, int incx, double beta, double[] y, int yOff, int incy) {
        boolean t = trans == Transpose.T;
        int lenX = t ? m : n;
        int lenY = t ? n : m;
        double[] product = NaiveDense.multiply(gather(a, aOff, lda, lenY, lenX, t), gather(x, xOff, incx, lenX));
        for (int i = 0; i < lenY; i++) {
            int p = yOff + i * incy;
            y[p] = alpha * product[i] + (beta == 0 ? 0 : beta * y[p]);
        }
    }

    @Override
    public void ger(int m, int n, double alpha, double[] x, int xOff, int incx, double[] y, int yOff, int incy,
                    double[] a, int aOff, int lda) {
        double[][] column = new double[m][];
        double[] xs = gather(x, xOff, incx, m);
        for (int i = 0; i < m; i++) {
            column[i] = new double[] {xs[i]};
        }
        double[][] outer = NaiveDense.multiply(column, new double[][] {gather(y, yOff, incy, n)});
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                a[aOff + i + j * lda] += alpha * outer[i][j];
            }
        }
    }

    @Override
    public void axpy(int n, double alpha, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        for (int i = 0; i < n; i++) {
            y[yOff + i * incy] += alpha * x[xOff + i * incx];
        }
    }

    @Override
    public double dot(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        return NaiveDense.multiply(new double[][] {gather(x, xOff, incx, n)}, gather(y, yOff, incy, n))[0];
    }

    @Override
    public void scal(int n, double alpha, double[] x, int xOff, int incx) {
        for (int i = 0; i < n; i++) {
            x[xOff + i * incx] *= alpha;
        }
    }

    @Override
    public void copy(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        for (int i = 0; i < n; i++) {
            y[yOff + i * incy] = x[xOff + i * incx];
        }
    }

    @Override
    public void mul(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff) {
        for (int i = 0; i < n; i++) {
            z[zOff + i] = x[xOff + i] * y[yOff + i];
        }
    }

    /** op(M) as rows×cols row-major, M column-major at off with leading dimension ld (stored cols×rows if transposed). */
    private static double[][] gather(double[] data, int off, int ld, int rows, int cols, boolean transposed) {
        double[][] op = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                op[i][j] = transposed ? data[off + j + i * ld] : data[off + i + j * ld];
            }
        }
        return op;
    }

    private static double[] gather(double[] data, int off, int inc, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = data[off + i * inc];
        }
        return v;
    }

    @Override
    public String toString() {
        return "NaiveDense";
    }
}
