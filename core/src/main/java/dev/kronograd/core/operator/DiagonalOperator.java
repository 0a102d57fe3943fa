package dev.kronograd.core.operator;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.LinearAlgebra;

/**
 * diag(d): applies as an elementwise product, stores only d (a view, not a copy). Unlike other
 * operators it may be applied in place ({@code out} the very same view as {@code v}).
 */
public final class DiagonalOperator implements LinearOperator {
    private final DenseVector d;
    private final LinearAlgebra la;

    DiagonalOperator(DenseVector d, LinearAlgebra la) {
        this.d = d;
        this.la = la;
    }

    /** The diagonal (a view of the caller's storage). */
    public DenseVector diagonal() {
        return d;
    }

    @Override
    public int rows() {
        return d.length();
    }

    @Override
    public int cols() {
        return d.length();
    }

    @Override
    public void apply(DenseVector v, DenseVector out) {
        LinearOperator.checkApply(this, v, out);
        la.mul(d, v, out);
    }

    @Override
    public void applyTranspose(DenseVector u, DenseVector out) {
        apply(u, out);
    }

    @Override
    public LinearOperator transpose() {
        return this;
    }

    @Override
    public long nonZeros() {
        return d.length();
    }

    @Override
    public long storedDoubles() {
        return d.length();
    }

    @Override
    public String describe() {
        return "diag(" + d.length() + ")";
    }

    /** The same as {@link #describe()}. */
    @Override
    public String toString() {
        return describe();
    }

    @Override
    public DenseMatrix toDense(MaterializationLimit limit) {
        limit.checkDense(this);
        DenseMatrix m = DenseMatrix.zeros(d.length(), d.length());
        for (int i = 0; i < d.length(); i++) {
            m.set(i, i, d.get(i));
        }
        return m;
    }

    @Override
    public SparseMatrix toSparse(MaterializationLimit limit) {
        limit.checkSparse(this);
        return SparseMatrix.diagonal(d);
    }
}
