package dev.kronograd.backend.conformance;

import java.util.List;
import java.util.Random;

/**
 * Where a vector of length n sits in its array: an offset, an increment (stride) and {@code tail}
 * unused elements after the last entry. Elements between strided entries are padding.
 *
 * @param name   for failure messages
 * @param offset index of entry 0
 * @param inc    the increment, ≥ 1
 * @param tail   unused elements after the last entry
 */
public record VectorPlacement(String name, int offset, int inc, int tail) {

    /** Contiguous from index 0, array length exactly n. */
    public static final VectorPlacement EXACT = new VectorPlacement("exact", 0, 1, 0);
    /** Contiguous, starting at an offset, with unused elements after it. */
    public static final VectorPlacement OFFSET = new VectorPlacement("offset", 2, 1, 3);
    /** A strided view, e.g. a row of a column-major matrix. */
    public static final VectorPlacement STRIDED = new VectorPlacement("strided", 1, 3, 2);

    /** All placements, from the simplest. */
    public static final List<VectorPlacement> ALL = List.of(EXACT, OFFSET, STRIDED);

    /** The array length needed for a vector of length n. */
    public int length(int n) {
        return offset + (n == 0 ? 0 : (n - 1) * inc + 1) + tail;
    }

    /** Whether array index {@code p} holds an entry of the vector. */
    public boolean inside(int p, int n) {
        int rel = p - offset;
        return rel >= 0 && rel % inc == 0 && rel / inc < n;
    }

    /** An array for a vector of length n with every element, padding included, drawn from {@code random}. */
    public double[] randomArray(int n, Random random) {
        double[] data = new double[length(n)];
        for (int p = 0; p < data.length; p++) {
            data[p] = ConformanceChecks.randomValue(random);
        }
        return data;
    }

    @Override
    public String toString() {
        return name + "[off=" + offset + ", inc=" + inc + ", tail=" + tail + "]";
    }
}
