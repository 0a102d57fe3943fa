package dev.kronograd.backend.ejml;

import java.util.Arrays;

/**
 * Plain Java kernels on column-major storage with offsets, leading dimensions and increments —
 * the cases EJML cannot express (its matrices have no offset or leading dimension, its vectors no
 * increment) and the tiny problems where wrapping arrays for EJML costs more than the arithmetic.
 *
 * <p>Loop orders walk columns contiguously; level-2 loops handle several columns per pass so
 * that the output (gemv N) is loaded and stored once per group of columns, and dot products
 * (gemv T) run independent accumulators instead of one latency-bound chain. Arguments are valid
 * (checked by {@link dev.kronograd.core.linalg.LinearAlgebra}'s entry points); shapes are
 * non-empty and α ≠ 0.
 */
final class JavaKernels {

    private JavaKernels() {
    }

    /** C = α·op(A)·op(B) + β·C; op(A) m×k, op(B) k×n, C m×n. With β = 0, C is not read. */
    static void gemm(boolean ta, boolean tb, int m, int n, int k, double alpha,
                     double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                     double beta, double[] c, int cOff, int ldc) {
        // op(B)(l, j) = b[bOff + l·bRow + j·bCol]
        int bRow = tb ? ldb : 1;
        int bCol = tb ? 1 : ldb;
        for (int j = 0; j < n; j++) {
            int cj = cOff + j * ldc;
            scaleColumn(m, beta, c, cj);
            int bj = bOff + j * bCol;
            if (!ta) {
                // c(:,j) += Σ_l α·op(B)(l,j)·a(:,l): two contiguous columns of A per pass over c(:,j).
                int l = 0;
                for (; l + 1 < k; l += 2) {
                    double s0 = alpha * b[bj + l * bRow];
                    double s1 = alpha * b[bj + (l + 1) * bRow];
                    int a0 = aOff + l * lda;
                    int a1 = a0 + lda;
                    for (int i = 0; i < m; i++) {
                        c[cj + i] += s0 * a[a0 + i] + s1 * a[a1 + i];
                    }
                }
                if (l < k) {
                    double s0 = alpha * b[bj + l * bRow];
                    int a0 = aOff + l * lda;
                    for (int i = 0; i < m; i++) {
                        c[cj + i] += s0 * a[a0 + i];
                    }
                }
            } else {
                // c(i,j) += α·a(:,i)ᵀ·op(B)(:,j): dot products of contiguous columns of A.
                for (int i = 0; i < m; i++) {
                    int ai = aOff + i * lda;
                    double s0 = 0;
                    double s1 = 0;
                    int l = 0;
                    for (; l + 1 < k; l += 2) {
                        s0 += a[ai + l] * b[bj + l * bRow];
                        s1 += a[ai + l + 1] * b[bj + (l + 1) * bRow];
                    }
                    if (l < k) {
                        s0 += a[ai + l] * b[bj + l * bRow];
                    }
                    c[cj + i] += alpha * (s0 + s1);
                }
            }
        }
    }

    /** y = α·op(A)·x + β·y; A m×n as stored. With β = 0, y is not read. */
    static void gemv(boolean trans, int m, int n, double alpha, double[] a, int aOff, int lda,
                     double[] x, int xOff, int incx, double beta, double[] y, int yOff, int incy) {
        if (!trans) {
            gemvN(m, n, alpha, a, aOff, lda, x, xOff, incx, beta, y, yOff, incy);
        } else {
            gemvT(m, n, alpha, a, aOff, lda, x, xOff, incx, beta, y, yOff, incy);
        }
    }

    /** y = α·A·x + β·y as axpys of four columns at a time: one load and store of y per four columns. */
    private static void gemvN(int m, int n, double alpha, double[] a, int aOff, int lda,
                              double[] x, int xOff, int incx, double beta, double[] y, int yOff, int incy) {
        if (incy == 1) {
            scaleColumn(m, beta, y, yOff);
        } else {
            scaleStrided(m, beta, y, yOff, incy);
        }
        int j = 0;
        for (; j + 3 < n; j += 4) {
            double s0 = alpha * x[xOff + j * incx];
            double s1 = alpha * x[xOff + (j + 1) * incx];
            double s2 = alpha * x[xOff + (j + 2) * incx];
            double s3 = alpha * x[xOff + (j + 3) * incx];
            int a0 = aOff + j * lda;
            int a1 = a0 + lda;
            int a2 = a1 + lda;
            int a3 = a2 + lda;
            if (incy == 1) {
                for (int i = 0; i < m; i++) {
                    y[yOff + i] += s0 * a[a0 + i] + s1 * a[a1 + i] + s2 * a[a2 + i] + s3 * a[a3 + i];
                }
            } else {
                for (int i = 0; i < m; i++) {
                    y[yOff + i * incy] += s0 * a[a0 + i] + s1 * a[a1 + i] + s2 * a[a2 + i] + s3 * a[a3 + i];
                }
            }
        }
        for (; j < n; j++) {
            double s = alpha * x[xOff + j * incx];
            int aj = aOff + j * lda;
            for (int i = 0; i < m; i++) {
                y[yOff + i * incy] += s * a[aj + i];
            }
        }
    }

    /** y = α·Aᵀ·x + β·y as dot products, four columns at a time: four independent sums share the loads of x. */
    private static void gemvT(int m, int n, double alpha, double[] a, int aOff, int lda,
                              double[] x, int xOff, int incx, double beta, double[] y, int yOff, int incy) {
        int j = 0;
        for (; j + 3 < n; j += 4) {
            int a0 = aOff + j * lda;
            int a1 = a0 + lda;
            int a2 = a1 + lda;
            int a3 = a2 + lda;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int i = 0; i < m; i++) {
                double xi = x[xOff + i * incx];
                s0 += a[a0 + i] * xi;
                s1 += a[a1 + i] * xi;
                s2 += a[a2 + i] * xi;
                s3 += a[a3 + i] * xi;
            }
            updateY(alpha, s0, beta, y, yOff + j * incy);
            updateY(alpha, s1, beta, y, yOff + (j + 1) * incy);
            updateY(alpha, s2, beta, y, yOff + (j + 2) * incy);
            updateY(alpha, s3, beta, y, yOff + (j + 3) * incy);
        }
        for (; j < n; j++) {
            int aj = aOff + j * lda;
            double s = 0;
            for (int i = 0; i < m; i++) {
                s += a[aj + i] * x[xOff + i * incx];
            }
            updateY(alpha, s, beta, y, yOff + j * incy);
        }
    }

    private static void updateY(double alpha, double dot, double beta, double[] y, int p) {
        y[p] = (beta == 0 ? 0.0 : beta * y[p]) + alpha * dot;
    }

    /** A = α·x·yᵀ + A; A m×n. */
    static void ger(int m, int n, double alpha, double[] x, int xOff, int incx,
                    double[] y, int yOff, int incy, double[] a, int aOff, int lda) {
        for (int j = 0; j < n; j++) {
            double s = alpha * y[yOff + j * incy];
            int aj = aOff + j * lda;
            if (incx == 1) {
                for (int i = 0; i < m; i++) {
                    a[aj + i] += s * x[xOff + i];
                }
            } else {
                for (int i = 0; i < m; i++) {
                    a[aj + i] += s * x[xOff + i * incx];
                }
            }
        }
    }

    /** y = α·x + y. */
    static void axpy(int n, double alpha, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        if (incx == 1 && incy == 1) {
            for (int i = 0; i < n; i++) {
                y[yOff + i] += alpha * x[xOff + i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                y[yOff + i * incy] += alpha * x[xOff + i * incx];
            }
        }
    }

    /** xᵀy with four independent partial sums (the latency of one floating-point add chain would bound it). */
    static double dot(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        if (incx == 1 && incy == 1) {
            for (; i + 3 < n; i += 4) {
                s0 += x[xOff + i] * y[yOff + i];
                s1 += x[xOff + i + 1] * y[yOff + i + 1];
                s2 += x[xOff + i + 2] * y[yOff + i + 2];
                s3 += x[xOff + i + 3] * y[yOff + i + 3];
            }
        }
        for (; i < n; i++) {
            s0 += x[xOff + i * incx] * y[yOff + i * incy];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** x = α·x (a product also for α = 0, as BLAS dscal: NaN stays NaN). */
    static void scal(int n, double alpha, double[] x, int xOff, int incx) {
        for (int i = 0; i < n; i++) {
            x[xOff + i * incx] *= alpha;
        }
    }

    /** y = x. */
    static void copy(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        if (incx == 1 && incy == 1) {
            System.arraycopy(x, xOff, y, yOff, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            y[yOff + i * incy] = x[xOff + i * incx];
        }
    }

    /** Strided y = β·y for gemv; β = 0 overwrites with zeros without reading, β = 1 leaves it. */
    private static void scaleStrided(int n, double beta, double[] y, int yOff, int incy) {
        if (beta == 0) {
            for (int i = 0; i < n; i++) {
                y[yOff + i * incy] = 0.0;
            }
        } else if (beta != 1) {
            for (int i = 0; i < n; i++) {
                y[yOff + i * incy] *= beta;
            }
        }
    }

    /** Column c(off..off+m) = β·column; β = 0 overwrites with zeros without reading, β = 1 leaves it. */
    private static void scaleColumn(int m, double beta, double[] c, int off) {
        if (beta == 0) {
            Arrays.fill(c, off, off + m, 0.0);
        } else if (beta != 1) {
            for (int i = 0; i < m; i++) {
                c[off + i] *= beta;
            }
        }
    }
}
