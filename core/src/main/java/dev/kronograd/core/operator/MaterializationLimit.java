package dev.kronograd.core.operator;

import java.util.Locale;

/**
 * The most memory a dense or sparse materialisation may take. The default is 256 MiB, or the
 * system property {@code kronograd.materialize.maxBytes} (a number of bytes, with an optional
 * {@code k}, {@code m} or {@code g} suffix).
 *
 * @param maxBytes the limit in bytes, ≥ 0
 */
public record MaterializationLimit(long maxBytes) {

    /** The system property that overrides the default limit. */
    public static final String PROPERTY = "kronograd.materialize.maxBytes";

    /** 256 MiB. */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;
    private static final MaterializationLimit DEFAULT = new MaterializationLimit(DEFAULT_MAX_BYTES);

    public MaterializationLimit {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be ≥ 0, was " + maxBytes);
        }
    }

    /** A limit of {@code maxBytes} bytes. */
    public static MaterializationLimit ofBytes(long maxBytes) {
        return new MaterializationLimit(maxBytes);
    }

    /** No limit beyond what Java arrays can hold. */
    public static MaterializationLimit unlimited() {
        return new MaterializationLimit(Long.MAX_VALUE);
    }

    /** The library's default limit, {@link #DEFAULT_MAX_BYTES} (256 MiB); reads no property. */
    public static MaterializationLimit defaults() {
        return DEFAULT;
    }

    /**
     * The limit from the system property {@value #PROPERTY}, else {@link #DEFAULT_MAX_BYTES}: for
     * applications that let their users configure it (the CLI does); the library itself reads no
     * property.
     *
     * @throws IllegalArgumentException naming the property when its value is not a byte count
     */
    public static MaterializationLimit fromSystemProperties() {
        String value = System.getProperty(PROPERTY);
        return value == null || value.isBlank() ? DEFAULT : new MaterializationLimit(parseBytes(value));
    }

    /** Parses {@code 1048576}, {@code 512k}, {@code 256m}, {@code 2g}. */
    public static long parseBytes(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("k") || t.endsWith("m") || t.endsWith("g")) {
            unit = switch (t.charAt(t.length() - 1)) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                default -> 1L << 30;
            };
            t = t.substring(0, t.length() - 1).trim();
        }
        try {
            return Math.multiplyExact(Long.parseLong(t), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(PROPERTY + " must be a byte count such as 268435456, 512m or 2g, was '" + text + "'", e);
        }
    }

    /** Bytes a dense {@code rows×cols} double matrix needs. */
    public static long denseBytes(long rows, long cols) {
        return saturatingMultiply(saturatingMultiply(rows, cols), Double.BYTES);
    }

    /** Bytes a CSC matrix with {@code nonZeros} entries and {@code cols} columns needs. */
    public static long sparseBytes(long nonZeros, long cols) {
        return saturatingMultiply(nonZeros, Double.BYTES + Integer.BYTES) + saturatingMultiply(cols + 1, Integer.BYTES);
    }

    /** Throws unless {@code op}'s dense form fits in the limit and in one Java array. */
    public void checkDense(LinearOperator op) {
        long bytes = denseBytes(op.rows(), op.cols());
        if (bytes > maxBytes || (long) op.rows() * op.cols() > Integer.MAX_VALUE - 8) {
            throw new MaterializationTooLargeException("dense materialisation of " + op.describe() + " (" + op.rows() + "×" + op.cols()
                    + ") would need " + human(bytes) + ", over the limit of " + human(maxBytes) + " (" + PROPERTY
                    + "); the structured operator holds " + human(op.storedDoubles() * Double.BYTES)
                    + " — apply it with apply()/applyTranspose() instead, or use toSparse() (" + op.nonZeros() + " non-zeros)", bytes, maxBytes);
        }
    }

    /** Throws unless {@code op}'s sparse form fits in the limit and in Java arrays. */
    public void checkSparse(LinearOperator op) {
        long nnz = op.nonZeros();
        long bytes = sparseBytes(nnz, op.cols());
        if (bytes > maxBytes || nnz > Integer.MAX_VALUE - 8) {
            throw new MaterializationTooLargeException("sparse materialisation of " + op.describe() + " (" + op.rows() + "×" + op.cols()
                    + ", " + nnz + " non-zeros) would need " + human(bytes) + ", over the limit of " + human(maxBytes) + " (" + PROPERTY
                    + "); the structured operator holds " + human(op.storedDoubles() * Double.BYTES)
                    + " — apply it with apply()/applyTranspose() instead", bytes, maxBytes);
        }
    }

    /** Bytes in a readable unit: {@code 550.0 GB}, {@code 12.3 kB} (decimal units). */
    public static String human(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "more than 9.2 EB";
        }
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** a·b, or Long.MAX_VALUE when it overflows (sizes that cannot exist anyway). */
    public static long saturatingMultiply(long a, long b) {
        long r = a * b;
        long hi = Math.multiplyHigh(a, b);
        return (hi == 0 && r >= 0) ? r : Long.MAX_VALUE;
    }
}
