package dev.kronograd.core.operator;

import dev.kronograd.core.DenseVector;
import dev.kronograd.core.ShapeMismatchException;
import dev.kronograd.core.linalg.LinearAlgebra;

import java.util.ArrayList;
import java.util.List;

/** A₁ + A₂ + … (equal shapes), with one temporary of the output's length. */
public final class SumOperator implements LinearOperator {
    private final List<LinearOperator> terms;
    private final LinearAlgebra la;

    SumOperator(List<LinearOperator> terms, LinearAlgebra la) {
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("a sum needs at least one term");
        }
        LinearOperator first = terms.get(0);
        for (int i = 1; i < terms.size(); i++) {
            LinearOperator t = terms.get(i);
            if (t.rows() != first.rows() || t.cols() != first.cols()) {
                throw new ShapeMismatchException("Must be same shape: term 0 " + first.describe() + " is "
                        + ShapeMismatchException.shape(first.rows(), first.cols()) + " but term " + i + " " + t.describe() + " is "
                        + ShapeMismatchException.shape(t.rows(), t.cols()));
            }
        }
        this.terms = List.copyOf(terms);
        this.la = la;
    }

    /** The terms, in order. */
    public List<LinearOperator> terms() {
        return terms;
    }

    @Override
    public int rows() {
        return terms.get(0).rows();
    }

    @Override
    public int cols() {
        return terms.get(0).cols();
    }

    @Override
    public void apply(DenseVector v, DenseVector out) {
        LinearOperator.checkApply(this, v, out);
        accumulate(false, v, out);
    }

    @Override
    public void applyTranspose(DenseVector u, DenseVector out) {
        LinearOperator.checkApplyTranspose(this, u, out);
        accumulate(true, u, out);
    }

    private void accumulate(boolean t, DenseVector v, DenseVector out) {
        DenseVector tmp = terms.size() > 1 ? DenseVector.zeros(out.length()) : null;
        for (int i = 0; i < terms.size(); i++) {
            DenseVector target = i == 0 ? out : tmp;
            if (t) {
                terms.get(i).applyTranspose(v, target);
            } else {
                terms.get(i).apply(v, target);
            }
            if (i > 0) {
                la.axpy(1.0, tmp, out);
            }
        }
    }

    @Override
    public LinearOperator transpose() {
        List<LinearOperator> t = new ArrayList<>(terms.size());
        for (LinearOperator term : terms) {
            t.add(term.transpose());
        }
        return new SumOperator(t, la);
    }

    @Override
    public long nonZeros() {
        long n = 0;
        for (LinearOperator t : terms) {
            long add = t.nonZeros();
            n = n > Long.MAX_VALUE - add ? Long.MAX_VALUE : n + add;
        }
        return Math.min(n, MaterializationLimit.saturatingMultiply(rows(), cols()));
    }

    @Override
    public long storedDoubles() {
        long n = 0;
        for (LinearOperator t : terms) {
            n += t.storedDoubles();
        }
        return n;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < terms.size(); i++) {
            sb.append(i == 0 ? "" : " + ").append(terms.get(i).describe());
        }
        return sb.append(')').toString();
    }

    /** The same as {@link #describe()}. */
    @Override
    public String toString() {
        return describe();
    }

    @Override
    public SparseMatrix toSparse(MaterializationLimit limit) {
        limit.checkSparse(this);
        SparseMatrix acc = terms.get(0).toSparse(limit);
        for (int i = 1; i < terms.size(); i++) {
            acc = SparseMatrix.add(acc, terms.get(i).toSparse(limit));
        }
        return acc;
    }
}
