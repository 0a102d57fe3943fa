package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.operator.FiniteScan;

/** Input checks at the API boundary. */
final class Validation {
    private Validation() {
    }

    /**
     * Throws naming the first non-finite entry (row, column) of {@code m}. On the gradient's hot
     * path (X and Y on every call), so each column is scanned first with {@link FiniteScan} (on the
     * Vector API when the JVM has it, at the speed of a copy) and only a column that fails is searched
     * for the position.
     */
    static void requireFinite(String what, DenseMatrix m) {
        requireFinite(what, m, 0);
    }

    /** As {@link #requireFinite(String, DenseMatrix)} for columns of a larger matrix, {@code m}'s first being column {@code firstColumn}. */
    static void requireFinite(String what, DenseMatrix m, int firstColumn) {
        double[] data = m.data();
        int rows = m.rows();
        for (int j = 0; j < m.cols(); j++) {
            if (!FiniteScan.allFinite(data, m.offset() + j * m.ld(), rows)) {
                throwAtFirstNonFinite(what, m.block(0, j, rows, 1), firstColumn + j);
            }
        }
    }

    /**
     * {@code destination ← source}, throwing like {@link #requireFinite(String, DenseMatrix)} for
     * the first non-finite entry of {@code source}: the check rides on the copy (one pass over the
     * data instead of two). Same shapes (the caller's to check). On a throw, {@code destination}
     * holds a partial copy.
     */
    static void copyFinite(String what, DenseMatrix source, DenseMatrix destination) {
        double[] src = source.data();
        double[] dst = destination.data();
        int rows = source.rows();
        for (int j = 0; j < source.cols(); j++) {
            if (!FiniteScan.copyAllFinite(src, source.offset() + j * source.ld(), dst, destination.offset() + j * destination.ld(), rows)) {
                throwAtFirstNonFinite(what, source.block(0, j, rows, 1), j);
            }
        }
    }

    /** Throws naming the first non-finite entry of the one-column {@code column}, which is column j of its matrix. */
    private static void throwAtFirstNonFinite(String what, DenseMatrix column, int j) {
        for (int i = 0; i < column.rows(); i++) {
            double v = column.get(i, 0);
            if (!Double.isFinite(v)) {
                throw new NonFiniteInputException(what + " has a non-finite value " + v + " at row " + i + ", column " + j
                        + " (sample " + j + ")");
            }
        }
    }

    /** Throws naming the first non-finite entry of {@code v}. */
    static void requireFinite(String what, DenseVector v) {
        for (int i = 0; i < v.length(); i++) {
            if (!Double.isFinite(v.get(i))) {
                throw new NonFiniteInputException(what + " has a non-finite value " + v.get(i) + " at index " + i);
            }
        }
    }
}
