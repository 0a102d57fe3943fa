package dev.kronograd.core.operator;

import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.LinearAlgebra;

/** α·A. */
public final class ScaledOperator implements LinearOperator {
    private final double alpha;
    private final LinearOperator a;
    private final LinearAlgebra la;

    ScaledOperator(double alpha, LinearOperator a, LinearAlgebra la) {
        this.alpha = alpha;
        this.a = a;
        this.la = la;
    }

    @Override
    public int rows() {
        return a.rows();
    }

    @Override
    public int cols() {
        return a.cols();
    }

    @Override
    public void apply(DenseVector v, DenseVector out) {
        LinearOperator.checkApply(this, v, out);
        a.apply(v, out);
        la.scal(alpha, out);
    }

    @Override
    public void applyTranspose(DenseVector u, DenseVector out) {
        LinearOperator.checkApplyTranspose(this, u, out);
        a.applyTranspose(u, out);
        la.scal(alpha, out);
    }

    @Override
    public LinearOperator transpose() {
        return new ScaledOperator(alpha, a.transpose(), la);
    }

    @Override
    public long nonZeros() {
        return a.nonZeros();
    }

    @Override
    public long storedDoubles() {
        return a.storedDoubles() + 1;
    }

    @Override
    public String describe() {
        return alpha + "·" + a.describe();
    }

    /** The same as {@link #describe()}. */
    @Override
    public String toString() {
        return describe();
    }

    @Override
    public SparseMatrix toSparse(MaterializationLimit limit) {
        limit.checkSparse(this);
        return a.toSparse(limit).scale(alpha);
    }
}
