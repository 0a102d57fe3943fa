package dev.kronograd.core.operator;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;

/** I_n: applies as a copy, stores nothing. */
public final class IdentityOperator implements LinearOperator {
    private final int n;

    IdentityOperator(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("identity size must be ≥ 0, was " + n);
        }
        this.n = n;
    }

    /** The size n. */
    public int size() {
        return n;
    }

    @Override
    public int rows() {
        return n;
    }

    @Override
    public int cols() {
        return n;
    }

    @Override
    public void apply(DenseVector v, DenseVector out) {
        LinearOperator.checkApply(this, v, out);
        System.arraycopy(v.data(), v.offset(), out.data(), out.offset(), n);
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
        return n;
    }

    @Override
    public long storedDoubles() {
        return 0;
    }

    @Override
    public String describe() {
        return "I(" + n + ")";
    }

    /** The same as {@link #describe()}. */
    @Override
    public String toString() {
        return describe();
    }

    @Override
    public DenseMatrix toDense(MaterializationLimit limit) {
        limit.checkDense(this);
        return DenseMatrix.identity(n);
    }

    @Override
    public SparseMatrix toSparse(MaterializationLimit limit) {
        limit.checkSparse(this);
        return SparseMatrix.identity(n);
    }
}
