package dev.kronograd.core.linalg;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.ShapeMismatchException;

/**
 * The backend SPI: the BLAS-like kernels the operator algebra needs, on column-major arrays with
 * offsets, leading dimensions and (positive) increments.
 *
 * <p>Template method, as in netlib-java: every public entry point here checks its arguments
 * once — shapes, bounds, increments, aliasing — handles empty shapes, and then calls the
 * matching protected {@code …Kernel} method. Implementations override only kernels, which may
 * assume valid arguments and check nothing.
 *
 * <p>Semantics follow the reference BLAS: with {@code beta == 0} the output is overwritten
 * without being read (NaN in the old contents does not propagate). Aliasing rules: the output of
 * {@code gemm}, {@code gemv} and {@code ger} must not overlap any input; {@code copy} and
 * {@code axpy} need disjoint ranges or (for copy) the identical range; {@code mul} allows its
 * output to coincide exactly with an input (in-place), but not to overlap partially.
 * Implementations are stateless and thread-safe.
 */
public abstract class LinearAlgebra {

    /** A short name for logs and diagnostics, e.g. {@code "ejml"}. */
    public abstract String name();

    /**
     * C = α·op(A)·op(B) + β·C, where op(A) is m×k, op(B) is k×n and C is m×n.
     * A, B: not modified. C: modified.
     */
    public final void gemm(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                           double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                           double beta, double[] c, int cOff, int ldc) {
        requireNonNegative("gemm", m, n, k);
        boolean ta = transA == Transpose.T;
        boolean tb = transB == Transpose.T;
        checkMatrix("gemm", "A", a, aOff, ta ? k : m, ta ? m : k, lda);
        checkMatrix("gemm", "B", b, bOff, tb ? n : k, tb ? k : n, ldb);
        checkMatrix("gemm", "C", c, cOff, m, n, ldc);
        requireNoOverlap("gemm", "C", c, cOff, matrixEnd(cOff, m, n, ldc), "A", a, aOff, matrixEnd(aOff, ta ? k : m, ta ? m : k, lda));
        requireNoOverlap("gemm", "C", c, cOff, matrixEnd(cOff, m, n, ldc), "B", b, bOff, matrixEnd(bOff, tb ? n : k, tb ? k : n, ldb));
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0) {
            scaleMatrix(m, n, beta, c, cOff, ldc);
            return;
        }
        gemmKernel(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * y = α·op(A)·x + β·y, where A is m×n (as stored), x has length n (or m when transposed).
     * A, x: not modified. y: modified.
     */
    public final void gemv(Transpose trans, int m, int n, double alpha, double[] a, int aOff, int lda,
                           double[] x, int xOff, int incx, double beta, double[] y, int yOff, int incy) {
        requireNonNegative("gemv", m, n, 0);
        boolean t = trans == Transpose.T;
        int lenX = t ? m : n;
        int lenY = t ? n : m;
        checkMatrix("gemv", "A", a, aOff, m, n, lda);
        checkVector("gemv", "x", x, xOff, lenX, incx);
        checkVector("gemv", "y", y, yOff, lenY, incy);
        requireNoOverlap("gemv", "y", y, yOff, vectorEnd(yOff, lenY, incy), "A", a, aOff, matrixEnd(aOff, m, n, lda));
        requireNoOverlap("gemv", "y", y, yOff, vectorEnd(yOff, lenY, incy), "x", x, xOff, vectorEnd(xOff, lenX, incx));
        if (lenY == 0) {
            return;
        }
        if (lenX == 0 || alpha == 0) {
            scaleVector(lenY, beta, y, yOff, incy);
            return;
        }
        gemvKernel(trans, m, n, alpha, a, aOff, lda, x, xOff, incx, beta, y, yOff, incy);
    }

    /**
     * A = α·x·yᵀ + A (rank-1 update), A is m×n, x has length m, y length n.
     * x, y: not modified. A: modified.
     */
    public final void ger(int m, int n, double alpha, double[] x, int xOff, int incx,
                          double[] y, int yOff, int incy, double[] a, int aOff, int lda) {
        requireNonNegative("ger", m, n, 0);
        checkVector("ger", "x", x, xOff, m, incx);
        checkVector("ger", "y", y, yOff, n, incy);
        checkMatrix("ger", "A", a, aOff, m, n, lda);
        requireNoOverlap("ger", "A", a, aOff, matrixEnd(aOff, m, n, lda), "x", x, xOff, vectorEnd(xOff, m, incx));
        requireNoOverlap("ger", "A", a, aOff, matrixEnd(aOff, m, n, lda), "y", y, yOff, vectorEnd(yOff, n, incy));
        if (m == 0 || n == 0 || alpha == 0) {
            return;
        }
        gerKernel(m, n, alpha, x, xOff, incx, y, yOff, incy, a, aOff, lda);
    }

    /** y = α·x + y over n elements. x: not modified. y: modified. */
    public final void axpy(int n, double alpha, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        requireNonNegative("axpy", n, 0, 0);
        checkVector("axpy", "x", x, xOff, n, incx);
        checkVector("axpy", "y", y, yOff, n, incy);
        requireNoOverlap("axpy", "y", y, yOff, vectorEnd(yOff, n, incy), "x", x, xOff, vectorEnd(xOff, n, incx));
        if (n == 0 || alpha == 0) {
            return;
        }
        axpyKernel(n, alpha, x, xOff, incx, y, yOff, incy);
    }

    /** Returns xᵀy over n elements. Not modified. */
    public final double dot(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        requireNonNegative("dot", n, 0, 0);
        checkVector("dot", "x", x, xOff, n, incx);
        checkVector("dot", "y", y, yOff, n, incy);
        return n == 0 ? 0.0 : dotKernel(n, x, xOff, incx, y, yOff, incy);
    }

    /** x = α·x over n elements. Modified. */
    public final void scal(int n, double alpha, double[] x, int xOff, int incx) {
        requireNonNegative("scal", n, 0, 0);
        checkVector("scal", "x", x, xOff, n, incx);
        if (n == 0 || alpha == 1) {
            return;
        }
        scalKernel(n, alpha, x, xOff, incx);
    }

    /** y = x over n elements. x: not modified. y: modified. */
    public final void copy(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        requireNonNegative("copy", n, 0, 0);
        checkVector("copy", "x", x, xOff, n, incx);
        checkVector("copy", "y", y, yOff, n, incy);
        if (x == y && xOff == yOff && incx == incy) {
            return;
        }
        requireNoOverlap("copy", "y", y, yOff, vectorEnd(yOff, n, incy), "x", x, xOff, vectorEnd(xOff, n, incx));
        if (n == 0) {
            return;
        }
        copyKernel(n, x, xOff, incx, y, yOff, incy);
    }

    /**
     * z = x ⊙ y (elementwise product) over n contiguous elements. z may be exactly x or y
     * (in-place); partial overlap is rejected. x, y: not modified. z: modified.
     */
    public final void mul(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff) {
        requireNonNegative("mul", n, 0, 0);
        checkVector("mul", "x", x, xOff, n, 1);
        checkVector("mul", "y", y, yOff, n, 1);
        checkVector("mul", "z", z, zOff, n, 1);
        if (!(z == x && zOff == xOff)) {
            requireNoOverlap("mul", "z", z, zOff, zOff + n, "x", x, xOff, xOff + n);
        }
        if (!(z == y && zOff == yOff)) {
            requireNoOverlap("mul", "z", z, zOff, zOff + n, "y", y, yOff, yOff + n);
        }
        if (n == 0) {
            return;
        }
        mulKernel(n, x, xOff, y, yOff, z, zOff);
    }

    /**
     * Solves A·X = B in place for symmetric positive-definite A (n×n, lower triangle read) by
     * Cholesky factorisation (LAPACK {@code dposv}): on return B (n×nrhs) holds X; A's contents
     * are unspecified (the reference kernel and LAPACK leave L there). A, B: modified.
     *
     * @throws ArithmeticException if A is not (numerically) positive definite; the message names
     *         the failing pivot
     */
    public final void posv(int n, int nrhs, double[] a, int aOff, int lda, double[] b, int bOff, int ldb) {
        requireNonNegative("posv", n, nrhs, 0);
        checkMatrix("posv", "A", a, aOff, n, n, lda);
        checkMatrix("posv", "B", b, bOff, n, nrhs, ldb);
        requireNoOverlap("posv", "B", b, bOff, matrixEnd(bOff, n, nrhs, ldb), "A", a, aOff, matrixEnd(aOff, n, n, lda));
        if (n == 0) {
            return;
        }
        posvKernel(n, nrhs, a, aOff, lda, b, bOff, ldb);
    }

    // ---- convenience forms on matrix and vector views ------------------------------------

    /**
     * C = α·op(A)·op(B) + β·C on views. Routes to gemv when op(B) or op(A) is a vector, and to
     * ger when the inner dimension is 1, so a product with a vector never pays for a GEMM call.
     */
    public final DenseMatrix multiply(Transpose transA, Transpose transB, double alpha, DenseMatrix a, DenseMatrix b,
                                      double beta, DenseMatrix c) {
        boolean ta = transA == Transpose.T;
        boolean tb = transB == Transpose.T;
        int m = ta ? a.cols() : a.rows();
        int k = ta ? a.rows() : a.cols();
        int kb = tb ? b.cols() : b.rows();
        int n = tb ? b.rows() : b.cols();
        if (k != kb) {
            throw new ShapeMismatchException("op(A) is " + ShapeMismatchException.shape(m, k) + " but op(B) is "
                    + ShapeMismatchException.shape(kb, n) + "; expected op(B) to have " + k + " rows");
        }
        if (c.rows() != m || c.cols() != n) {
            throw new ShapeMismatchException("op(A)·op(B) is " + ShapeMismatchException.shape(m, n) + " but C is " + c.shape());
        }
        // Checked before any routing so that a rejected call leaves C untouched.
        long cEnd = matrixEnd(c.offset(), c.rows(), c.cols(), c.ld());
        requireNoOverlap("multiply", "C", c.data(), c.offset(), cEnd, "A", a.data(), a.offset(), matrixEnd(a.offset(), a.rows(), a.cols(), a.ld()));
        requireNoOverlap("multiply", "C", c.data(), c.offset(), cEnd, "B", b.data(), b.offset(), matrixEnd(b.offset(), b.rows(), b.cols(), b.ld()));
        if (n == 1 && m > 1 && k > 0) {
            // c(:,0) = α·op(A)·b_vec + β·c
            int incb = tb ? b.ld() : 1;
            gemv(transA, a.rows(), a.cols(), alpha, a.data(), a.offset(), a.ld(), b.data(), b.offset(), incb,
                    beta, c.data(), c.offset(), 1);
        } else if (m == 1 && n > 1 && k > 0) {
            // c(0,:)ᵀ = α·op(B)ᵀ·a_vec + β·c(0,:)ᵀ
            int inca = ta ? 1 : a.ld();
            gemv(transB.flip(), b.rows(), b.cols(), alpha, b.data(), b.offset(), b.ld(), a.data(), a.offset(), inca,
                    beta, c.data(), c.offset(), c.ld());
        } else if (k == 1 && m > 1 && n > 1) {
            if (beta != 1) {
                scaleMatrix(m, n, beta, c.data(), c.offset(), c.ld());
            }
            int inca = ta ? a.ld() : 1;
            int incb = tb ? 1 : b.ld();
            ger(m, n, alpha, a.data(), a.offset(), inca, b.data(), b.offset(), incb, c.data(), c.offset(), c.ld());
        } else {
            gemm(transA, transB, m, n, k, alpha, a.data(), a.offset(), a.ld(), b.data(), b.offset(), b.ld(),
                    beta, c.data(), c.offset(), c.ld());
        }
        return c;
    }

    /** y = α·op(A)·x + β·y on views. */
    public final DenseVector multiply(Transpose transA, double alpha, DenseMatrix a, DenseVector x, double beta, DenseVector y) {
        boolean t = transA == Transpose.T;
        int rows = t ? a.cols() : a.rows();
        int cols = t ? a.rows() : a.cols();
        if (x.length() != cols) {
            throw new ShapeMismatchException("op(A) is " + ShapeMismatchException.shape(rows, cols) + " but x has length "
                    + x.length() + "; expected " + cols);
        }
        if (y.length() != rows) {
            throw new ShapeMismatchException("op(A) is " + ShapeMismatchException.shape(rows, cols) + " but y has length "
                    + y.length() + "; expected " + rows);
        }
        gemv(transA, a.rows(), a.cols(), alpha, a.data(), a.offset(), a.ld(), x.data(), x.offset(), 1, beta, y.data(), y.offset(), 1);
        return y;
    }

    /** z = x ⊙ y on views of equal length. */
    public final DenseVector mul(DenseVector x, DenseVector y, DenseVector z) {
        ShapeMismatchException.requireLength("y", y.length(), "x", x.length());
        ShapeMismatchException.requireLength("z", z.length(), "x ⊙ y", x.length());
        mul(x.length(), x.data(), x.offset(), y.data(), y.offset(), z.data(), z.offset());
        return z;
    }

    /** y = α·x + y on views of equal length. */
    public final DenseVector axpy(double alpha, DenseVector x, DenseVector y) {
        ShapeMismatchException.requireLength("y", y.length(), "x", x.length());
        axpy(x.length(), alpha, x.data(), x.offset(), 1, y.data(), y.offset(), 1);
        return y;
    }

    /** xᵀy on views of equal length. */
    public final double dot(DenseVector x, DenseVector y) {
        ShapeMismatchException.requireLength("y", y.length(), "x", x.length());
        return dot(x.length(), x.data(), x.offset(), 1, y.data(), y.offset(), 1);
    }

    /** x = α·x on a view. */
    public final DenseVector scal(double alpha, DenseVector x) {
        scal(x.length(), alpha, x.data(), x.offset(), 1);
        return x;
    }

    /** y = x on views of equal length. */
    public final DenseVector copy(DenseVector x, DenseVector y) {
        ShapeMismatchException.requireLength("y", y.length(), "x", x.length());
        copy(x.length(), x.data(), x.offset(), 1, y.data(), y.offset(), 1);
        return y;
    }

    // ---- kernels: arguments are valid, shapes non-empty --------------------------------------

    /** Kernel of {@link #gemm}; m, n, k ≥ 1 and α ≠ 0. */
    protected abstract void gemmKernel(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                                       double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                       double beta, double[] c, int cOff, int ldc);

    /** Kernel of {@link #gemv}; both lengths ≥ 1 and α ≠ 0. */
    protected abstract void gemvKernel(Transpose trans, int m, int n, double alpha, double[] a, int aOff, int lda,
                                       double[] x, int xOff, int incx, double beta, double[] y, int yOff, int incy);

    /** Kernel of {@link #ger}; m, n ≥ 1 and α ≠ 0. */
    protected abstract void gerKernel(int m, int n, double alpha, double[] x, int xOff, int incx,
                                      double[] y, int yOff, int incy, double[] a, int aOff, int lda);

    /** Kernel of {@link #axpy}; n ≥ 1 and α ≠ 0. */
    protected abstract void axpyKernel(int n, double alpha, double[] x, int xOff, int incx, double[] y, int yOff, int incy);

    /** Kernel of {@link #dot}; n ≥ 1. */
    protected abstract double dotKernel(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy);

    /** Kernel of {@link #scal}; n ≥ 1. */
    protected abstract void scalKernel(int n, double alpha, double[] x, int xOff, int incx);

    /** Kernel of {@link #copy}; n ≥ 1, ranges disjoint. */
    protected abstract void copyKernel(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy);

    /**
     * Kernel of {@link #mul}; n ≥ 1, contiguous; z may be exactly x or y. The default is a plain
     * loop, which the JIT vectorises; backends rarely have anything faster.
     */
    protected void mulKernel(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff) {
        for (int i = 0; i < n; i++) {
            z[zOff + i] = x[xOff + i] * y[yOff + i];
        }
    }

    /**
     * Kernel of {@link #posv}; n ≥ 1. The default is a column-oriented Cholesky (the reference
     * algorithm of LAPACK's dpotrf2 without blocking) followed by two triangular solves; backends
     * with LAPACK override it.
     */
    protected void posvKernel(int n, int nrhs, double[] a, int aOff, int lda, double[] b, int bOff, int ldb) {
        for (int j = 0; j < n; j++) {
            int cj = aOff + j * lda;
            double d = a[cj + j];
            for (int k = 0; k < j; k++) {
                double l = a[aOff + j + k * lda];
                d -= l * l;
            }
            if (!(d > 0)) {
                throw new ArithmeticException("posv: the matrix is not positive definite (pivot " + j + " is " + d + ")");
            }
            d = Math.sqrt(d);
            a[cj + j] = d;
            for (int i = j + 1; i < n; i++) {
                double s = a[cj + i];
                for (int k = 0; k < j; k++) {
                    s -= a[aOff + i + k * lda] * a[aOff + j + k * lda];
                }
                a[cj + i] = s / d;
            }
        }
        for (int c = 0; c < nrhs; c++) {
            int bc = bOff + c * ldb;
            for (int i = 0; i < n; i++) {            // L y = b
                double s = b[bc + i];
                for (int k = 0; k < i; k++) {
                    s -= a[aOff + i + k * lda] * b[bc + k];
                }
                b[bc + i] = s / a[aOff + i + i * lda];
            }
            for (int i = n - 1; i >= 0; i--) {       // Lᵀ x = y
                double s = b[bc + i];
                for (int k = i + 1; k < n; k++) {
                    s -= a[aOff + k + i * lda] * b[bc + k];
                }
                b[bc + i] = s / a[aOff + i + i * lda];
            }
        }
    }

    // ---- checks --------------------------------------------------------------------------------

    private static void scaleMatrix(int m, int n, double beta, double[] c, int cOff, int ldc) {
        for (int j = 0; j < n; j++) {
            int col = cOff + j * ldc;
            for (int i = 0; i < m; i++) {
                c[col + i] = beta == 0 ? 0.0 : beta * c[col + i];
            }
        }
    }

    private static void scaleVector(int n, double beta, double[] y, int yOff, int incy) {
        for (int i = 0; i < n; i++) {
            int p = yOff + i * incy;
            y[p] = beta == 0 ? 0.0 : beta * y[p];
        }
    }

    private static void requireNonNegative(String op, int m, int n, int k) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(op + ": dimensions must be ≥ 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
    }

    private static void checkMatrix(String op, String name, double[] a, int off, int rows, int cols, int ld) {
        if (a == null) {
            throw new NullPointerException(op + ": " + name + " is null");
        }
        if (ld < Math.max(1, rows)) {
            throw new IllegalArgumentException(op + ": leading dimension of " + name + " is " + ld + " but " + name + " has "
                    + rows + " rows; expected ld ≥ " + Math.max(1, rows));
        }
        if (off < 0) {
            throw new IndexOutOfBoundsException(op + ": offset of " + name + " is " + off + "; expected ≥ 0");
        }
        long end = matrixEnd(off, rows, cols, ld);
        if (end > a.length) {
            throw new IndexOutOfBoundsException(op + ": " + name + " is " + ShapeMismatchException.shape(rows, cols)
                    + " with offset " + off + " and ld " + ld + ", needing an array of length ≥ " + end + ", but its array has length " + a.length);
        }
    }

    private static void checkVector(String op, String name, double[] x, int off, int n, int inc) {
        if (x == null) {
            throw new NullPointerException(op + ": " + name + " is null");
        }
        if (inc < 1) {
            throw new IllegalArgumentException(op + ": increment of " + name + " is " + inc + "; expected ≥ 1");
        }
        if (off < 0) {
            throw new IndexOutOfBoundsException(op + ": offset of " + name + " is " + off + "; expected ≥ 0");
        }
        long end = vectorEnd(off, n, inc);
        if (end > x.length) {
            throw new IndexOutOfBoundsException(op + ": " + name + " has length " + n + " with offset " + off + " and increment "
                    + inc + ", needing an array of length ≥ " + end + ", but its array has length " + x.length);
        }
    }

    private static long matrixEnd(int off, int rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? off : off + (long) (cols - 1) * ld + rows;
    }

    private static long vectorEnd(int off, int n, int inc) {
        return n == 0 ? off : off + (long) (n - 1) * inc + 1;
    }

    private static void requireNoOverlap(String op, String outName, double[] out, long outStart, long outEnd,
                                         String inName, double[] in, long inStart, long inEnd) {
        if (out == in && outStart < inEnd && inStart < outEnd) {
            throw new IllegalArgumentException(op + ": output " + outName + " [" + outStart + ", " + outEnd + ") overlaps input "
                    + inName + " [" + inStart + ", " + inEnd + ") in the same array; use separate storage");
        }
    }

    @Override
    public String toString() {
        return "LinearAlgebra[" + name() + "]";
    }
}
