package dev.kronograd.backend.conformance;

import dev.kronograd.backend.conformance.ConformanceChecks.GemmCase;
import dev.kronograd.backend.conformance.ConformanceChecks.GemvCase;
import dev.kronograd.backend.conformance.ConformanceChecks.GerCase;
import dev.kronograd.backend.conformance.ConformanceChecks.VectorCase;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import dev.kronograd.core.linalg.Transpose;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks must catch the defects backends really have: reading the output when β = 0,
 * ignoring the leading dimension or the increment, writing padding, modifying an input, and a
 * wrong term — and must accept a correct kernel that merely sums in another order.
 */
class ConformanceChecksDetectDefectsTest {

    private static final GemmCase PADDED_GEMM =
            new GemmCase(Transpose.N, Transpose.T, 6, 5, 7, -0.7, 0.0, MatrixPlacement.PADDED, 42);

    @Test
    void correctKernelSummingInReverseOrderPasses() {
        LinearAlgebra reversed = new Delegating() {
            @Override
            protected void gemmKernel(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                      double beta, double[] c, int cOff, int ldc) {
                for (int j = 0; j < n; j++) {
                    for (int i = 0; i < m; i++) {
                        double s = 0;
                        for (int l = k - 1; l >= 0; l--) {
                            double ail = transA == Transpose.T ? a[aOff + l + i * lda] : a[aOff + i + l * lda];
                            double blj = transB == Transpose.T ? b[bOff + j + l * ldb] : b[bOff + l + j * ldb];
                            s += ail * blj;
                        }
                        int p = cOff + i + j * ldc;
                        c[p] = alpha * s + (beta == 0 ? 0 : beta * c[p]);
                    }
                }
            }
        };
        for (MatrixPlacement placement : MatrixPlacement.ALL) {
            for (double beta : new double[] {0, 1, 0.3}) {
                GemmCase c = new GemmCase(Transpose.T, Transpose.N, 33, 17, 65, 1.3, beta, placement, 7);
                assertDoesNotThrow(() -> ConformanceChecks.gemm(reversed, c), c::toString);
            }
        }
    }

    @Test
    void readingTheOutputWhenBetaIsZeroFails() {
        LinearAlgebra readsC = new Delegating() {
            @Override
            protected void gemmKernel(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                      double beta, double[] c, int cOff, int ldc) {
                // β·C computed as a product even for β = 0: 0·NaN = NaN.
                for (int j = 0; j < n; j++) {
                    for (int i = 0; i < m; i++) {
                        c[cOff + i + j * ldc] *= beta;
                    }
                }
                ReferenceLinearAlgebra.INSTANCE.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, 1.0, c, cOff, ldc);
            }
        };
        AssertionError error = assertThrows(AssertionError.class, () -> ConformanceChecks.gemm(readsC, PADDED_GEMM));
        assertTrue(error.getMessage().contains("NaN"), error::getMessage);
    }

    @Test
    void ignoringTheLeadingDimensionFails() {
        LinearAlgebra packedOnly = new Delegating() {
            @Override
            protected void gemmKernel(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                      double beta, double[] c, int cOff, int ldc) {
                super.gemmKernel(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, m);
            }
        };
        GemmCase exact = new GemmCase(Transpose.N, Transpose.T, 6, 5, 7, -0.7, 0.3, MatrixPlacement.EXACT, 42);
        assertDoesNotThrow(() -> ConformanceChecks.gemm(packedOnly, exact));
        assertThrows(AssertionError.class, () -> ConformanceChecks.gemm(packedOnly, PADDED_GEMM));
    }

    @Test
    void oneWrongTermFails() {
        LinearAlgebra dropsLastTerm = new Delegating() {
            @Override
            protected void gemmKernel(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                      double beta, double[] c, int cOff, int ldc) {
                super.gemmKernel(transA, transB, m, n, k - 1, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            }
        };
        GemmCase large = new GemmCase(Transpose.T, Transpose.T, 40, 40, 300, 1.0, 1.0, MatrixPlacement.OFFSET, 3);
        AssertionError error = assertThrows(AssertionError.class, () -> ConformanceChecks.gemm(dropsLastTerm, large));
        assertTrue(error.getMessage().contains("tolerance"), error::getMessage);
    }

    /** The reference's own run uses NaiveDense as the oracle: it must catch a wrong kernel too. */
    @Test
    void naiveDenseOracleCatchesAWrongTermAndAcceptsTheReference() {
        LinearAlgebra dropsLastTerm = new Delegating() {
            @Override
            protected void gemmKernel(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                      double beta, double[] c, int cOff, int ldc) {
                super.gemmKernel(transA, transB, m, n, k - 1, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            }
        };
        ExpectedValues naive = new NaiveDenseExpectedValues();
        GemmCase c = new GemmCase(Transpose.T, Transpose.N, 9, 7, 13, -0.7, 0.0, MatrixPlacement.PADDED, 5);
        assertThrows(AssertionError.class, () -> ConformanceChecks.gemm(dropsLastTerm, naive, c));
        assertDoesNotThrow(() -> ConformanceChecks.gemm(ReferenceLinearAlgebra.INSTANCE, naive, c));
    }

    @Test
    void ignoringTheIncrementOrWritingPaddingFails() {
        LinearAlgebra unitStride = new Delegating() {
            @Override
            protected void gemvKernel(Transpose trans, int m, int n, double alpha, double[] a, int aOff, int lda,
                                      double[] x, int xOff, int incx, double beta, double[] y, int yOff, int incy) {
                super.gemvKernel(trans, m, n, alpha, a, aOff, lda, x, xOff, incx, beta, y, yOff, 1);
            }
        };
        GemvCase strided = new GemvCase(Transpose.N, 9, 4, 1.0, 0.3, MatrixPlacement.EXACT, VectorPlacement.STRIDED, 5);
        AssertionError error = assertThrows(AssertionError.class, () -> ConformanceChecks.gemv(unitStride, strided));
        assertTrue(error.getMessage().contains("outside the output") || error.getMessage().contains("tolerance"), error::getMessage);
    }

    @Test
    void modifyingAnInputFails() {
        LinearAlgebra scratchesX = new Delegating() {
            @Override
            protected void gerKernel(int m, int n, double alpha, double[] x, int xOff, int incx,
                                     double[] y, int yOff, int incy, double[] a, int aOff, int lda) {
                super.gerKernel(m, n, alpha, x, xOff, incx, y, yOff, incy, a, aOff, lda);
                x[xOff] = 0;
            }
        };
        GerCase c = new GerCase(3, 4, 2.0, MatrixPlacement.OFFSET, VectorPlacement.OFFSET, 9);
        AssertionError error = assertThrows(AssertionError.class, () -> ConformanceChecks.ger(scratchesX, c));
        assertTrue(error.getMessage().contains("input x was modified"), error::getMessage);
    }

    @Test
    void inexactCopyFails() {
        LinearAlgebra roundsCopy = new Delegating() {
            @Override
            protected void copyKernel(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
                for (int i = 0; i < n; i++) {
                    y[yOff + i * incy] = (float) x[xOff + i * incx];
                }
            }
        };
        VectorCase c = new VectorCase(10, 1.0, VectorPlacement.EXACT, VectorPlacement.STRIDED, 11);
        assertThrows(AssertionError.class, () -> ConformanceChecks.copy(roundsCopy, c));
    }

    /** Every kernel through the reference's public entry points; tests override one with a defect. */
    private static class Delegating extends LinearAlgebra {
        private static final LinearAlgebra REF = ReferenceLinearAlgebra.INSTANCE;

        @Override
        public String name() {
            return "defective";
        }

        @Override
        protected void gemmKernel(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                                  double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                  double beta, double[] c, int cOff, int ldc) {
            REF.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }

        @Override
        protected void gemvKernel(Transpose trans, int m, int n, double alpha, double[] a, int aOff, int lda,
                                  double[] x, int xOff, int incx, double beta, double[] y, int yOff, int incy) {
            REF.gemv(trans, m, n, alpha, a, aOff, lda, x, xOff, incx, beta, y, yOff, incy);
        }

        @Override
        protected void gerKernel(int m, int n, double alpha, double[] x, int xOff, int incx,
                                 double[] y, int yOff, int incy, double[] a, int aOff, int lda) {
            REF.ger(m, n, alpha, x, xOff, incx, y, yOff, incy, a, aOff, lda);
        }

        @Override
        protected void axpyKernel(int n, double alpha, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
            REF.axpy(n, alpha, x, xOff, incx, y, yOff, incy);
        }

        @Override
        protected double dotKernel(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
            return REF.dot(n, x, xOff, incx, y, yOff, incy);
        }

        @Override
        protected void scalKernel(int n, double alpha, double[] x, int xOff, int incx) {
            REF.scal(n, alpha, x, xOff, incx);
        }

        @Override
        protected void copyKernel(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
            REF.copy(n, x, xOff, incx, y, yOff, incy);
        }
    }
}
