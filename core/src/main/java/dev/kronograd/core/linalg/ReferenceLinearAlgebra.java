package dev.kronograd.core.linalg;

/**
 * Plain-Java reference kernels: straightforward loops in the order that walks column-major
 * storage contiguously. This is the oracle of the backends' conformance suite and the fallback
 * when nothing else is available; it is correct first, and reasonably fast for small sizes.
 */
public final class ReferenceLinearAlgebra extends LinearAlgebra {

    /** Stateless; one shared instance is enough. */
    public static final ReferenceLinearAlgebra INSTANCE = new ReferenceLinearAlgebra();

    @Override
    public String name() {
        return "reference";
    }

    @Override
    protected void gemmKernel(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                              double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                              double beta, double[] c, int cOff, int ldc) {
        boolean ta = transA == Transpose.T;
        boolean tb = transB == Transpose.T;
        for (int j = 0; j < n; j++) {
            int cj = cOff + j * ldc;
            for (int i = 0; i < m; i++) {
                c[cj + i] = beta == 0 ? 0.0 : beta * c[cj + i];
            }
            if (!ta) {
                // c(:,j) += α Σ_l a(:,l) op(B)(l,j): axpy over contiguous columns of A.
                for (int l = 0; l < k; l++) {
                    double blj = tb ? b[bOff + j + l * ldb] : b[bOff + l + j * ldb];
                    double s = alpha * blj;
                    int al = aOff + l * lda;
                    for (int i = 0; i < m; i++) {
                        c[cj + i] += s * a[al + i];
                    }
                }
            } else {
                // c(i,j) += α a(:,i)ᵀ op(B)(:,j): dot over contiguous columns of A.
                for (int i = 0; i < m; i++) {
                    int ai = aOff + i * lda;
                    double s = 0;
                    for (int l = 0; l < k; l++) {
                        double blj = tb ? b[bOff + j + l * ldb] : b[bOff + l + j * ldb];
                        s += a[ai + l] * blj;
                    }
                    c[cj + i] += alpha * s;
                }
            }
        }
    }

    @Override
    protected void gemvKernel(Transpose trans, int m, int n, double alpha, double[] a, int aOff, int lda,
                              double[] x, int xOff, int incx, double beta, double[] y, int yOff, int incy) {
        if (trans == Transpose.N) {
            for (int i = 0; i < m; i++) {
                int p = yOff + i * incy;
                y[p] = beta == 0 ? 0.0 : beta * y[p];
            }
            for (int j = 0; j < n; j++) {
                double s = alpha * x[xOff + j * incx];
                int aj = aOff + j * lda;
                for (int i = 0; i < m; i++) {
                    y[yOff + i * incy] += s * a[aj + i];
                }
            }
        } else {
            for (int j = 0; j < n; j++) {
                int aj = aOff + j * lda;
                double s = 0;
                for (int i = 0; i < m; i++) {
                    s += a[aj + i] * x[xOff + i * incx];
                }
                int p = yOff + j * incy;
                y[p] = (beta == 0 ? 0.0 : beta * y[p]) + alpha * s;
            }
        }
    }

    @Override
    protected void gerKernel(int m, int n, double alpha, double[] x, int xOff, int incx,
                             double[] y, int yOff, int incy, double[] a, int aOff, int lda) {
        for (int j = 0; j < n; j++) {
            double s = alpha * y[yOff + j * incy];
            int aj = aOff + j * lda;
            for (int i = 0; i < m; i++) {
                a[aj + i] += s * x[xOff + i * incx];
            }
        }
    }

    @Override
    protected void axpyKernel(int n, double alpha, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        for (int i = 0; i < n; i++) {
            y[yOff + i * incy] += alpha * x[xOff + i * incx];
        }
    }

    @Override
    protected double dotKernel(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x[xOff + i * incx] * y[yOff + i * incy];
        }
        return s;
    }

    @Override
    protected void scalKernel(int n, double alpha, double[] x, int xOff, int incx) {
        for (int i = 0; i < n; i++) {
            x[xOff + i * incx] *= alpha;
        }
    }

    @Override
    protected void copyKernel(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        if (incx == 1 && incy == 1) {
            System.arraycopy(x, xOff, y, yOff, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            y[yOff + i * incy] = x[xOff + i * incx];
        }
    }
}
