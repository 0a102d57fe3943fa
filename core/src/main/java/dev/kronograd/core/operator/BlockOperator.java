package dev.kronograd.core.operator;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.ShapeMismatchException;
import dev.kronograd.core.linalg.LinearAlgebra;

import java.util.ArrayList;
import java.util.List;

/**
 * A block stack: horizontal {@code [A₁, A₂, …]} (equal rows) or vertical {@code [A₁; A₂; …]}
 * (equal columns). The split side is applied block by block into views of the vector, so
 * {@code [A₁, A₂]ᵀ u = [A₁ᵀu; A₂ᵀu]} writes each part in place with no temporary; the summed
 * side needs one temporary of the output's length.
 */
public final class BlockOperator implements LinearOperator {
    private final List<LinearOperator> blocks;
    private final boolean horizontal;
    private final LinearAlgebra la;
    private final int rows;
    private final int cols;
    /** Where block i starts along the stacked dimension. */
    private final int[] starts;

    BlockOperator(List<LinearOperator> blocks, boolean horizontal, LinearAlgebra la) {
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("a block stack needs at least one block");
        }
        this.blocks = List.copyOf(blocks);
        this.horizontal = horizontal;
        this.la = la;
        LinearOperator first = blocks.get(0);
        long stacked = 0;
        this.starts = new int[blocks.size()];
        for (int i = 0; i < blocks.size(); i++) {
            starts[i] = (int) Math.min(stacked, Integer.MAX_VALUE);
            LinearOperator blk = blocks.get(i);
            int shared = horizontal ? blk.rows() : blk.cols();
            int expected = horizontal ? first.rows() : first.cols();
            if (shared != expected) {
                throw new ShapeMismatchException((horizontal ? "horizontal" : "vertical") + " stack: block 0 " + first.describe() + " is "
                        + ShapeMismatchException.shape(first.rows(), first.cols()) + " but block " + i + " " + blk.describe() + " is "
                        + ShapeMismatchException.shape(blk.rows(), blk.cols()) + "; expected " + (horizontal ? "rows " : "cols ") + expected);
            }
            stacked += horizontal ? blk.cols() : blk.rows();
        }
        if (stacked > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("block stack of " + stacked + " exceeds the 2³¹−1 vector length Java arrays allow");
        }
        this.rows = horizontal ? first.rows() : (int) stacked;
        this.cols = horizontal ? (int) stacked : first.cols();
    }

    /** The blocks, in order. */
    public List<LinearOperator> blocks() {
        return blocks;
    }

    /** True for {@code [A₁, A₂, …]}, false for {@code [A₁; A₂; …]}. */
    public boolean isHorizontal() {
        return horizontal;
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
        if (horizontal) {
            sumOfParts(false, v, out);
        } else {
            splitIntoParts(false, v, out);
        }
    }

    @Override
    public void applyTranspose(DenseVector u, DenseVector out) {
        LinearOperator.checkApplyTranspose(this, u, out);
        if (horizontal) {
            splitIntoParts(true, u, out);
        } else {
            sumOfParts(true, u, out);
        }
    }

    /** out = Σ_i op(A_i) v_i, where v is split along the stacked dimension. */
    private void sumOfParts(boolean t, DenseVector v, DenseVector out) {
        DenseVector tmp = blocks.size() > 1 ? DenseVector.zeros(out.length()) : null;
        for (int i = 0; i < blocks.size(); i++) {
            LinearOperator blk = blocks.get(i);
            DenseVector target = i == 0 ? out : tmp;
            if (blk instanceof KroneckerOperator k) {
                k.apply(t, v.data(), v.offset() + starts[i], target.data(), target.offset());
            } else {
                DenseVector part = v.slice(starts[i], t ? blk.rows() : blk.cols());
                if (t) {
                    blk.applyTranspose(part, target);
                } else {
                    blk.apply(part, target);
                }
            }
            if (i > 0) {
                la.axpy(1.0, tmp, out);
            }
        }
    }

    /**
     * out_i = op(A_i) v for each block, each written into its own part of out. Kronecker blocks
     * (a layer's Jacobian is made of them) write there directly, without a slice view per block.
     */
    private void splitIntoParts(boolean t, DenseVector v, DenseVector out) {
        for (int i = 0; i < blocks.size(); i++) {
            LinearOperator blk = blocks.get(i);
            if (blk instanceof KroneckerOperator k) {
                k.apply(t, v.data(), v.offset(), out.data(), out.offset() + starts[i]);
            } else {
                DenseVector part = out.slice(starts[i], t ? blk.cols() : blk.rows());
                if (t) {
                    blk.applyTranspose(v, part);
                } else {
                    blk.apply(v, part);
                }
            }
        }
    }

    @Override
    public LinearOperator transpose() {
        List<LinearOperator> t = new ArrayList<>(blocks.size());
        for (LinearOperator blk : blocks) {
            t.add(blk.transpose());
        }
        return new BlockOperator(t, !horizontal, la);
    }

    @Override
    public long nonZeros() {
        long n = 0;
        for (LinearOperator blk : blocks) {
            long add = blk.nonZeros();
            n = n > Long.MAX_VALUE - add ? Long.MAX_VALUE : n + add;
        }
        return n;
    }

    @Override
    public long storedDoubles() {
        long n = 0;
        for (LinearOperator blk : blocks) {
            n += blk.storedDoubles();
        }
        return n;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < blocks.size(); i++) {
            sb.append(i == 0 ? "" : horizontal ? ", " : "; ").append(blocks.get(i).describe());
        }
        return sb.append(']').toString();
    }

    /** The same as {@link #describe()}. */
    @Override
    public String toString() {
        return describe();
    }

    @Override
    public DenseMatrix toDense(MaterializationLimit limit) {
        limit.checkDense(this);
        DenseMatrix m = DenseMatrix.zeros(rows, cols);
        int from = 0;
        for (LinearOperator blk : blocks) {
            DenseMatrix part = blk.toDense(limit);
            if (horizontal) {
                m.block(0, from, part.rows(), part.cols()).setFrom(part);
                from += part.cols();
            } else {
                m.block(from, 0, part.rows(), part.cols()).setFrom(part);
                from += part.rows();
            }
        }
        return m;
    }

    @Override
    public SparseMatrix toSparse(MaterializationLimit limit) {
        limit.checkSparse(this);
        List<SparseMatrix> parts = new ArrayList<>(blocks.size());
        for (LinearOperator blk : blocks) {
            parts.add(blk.toSparse(limit));
        }
        return horizontal ? SparseMatrix.horizontal(parts) : SparseMatrix.vertical(parts);
    }
}
