package dev.kronograd.core.operator;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.Transpose;

/**
 * A dense matrix M, or its transpose Mᵀ, as an operator: applies with one gemv. Shares M's
 * storage; the transposed form is a flag, never a copy.
 */
public final class DenseOperator implements LinearOperator {
    private final DenseMatrix m;
    private final boolean transposed;
    private final LinearAlgebra la;

    DenseOperator(DenseMatrix m, boolean transposed, LinearAlgebra la) {
        this.m = m;
        this.transposed = transposed;
        this.la = la;
    }

    /** The stored matrix M (a view, shared). */
    public DenseMatrix matrix() {
        return m;
    }

    /** Whether this operator is Mᵀ rather than M. */
    public boolean isTransposed() {
        return transposed;
    }

    @Override
    public int rows() {
        return transposed ? m.cols() : m.rows();
    }

    @Override
    public int cols() {
        return transposed ? m.rows() : m.cols();
    }

    @Override
    public void apply(DenseVector v, DenseVector out) {
        LinearOperator.checkApply(this, v, out);
        la.multiply(Transpose.of(transposed), 1.0, m, v, 0.0, out);
    }

    @Override
    public void applyTranspose(DenseVector u, DenseVector out) {
        LinearOperator.checkApplyTranspose(this, u, out);
        la.multiply(Transpose.of(!transposed), 1.0, m, u, 0.0, out);
    }

    @Override
    public LinearOperator transpose() {
        return new DenseOperator(m, !transposed, la);
    }

    @Override
    public long nonZeros() {
        return m.size();
    }

    @Override
    public long storedDoubles() {
        return m.size();
    }

    @Override
    public String describe() {
        return transposed ? "M(" + m.shape() + ")ᵀ" : "M(" + m.shape() + ")";
    }

    /** The same as {@link #describe()}. */
    @Override
    public String toString() {
        return describe();
    }

    @Override
    public DenseMatrix toDense(MaterializationLimit limit) {
        limit.checkDense(this);
        return transposed ? m.transposeCopy() : m.copy();
    }

    @Override
    public SparseMatrix toSparse(MaterializationLimit limit) {
        limit.checkSparse(this);
        return SparseMatrix.ofDense(m, transposed);
    }
}
