package dev.kronograd.sdk.nn;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kronograd.core.DenseMatrix;
import org.junit.jupiter.api.Test;

/** The branch-free finite check of X and Y: the same verdicts and positions as a plain isFinite loop. */
class ValidationTest {

    @Test
    void acceptsEveryFiniteValueIncludingTheExtremes() {
        double[] values = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, 1.0, -1.0,
            Double.MAX_VALUE, -Double.MAX_VALUE, Math.nextDown(Double.MAX_VALUE), 1e308, -1e-310};
        DenseMatrix m = DenseMatrix.wrap(values, 3, 4);
        assertDoesNotThrow(() -> Validation.requireFinite("inputs", m));
    }

    @Test
    void namesTheFirstNonFiniteEntryInColumnMajorOrder() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.longBitsToDouble(0xfff8_0000_0000_0001L)}) {
            DenseMatrix m = DenseMatrix.zeros(5, 3);
            m.set(4, 2, bad);
            m.set(1, 1, bad);
            NonFiniteInputException e = assertThrows(NonFiniteInputException.class, () -> Validation.requireFinite("targets", m));
            assertEquals("targets has a non-finite value " + bad + " at row 1, column 1 (sample 1)", e.getMessage());
        }
    }

    @Test
    void looksOnlyInsideAViewWithALeadingDimension() {
        double[] data = new double[6 * 4];
        java.util.Arrays.fill(data, Double.NaN);
        DenseMatrix view = DenseMatrix.view(data, 7, 3, 3, 6); // rows 1..3 of a 6-row array, columns 1..3
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 3; i++) {
                view.set(i, j, i - j);
            }
        }
        assertDoesNotThrow(() -> Validation.requireFinite("inputs", view));
        view.set(2, 2, Double.POSITIVE_INFINITY);
        NonFiniteInputException e = assertThrows(NonFiniteInputException.class, () -> Validation.requireFinite("inputs", view));
        assertEquals("inputs has a non-finite value Infinity at row 2, column 2 (sample 2)", e.getMessage());
    }
}
