package dev.kronograd.core.operator;

import dev.kronograd.core.DenseVector;

/** Aᵀ of an operator, by swapping {@code apply} and {@code applyTranspose}; shares A. */
final class TransposedOperator implements LinearOperator {
    private final LinearOperator a;

    TransposedOperator(LinearOperator a) {
        this.a = a;
    }

    @Override
    public int rows() {
        return a.cols();
    }

    @Override
    public int cols() {
        return a.rows();
    }

    @Override
    public void apply(DenseVector v, DenseVector out) {
        a.applyTranspose(v, out);
    }

    @Override
    public void applyTranspose(DenseVector u, DenseVector out) {
        a.apply(u, out);
    }

    @Override
    public LinearOperator transpose() {
        return a;
    }

    @Override
    public long nonZeros() {
        return a.nonZeros();
    }

    @Override
    public long storedDoubles() {
        return a.storedDoubles();
    }

    @Override
    public String describe() {
        return "(" + a.describe() + ")ᵀ";
    }

    /** The same as {@link #describe()}. */
    @Override
    public String toString() {
        return describe();
    }

    @Override
    public SparseMatrix toSparse(MaterializationLimit limit) {
        limit.checkSparse(this);
        return a.toSparse(limit).transpose();
    }
}
