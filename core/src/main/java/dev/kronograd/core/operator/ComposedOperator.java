package dev.kronograd.core.operator;

import dev.kronograd.core.DenseVector;
import dev.kronograd.core.ShapeMismatchException;

import java.util.ArrayList;
import java.util.List;

/**
 * A product A₁·A₂·…·A_k, applied right to left ({@code A₁(A₂(…(A_k v)))}) with one temporary
 * per inner factor; its transpose applies {@code A_kᵀ(…(A₁ᵀ u))}.
 */
public final class ComposedOperator implements LinearOperator {
    private final List<LinearOperator> factors;

    ComposedOperator(List<LinearOperator> factors) {
        if (factors.isEmpty()) {
            throw new IllegalArgumentException("a composition needs at least one factor");
        }
        for (int i = 0; i + 1 < factors.size(); i++) {
            LinearOperator left = factors.get(i);
            LinearOperator right = factors.get(i + 1);
            if (left.cols() != right.rows()) {
                throw new ShapeMismatchException("composition: factor " + i + " " + left.describe() + " is "
                        + ShapeMismatchException.shape(left.rows(), left.cols()) + " but factor " + (i + 1) + " " + right.describe() + " is "
                        + ShapeMismatchException.shape(right.rows(), right.cols()) + "; expected " + left.cols() + " rows");
            }
        }
        this.factors = List.copyOf(factors);
    }

    /** The factors, left to right. */
    public List<LinearOperator> factors() {
        return factors;
    }

    @Override
    public int rows() {
        return factors.get(0).rows();
    }

    @Override
    public int cols() {
        return factors.get(factors.size() - 1).cols();
    }

    @Override
    public void apply(DenseVector v, DenseVector out) {
        LinearOperator.checkApply(this, v, out);
        DenseVector cur = v;
        for (int i = factors.size() - 1; i >= 0; i--) {
            LinearOperator f = factors.get(i);
            DenseVector next = i == 0 ? out : DenseVector.zeros(f.rows());
            f.apply(cur, next);
            cur = next;
        }
    }

    @Override
    public void applyTranspose(DenseVector u, DenseVector out) {
        LinearOperator.checkApplyTranspose(this, u, out);
        DenseVector cur = u;
        for (int i = 0; i < factors.size(); i++) {
            LinearOperator f = factors.get(i);
            DenseVector next = i == factors.size() - 1 ? out : DenseVector.zeros(f.cols());
            f.applyTranspose(cur, next);
            cur = next;
        }
    }

    @Override
    public LinearOperator transpose() {
        List<LinearOperator> t = new ArrayList<>(factors.size());
        for (int i = factors.size() - 1; i >= 0; i--) {
            t.add(factors.get(i).transpose());
        }
        return new ComposedOperator(t);
    }

    /** Structural bound: diagonal and identity factors keep the pattern, others multiply it. */
    @Override
    public long nonZeros() {
        long nnz = -1;
        for (int i = factors.size() - 1; i >= 0; i--) {
            LinearOperator f = factors.get(i);
            if (nnz < 0) {
                nnz = f.nonZeros();
            } else if (!(f instanceof DiagonalOperator || f instanceof IdentityOperator)) {
                nnz = MaterializationLimit.saturatingMultiply(nnz, Math.max(1, f.nonZeros()));
            }
            nnz = Math.min(nnz, MaterializationLimit.saturatingMultiply(f.rows(), cols()));
        }
        return nnz;
    }

    @Override
    public long storedDoubles() {
        long n = 0;
        for (LinearOperator f : factors) {
            n += f.storedDoubles();
        }
        return n;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < factors.size(); i++) {
            sb.append(i == 0 ? "" : "·").append(factors.get(i).describe());
        }
        return sb.toString();
    }

    /** The same as {@link #describe()}. */
    @Override
    public String toString() {
        return describe();
    }

    @Override
    public SparseMatrix toSparse(MaterializationLimit limit) {
        limit.checkSparse(this);
        SparseMatrix acc = factors.get(factors.size() - 1).toSparse(limit);
        for (int i = factors.size() - 2; i >= 0; i--) {
            acc = SparseMatrix.multiply(factors.get(i).toSparse(limit), acc);
        }
        return acc;
    }
}
