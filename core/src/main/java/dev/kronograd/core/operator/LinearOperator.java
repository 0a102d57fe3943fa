package dev.kronograd.core.operator;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.ShapeMismatchException;

/**
 * A linear map ℝ^cols → ℝ^rows applied through its structure, never through a filled matrix.
 *
 * <p>Implementations are immutable and thread-safe: they hold references to their factors' data
 * (views, not copies — do not change a factor's storage while an operator built on it is in
 * use) and allocate any scratch per call. {@code out} must not share storage with the input.
 *
 * <p>Materialisation ({@link #toDense}, {@link #toSparse}) is for small cases, checks and
 * pictures; it is guarded by a {@link MaterializationLimit} and fails with the size it would
 * need.
 */
public interface LinearOperator {

    /** Number of rows (length of {@code A v}). */
    int rows();

    /** Number of columns (length of {@code v}). */
    int cols();

    /**
     * out = A·v. v: length {@link #cols()}, not modified. out: length {@link #rows()}, overwritten.
     *
     * @throws ShapeMismatchException when a length is wrong
     */
    void apply(DenseVector v, DenseVector out);

    /**
     * out = Aᵀ·u. u: length {@link #rows()}, not modified. out: length {@link #cols()}, overwritten.
     *
     * @throws ShapeMismatchException when a length is wrong
     */
    void applyTranspose(DenseVector u, DenseVector out);

    /** A·v into a new vector. */
    default DenseVector apply(DenseVector v) {
        DenseVector out = DenseVector.zeros(rows());
        apply(v, out);
        return out;
    }

    /** Aᵀ·u into a new vector. */
    default DenseVector applyTranspose(DenseVector u) {
        DenseVector out = DenseVector.zeros(cols());
        applyTranspose(u, out);
        return out;
    }

    /** Aᵀ as an operator, sharing storage (no copy). */
    default LinearOperator transpose() {
        return new TransposedOperator(this);
    }

    /**
     * Structural non-zeros: the entries a sparse materialisation stores (an upper bound on the
     * true non-zeros, exact for the structures this algebra builds).
     */
    long nonZeros();

    /** Doubles this operator's structure holds or references: its true memory footprint. */
    long storedDoubles();

    /** A one-line formula of the structure, e.g. {@code diag(3)·(x̄ᵀ ⊗ I₃)}. */
    String describe();

    /** The dense rows×cols matrix, guarded by the default limit {@link MaterializationLimit#defaults()} (256 MiB). */
    default DenseMatrix toDense() {
        return toDense(MaterializationLimit.defaults());
    }

    /**
     * The dense rows×cols matrix.
     *
     * @throws MaterializationTooLargeException if it would need more than {@code limit} bytes
     */
    default DenseMatrix toDense(MaterializationLimit limit) {
        limit.checkDense(this);
        DenseMatrix m = DenseMatrix.zeros(rows(), cols());
        DenseVector e = DenseVector.zeros(cols());
        for (int j = 0; j < cols(); j++) {
            e.set(j, 1.0);
            apply(e, m.column(j));
            e.set(j, 0.0);
        }
        return m;
    }

    /** The sparse (CSC) matrix, guarded by the default limit {@link MaterializationLimit#defaults()} (256 MiB). */
    default SparseMatrix toSparse() {
        return toSparse(MaterializationLimit.defaults());
    }

    /**
     * The compressed-sparse-column matrix of the structure.
     *
     * @throws MaterializationTooLargeException if it would need more than {@code limit} bytes
     */
    SparseMatrix toSparse(MaterializationLimit limit);

    /** Throws unless {@code v} has length {@link #cols()} and {@code out} length {@link #rows()}. */
    static void checkApply(LinearOperator op, DenseVector v, DenseVector out) {
        if (v.length() != op.cols()) {
            throw new ShapeMismatchException(op.describe() + " is " + ShapeMismatchException.shape(op.rows(), op.cols())
                    + " but v has length " + v.length() + "; expected " + op.cols());
        }
        if (out.length() != op.rows()) {
            throw new ShapeMismatchException(op.describe() + " is " + ShapeMismatchException.shape(op.rows(), op.cols())
                    + " but out has length " + out.length() + "; expected " + op.rows());
        }
    }

    /** Throws unless {@code u} has length {@link #rows()} and {@code out} length {@link #cols()}. */
    static void checkApplyTranspose(LinearOperator op, DenseVector u, DenseVector out) {
        if (u.length() != op.rows()) {
            throw new ShapeMismatchException("transpose of " + op.describe() + " is " + ShapeMismatchException.shape(op.cols(), op.rows())
                    + " but u has length " + u.length() + "; expected " + op.rows());
        }
        if (out.length() != op.cols()) {
            throw new ShapeMismatchException("transpose of " + op.describe() + " is " + ShapeMismatchException.shape(op.cols(), op.rows())
                    + " but out has length " + out.length() + "; expected " + op.cols());
        }
    }
}
