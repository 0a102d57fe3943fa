package dev.kronograd.app.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;

/** Input checks at the API boundary. */
final class Validation {
    private Validation() {
    }

    /** Throws naming the first non-finite entry (row, column) of {@code m}. */
    static void requireFinite(String what, DenseMatrix m) {
        for (int j = 0; j < m.cols(); j++) {
            for (int i = 0; i < m.rows(); i++) {
                double v = m.get(i, j);
                if (!Double.isFinite(v)) {
                    throw new NonFiniteInputException(what + " has a non-finite value " + v + " at row " + i + ", column " + j
                            + " (sample " + j + ")");
                }
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
