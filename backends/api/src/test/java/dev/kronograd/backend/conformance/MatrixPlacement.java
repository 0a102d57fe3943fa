package dev.kronograd.backend.conformance;

import java.util.List;
import java.util.Random;

/**
 * Where a column-major rows×cols matrix sits in its array: an offset, a leading dimension
 * {@code rows + ldPadding} and {@code tail} unused elements after the last column. Every element
 * outside the matrix is padding that a kernel must neither read into its result nor write.
 *
 * @param name      for failure messages
 * @param offset    index of element (0, 0)
 * @param ldPadding how much the leading dimension exceeds the row count
 * @param tail      unused elements after the matrix
 */
public record MatrixPlacement(String name, int offset, int ldPadding, int tail) {

    /** Offset 0, ld = rows, array length exactly rows·cols: what a backend may wrap without copying. */
    public static final MatrixPlacement EXACT = new MatrixPlacement("exact", 0, 0, 0);
    /** Offset 0, ld = rows, but the array is longer (e.g. vec(W) at the start of a parameter vector). */
    public static final MatrixPlacement TRAILING = new MatrixPlacement("trailing", 0, 0, 5);
    /** A view into the middle of an array with ld = rows. */
    public static final MatrixPlacement OFFSET = new MatrixPlacement("offset", 3, 0, 2);
    /** A sub-matrix view: offset and ld > rows. */
    public static final MatrixPlacement PADDED = new MatrixPlacement("padded", 2, 3, 1);

    /** All placements, from the simplest. */
    public static final List<MatrixPlacement> ALL = List.of(EXACT, TRAILING, OFFSET, PADDED);

    /** The leading dimension for a matrix with {@code rows} rows (at least 1, as BLAS requires). */
    public int ld(int rows) {
        return Math.max(1, rows + ldPadding);
    }

    /** The array length needed for a rows×cols matrix in this placement. */
    public int length(int rows, int cols) {
        return offset + (cols == 0 ? 0 : (cols - 1) * ld(rows) + rows) + tail;
    }

    /** Whether array index {@code p} holds element (i, j) of the matrix (rather than padding). */
    public boolean inside(int p, int rows, int cols) {
        int rel = p - offset;
        if (rel < 0 || rows == 0 || cols == 0) {
            return false;
        }
        int j = rel / ld(rows);
        int i = rel % ld(rows);
        return i < rows && j < cols;
    }

    /** An array for a rows×cols matrix with every element, padding included, drawn from {@code random}. */
    public double[] randomArray(int rows, int cols, Random random) {
        double[] data = new double[length(rows, cols)];
        for (int p = 0; p < data.length; p++) {
            data[p] = ConformanceChecks.randomValue(random);
        }
        return data;
    }

    @Override
    public String toString() {
        return name + "[off=" + offset + ", ld=rows+" + ldPadding + ", tail=" + tail + "]";
    }
}
