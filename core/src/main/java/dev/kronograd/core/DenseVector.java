package dev.kronograd.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * A contiguous view of {@code length} doubles of a backing array, starting at {@code offset}.
 *
 * <p>Vectors are views: they share the backing array, so {@link DenseMatrix#vec()} and
 * {@link #unvec(int, int)} copy nothing. A vector is mutable (a buffer), not thread-safe to
 * write; reading from several threads is safe when nobody writes.
 */
public final class DenseVector {
    private final double[] data;
    private final int offset;
    private final int length;

    private DenseVector(double[] data, int offset, int length) {
        this.data = data;
        this.offset = offset;
        this.length = length;
    }

    /** A view of {@code data[offset .. offset+length)}. Not copied. */
    public static DenseVector view(double[] data, int offset, int length) {
        Objects.requireNonNull(data, "data");
        if (offset < 0 || length < 0 || (long) offset + length > data.length) {
            throw new IndexOutOfBoundsException("vector view [" + offset + ", " + ((long) offset + length)
                    + ") does not fit an array of length " + data.length);
        }
        return new DenseVector(data, offset, length);
    }

    /** A view of the whole array. Not copied. */
    public static DenseVector wrap(double... data) {
        return view(data, 0, data.length);
    }

    /** A new zero vector. */
    public static DenseVector zeros(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("vector length must be ≥ 0, was " + length);
        }
        return new DenseVector(new double[length], 0, length);
    }

    /** A new vector holding a copy of {@code values}. */
    public static DenseVector of(double... values) {
        return wrap(values.clone());
    }

    public int length() {
        return length;
    }

    /** The backing array (shared, not copied). */
    public double[] data() {
        return data;
    }

    /** Index of element 0 in {@link #data()}. */
    public int offset() {
        return offset;
    }

    public double get(int i) {
        return data[offset + Objects.checkIndex(i, length)];
    }

    public void set(int i, double value) {
        data[offset + Objects.checkIndex(i, length)] = value;
    }

    /** Elements {@code [from, from+len)} as a view. */
    public DenseVector slice(int from, int len) {
        if (from < 0 || len < 0 || (long) from + len > length) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + ((long) from + len)
                    + ") of a vector of length " + length);
        }
        return new DenseVector(data, offset + from, len);
    }

    /**
     * The column-major {@code rows×cols} matrix whose vec is this vector: a view, no copy.
     * Inverse of {@link DenseMatrix#vec()}.
     */
    public DenseMatrix unvec(int rows, int cols) {
        if (rows < 0 || cols < 0 || (long) rows * cols != length) {
            throw new ShapeMismatchException("cannot unvec a vector of length " + length + " to "
                    + ShapeMismatchException.shape(rows, cols) + "; expected length " + (long) rows * cols);
        }
        return DenseMatrix.view(data, offset, rows, cols, Math.max(1, rows));
    }

    /** Sets every element to {@code value}. */
    public DenseVector fill(double value) {
        Arrays.fill(data, offset, offset + length, value);
        return this;
    }

    /** Copies {@code source} into this vector. Shapes must agree. */
    public DenseVector setFrom(DenseVector source) {
        ShapeMismatchException.requireLength("source vector", source.length, "target vector", length);
        System.arraycopy(source.data, source.offset, data, offset, length);
        return this;
    }

    /** A new array holding this vector's elements. */
    public double[] toArray() {
        return Arrays.copyOfRange(data, offset, offset + length);
    }

    /** A copy backed by a fresh array. */
    public DenseVector copy() {
        return wrap(toArray());
    }

    /** ⟨this, other⟩ in plain Java (for checks; operators use the backend). */
    public double dot(DenseVector other) {
        ShapeMismatchException.requireLength("other vector", other.length, "dot with a vector of length " + length, length);
        double s = 0;
        for (int i = 0; i < length; i++) {
            s += data[offset + i] * other.data[other.offset + i];
        }
        return s;
    }

    /** Euclidean norm, scaled to avoid overflow and underflow. */
    public double norm() {
        return norm(data, offset, length);
    }

    /** ‖data[offset .. offset+length)‖₂, scaled by the largest magnitude to avoid overflow and underflow. */
    static double norm(double[] data, int offset, int length) {
        double scale = 0;
        for (int i = 0; i < length; i++) {
            scale = Math.max(scale, Math.abs(data[offset + i]));
        }
        if (scale == 0 || !Double.isFinite(scale)) {
            return scale;
        }
        double s = 0;
        for (int i = 0; i < length; i++) {
            double t = data[offset + i] / scale;
            s += t * t;
        }
        return scale * Math.sqrt(s);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(length, 16); i++) {
            sb.append(i == 0 ? "" : ", ").append(data[offset + i]);
        }
        return sb.append(length > 16 ? ", … (" + length + ")]" : "]").toString();
    }
}
