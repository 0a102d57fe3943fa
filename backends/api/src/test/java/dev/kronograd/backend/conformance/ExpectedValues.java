package dev.kronograd.backend.conformance;

import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import dev.kronograd.core.linalg.Transpose;

/**
 * The oracle {@link ConformanceChecks} compares a backend with: computes what each operation must
 * produce, with the arguments and the output semantics of {@link LinearAlgebra}'s entry points
 * (outputs are modified in place; with β = 0 the old output is not read).
 *
 * <p>{@link #REFERENCE}, {@link ReferenceLinearAlgebra}, is the oracle for every backend. The
 * reference itself is checked against {@link NaiveDenseExpectedValues}, textbook arithmetic on
 * {@code double[][]} — comparing the reference with itself could not fail.
 */
public interface ExpectedValues {

    /** {@link ReferenceLinearAlgebra#INSTANCE}. */
    ExpectedValues REFERENCE = new ExpectedValues() {
        private final LinearAlgebra reference = ReferenceLinearAlgebra.INSTANCE;

        @Override
        public void gemm(Transpose transA, Transpose transB, int m, int n, int k, double alpha, double[] a, int aOff,
                         int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
            reference.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }

        @Override
        public void gemv(Transpose trans, int m, int n, double alpha, double[] a, int aOff, int lda,
                         double[] x, int xOff, int incx, double beta, double[] y, int yOff, int incy) {
            reference.gemv(trans, m, n, alpha, a, aOff, lda, x, xOff, incx, beta, y, yOff, incy);
        }

        @Override
        public void ger(int m, int n, double alpha, double[] x, int xOff, int incx, double[] y, int yOff, int incy,
                        double[] a, int aOff, int lda) {
            reference.ger(m, n, alpha, x, xOff, incx, y, yOff, incy, a, aOff, lda);
        }

        @Override
        public void axpy(int n, double alpha, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
            reference.axpy(n, alpha, x, xOff, incx, y, yOff, incy);
        }

        @Override
        public double dot(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
            return reference.dot(n, x, xOff, incx, y, yOff, incy);
        }

        @Override
        public void scal(int n, double alpha, double[] x, int xOff, int incx) {
            reference.scal(n, alpha, x, xOff, incx);
        }

        @Override
        public void copy(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
            reference.copy(n, x, xOff, incx, y, yOff, incy);
        }

        @Override
        public void mul(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff) {
            reference.mul(n, x, xOff, y, yOff, z, zOff);
        }

        @Override
        public String toString() {
            return "the reference";
        }
    };

    /** C = α·op(A)·op(B) + β·C (C m×n, column-major at cOff with leading dimension ldc). */
    void gemm(Transpose transA, Transpose transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
              double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc);

    /** y = α·op(A)·x + β·y, A m×n as stored. */
    void gemv(Transpose trans, int m, int n, double alpha, double[] a, int aOff, int lda,
              double[] x, int xOff, int incx, double beta, double[] y, int yOff, int incy);

    /** A = α·x·yᵀ + A. */
    void ger(int m, int n, double alpha, double[] x, int xOff, int incx, double[] y, int yOff, int incy,
             double[] a, int aOff, int lda);

    /** y = α·x + y. */
    void axpy(int n, double alpha, double[] x, int xOff, int incx, double[] y, int yOff, int incy);

    /** xᵀy. */
    double dot(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy);

    /** x = α·x. */
    void scal(int n, double alpha, double[] x, int xOff, int incx);

    /** y = x. */
    void copy(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy);

    /** z = x ⊙ y on contiguous ranges; z may be exactly x. */
    void mul(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff);
}
