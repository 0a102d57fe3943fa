package dev.kronograd.core.operator;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.Transpose;

/**
 * A ⊗ B, applied with the vec trick and never materialised:
 *
 * <pre>
 *   (A ⊗ B) vec(X) = vec(B X Aᵀ),      (A ⊗ B)ᵀ = Aᵀ ⊗ Bᵀ
 * </pre>
 *
 * For A (p×q) and B (r×s), X is s×q and the result r×p. Cost follows the factors: with an
 * identity factor one product remains; with a row-vector A, {@code (xᵀ ⊗ I_m) vec(V) = V x} is
 * one gemv and its transpose {@code (x ⊗ I_m) u = vec(u xᵀ)} one rank-1 update, with no
 * temporary. Only when neither factor is an identity does the product need a temporary, of the
 * smaller of the two intermediate shapes.
 */
public final class KroneckerOperator implements LinearOperator {
    private final LinearOperator a;
    private final LinearOperator b;
    private final LinearAlgebra la;
    private final int rows;
    private final int cols;

    KroneckerOperator(LinearOperator a, LinearOperator b, LinearAlgebra la) {
        this.a = a;
        this.b = b;
        this.la = la;
        long r = (long) a.rows() * b.rows();
        long c = (long) a.cols() * b.cols();
        if (r > Integer.MAX_VALUE || c > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(a.describe() + " ⊗ " + b.describe() + " is " + r + "×" + c
                    + ", beyond the 2³¹−1 vector length Java arrays allow");
        }
        this.rows = (int) r;
        this.cols = (int) c;
    }

    /** The left factor A. */
    public LinearOperator left() {
        return a;
    }

    /** The right factor B. */
    public LinearOperator right() {
        return b;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public void apply(DenseVector v, DenseVector out) {
        LinearOperator.checkApply(this, v, out);
        apply(false, v.data(), v.offset(), out.data(), out.offset());
    }

    @Override
    public void applyTranspose(DenseVector u, DenseVector out) {
        LinearOperator.checkApplyTranspose(this, u, out);
        apply(true, u.data(), u.offset(), out.data(), out.offset());
    }

    /**
     * out = op(this)·v on raw storage, op = transpose when {@code t}: v is {@code cols()} (or
     * {@code rows()}) contiguous elements from {@code vOff}, out likewise. Lengths are the caller's
     * to check (the public entry points and {@link BlockOperator} do). The hot path: with an
     * identity factor and a dense other factor — every Kronecker product of a layer's Jacobian —
     * it goes straight to the kernels without the matrix views {@code unvec} would allocate, which
     * the JIT does not remove behind the interface calls of an operator tree.
     */
    void apply(boolean t, double[] v, int vOff, double[] out, int outOff) {
        int p = t ? a.cols() : a.rows();
        int q = t ? a.rows() : a.cols();
        int r = t ? b.cols() : b.rows();
        int s = t ? b.rows() : b.cols();
        boolean aIdentity = a instanceof IdentityOperator;
        boolean bIdentity = b instanceof IdentityOperator;
        if (aIdentity && bIdentity) {
            System.arraycopy(v, vOff, out, outOff, s * q);
        } else if (bIdentity && a instanceof DenseOperator d) {
            // Y (r×p) = X (r×q) · op(A)ᵀ; op(A)ᵀ is M when op(A) = Mᵀ, else Mᵀ.
            boolean opIsMt = d.isTransposed() ^ t;
            DenseMatrix mat = d.matrix();
            product(false, !opIsMt, r, p, q, v, vOff, Math.max(1, r), mat, out, outOff, Math.max(1, r));
        } else if (aIdentity && b instanceof DenseOperator d) {
            // Y (r×q) = op(B) (r×s) · X (s×q).
            boolean opB = d.isTransposed() ^ t;
            productDenseLeft(opB, r, q, s, d.matrix(), v, vOff, Math.max(1, s), out, outOff, Math.max(1, r));
        } else {
            vecTrick(t, DenseVector.view(v, vOff, s * q), DenseVector.view(out, outOff, r * p));
        }
    }

    /**
     * C (m×n, ldc) = X·op(M), X m×k compact at (x, xOff, ldx), op(M) k×n with op = transpose when
     * {@code tm}; β = 0. The routing of {@link LinearAlgebra#multiply} on raw storage: a vector
     * operand goes to gemv, an inner dimension of 1 to an outer product.
     */
    private void product(boolean tx, boolean tm, int m, int n, int k, double[] x, int xOff, int ldx,
                         DenseMatrix mat, double[] c, int cOff, int ldc) {
        double[] md = mat.data();
        int mOff = mat.offset();
        int ldm = mat.ld();
        if (c == md || c == x) {
            // Aliased storage: the checked view path rejects it before touching C.
            la.multiply(Transpose.of(tx), Transpose.of(tm), 1.0, DenseMatrix.view(x, xOff, tx ? k : m, tx ? m : k, ldx), mat,
                    0.0, DenseMatrix.view(c, cOff, m, n, ldc));
        } else if (n == 1 && m > 1 && k > 0) {
            la.gemv(Transpose.of(tx), tx ? k : m, tx ? m : k, 1.0, x, xOff, ldx, md, mOff, tm ? ldm : 1, 0.0, c, cOff, 1);
        } else if (m == 1 && n > 1 && k > 0) {
            la.gemv(Transpose.of(!tm), mat.rows(), mat.cols(), 1.0, md, mOff, ldm, x, xOff, tx ? 1 : ldx, 0.0, c, cOff, ldc);
        } else if (k == 1 && m > 1 && n > 1 && !tx) {
            outerProduct(m, n, x, xOff, md, mOff, tm ? 1 : ldm, c, cOff, ldc);
        } else {
            la.gemm(Transpose.of(tx), Transpose.of(tm), m, n, k, 1.0, x, xOff, ldx, md, mOff, ldm, 0.0, c, cOff, ldc);
        }
    }

    /** C (m×n, ldc) = op(M)·X, op(M) m×k (op = transpose when {@code tm}), X k×n compact at (x, xOff, ldx); β = 0. */
    private void productDenseLeft(boolean tm, int m, int n, int k, DenseMatrix mat, double[] x, int xOff, int ldx,
                                  double[] c, int cOff, int ldc) {
        double[] md = mat.data();
        int mOff = mat.offset();
        int ldm = mat.ld();
        if (c == md || c == x) {
            la.multiply(Transpose.of(tm), Transpose.N, 1.0, mat, DenseMatrix.view(x, xOff, k, n, ldx), 0.0,
                    DenseMatrix.view(c, cOff, m, n, ldc));
        } else if (n == 1 && m > 1 && k > 0) {
            la.gemv(Transpose.of(tm), mat.rows(), mat.cols(), 1.0, md, mOff, ldm, x, xOff, 1, 0.0, c, cOff, 1);
        } else if (m == 1 && n > 1 && k > 0) {
            la.gemv(Transpose.T, k, n, 1.0, x, xOff, ldx, md, mOff, tm ? 1 : ldm, 0.0, c, cOff, ldc);
        } else if (k == 1 && m > 1 && n > 1 && !tm) {
            outerProduct(m, n, md, mOff, x, xOff, ldx, c, cOff, ldc);
        } else {
            la.gemm(Transpose.of(tm), Transpose.N, m, n, k, 1.0, md, mOff, ldm, x, xOff, ldx, 0.0, c, cOff, ldc);
        }
    }

    /**
     * C (m×n) = u·wᵀ, u contiguous, w with increment {@code incw}; overwrites C without reading it.
     * BLAS has no overwriting rank-1 kernel: zeroing then {@code ger} passes over C three times
     * (write, read, write), this once — the difference at memory-bound sizes (a B = 1 gradient).
     * The kernel uses the Vector API when the JVM has it, else C2-vectorised scalar code
     * ({@link OuterProduct}); both give the same bits.
     */
    private static void outerProduct(int m, int n, double[] u, int uOff, double[] w, int wOff, int incw,
                                     double[] c, int cOff, int ldc) {
        OuterProduct.overwrite(m, n, u, uOff, w, wOff, incw, c, cOff, ldc);
    }

    @Override
    public LinearOperator transpose() {
        return new KroneckerOperator(a.transpose(), b.transpose(), la);
    }

    /** out = vec(op(B) X op(A)ᵀ) with X = unvec(v), op = transpose when {@code t}. */
    private void vecTrick(boolean t, DenseVector v, DenseVector out) {
        int p = t ? a.cols() : a.rows();
        int q = t ? a.rows() : a.cols();
        int r = t ? b.cols() : b.rows();
        int s = t ? b.rows() : b.cols();
        DenseMatrix x = v.unvec(s, q);
        DenseMatrix y = out.unvec(r, p);
        boolean aIdentity = a instanceof IdentityOperator;
        boolean bIdentity = b instanceof IdentityOperator;
        if (aIdentity && bIdentity) {
            out.setFrom(v);
        } else if (bIdentity) {
            timesFactorTransposed(x, a, t, y);
        } else if (aIdentity) {
            factorTimes(b, t, x, y);
        } else if ((long) r * s * q + (long) r * q * p <= (long) s * q * p + (long) r * s * p) {
            DenseMatrix tmp = DenseMatrix.zeros(r, q);
            factorTimes(b, t, x, tmp);
            timesFactorTransposed(tmp, a, t, y);
        } else {
            DenseMatrix tmp = DenseMatrix.zeros(s, p);
            timesFactorTransposed(x, a, t, tmp);
            factorTimes(b, t, tmp, y);
        }
    }

    /** y = op(F)·x, op = transpose when {@code t}; x and y compact column-major. */
    private void factorTimes(LinearOperator f, boolean t, DenseMatrix x, DenseMatrix y) {
        if (f instanceof DenseOperator d) {
            la.multiply(Transpose.of(d.isTransposed() ^ t), Transpose.N, 1.0, d.matrix(), x, 0.0, y);
        } else if (f instanceof DiagonalOperator d) {
            for (int j = 0; j < x.cols(); j++) {
                la.mul(d.diagonal(), x.column(j), y.column(j));
            }
        } else {
            for (int j = 0; j < x.cols(); j++) {
                if (t) {
                    f.applyTranspose(x.column(j), y.column(j));
                } else {
                    f.apply(x.column(j), y.column(j));
                }
            }
        }
    }

    /** y = x·op(F)ᵀ, op = transpose when {@code t}; x and y compact column-major. */
    private void timesFactorTransposed(DenseMatrix x, LinearOperator f, boolean t, DenseMatrix y) {
        if (f instanceof DenseOperator d) {
            // op(F)ᵀ = M when op(F) = Mᵀ, else Mᵀ.
            boolean opIsMt = d.isTransposed() ^ t;
            la.multiply(Transpose.N, Transpose.of(!opIsMt), 1.0, x, d.matrix(), 0.0, y);
        } else if (f instanceof DiagonalOperator d) {
            for (int j = 0; j < y.cols(); j++) {
                la.copy(x.column(j), y.column(j));
                la.scal(d.diagonal().get(j), y.column(j));
            }
        } else {
            // Row i of y is op(F) applied to row i of x; rows are strided, so gather/scatter.
            DenseVector xr = DenseVector.zeros(x.cols());
            DenseVector yr = DenseVector.zeros(y.cols());
            for (int i = 0; i < x.rows(); i++) {
                for (int j = 0; j < x.cols(); j++) {
                    xr.set(j, x.get(i, j));
                }
                if (t) {
                    f.applyTranspose(xr, yr);
                } else {
                    f.apply(xr, yr);
                }
                for (int j = 0; j < y.cols(); j++) {
                    y.set(i, j, yr.get(j));
                }
            }
        }
    }

    @Override
    public long nonZeros() {
        return MaterializationLimit.saturatingMultiply(a.nonZeros(), b.nonZeros());
    }

    @Override
    public long storedDoubles() {
        return a.storedDoubles() + b.storedDoubles();
    }

    @Override
    public String describe() {
        return "(" + a.describe() + " ⊗ " + b.describe() + ")";
    }

    /** The same as {@link #describe()}. */
    @Override
    public String toString() {
        return describe();
    }

    /** Block (i, j) of the result is a_ij·B. */
    @Override
    public DenseMatrix toDense(MaterializationLimit limit) {
        limit.checkDense(this);
        DenseMatrix ad = a.toDense(limit);
        DenseMatrix bd = b.toDense(limit);
        DenseMatrix m = DenseMatrix.zeros(rows, cols);
        for (int ja = 0; ja < ad.cols(); ja++) {
            for (int ia = 0; ia < ad.rows(); ia++) {
                double aij = ad.get(ia, ja);
                for (int jb = 0; jb < bd.cols(); jb++) {
                    for (int ib = 0; ib < bd.rows(); ib++) {
                        m.set(ia * bd.rows() + ib, ja * bd.cols() + jb, aij * bd.get(ib, jb));
                    }
                }
            }
        }
        return m;
    }

    @Override
    public SparseMatrix toSparse(MaterializationLimit limit) {
        limit.checkSparse(this);
        return SparseMatrix.kron(a.toSparse(limit), b.toSparse(limit));
    }
}
