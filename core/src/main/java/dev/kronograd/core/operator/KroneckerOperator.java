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
        vecTrick(false, v, out);
    }

    @Override
    public void applyTranspose(DenseVector u, DenseVector out) {
        LinearOperator.checkApplyTranspose(this, u, out);
        vecTrick(true, u, out);
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
