package dev.kronograd.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense {@code rows×cols} matrix of doubles stored column-major (BLAS layout) in a backing
 * array: element (i, j) lives at {@code data[offset + i + j·ld]}, with leading dimension
 * {@code ld ≥ rows}.
 *
 * <p>Because storage is column-major, {@link #vec()} (stacking the columns) is a view whenever
 * the columns are adjacent ({@code ld == rows}); {@link DenseVector#unvec(int, int)} is its
 * inverse and also copies nothing. Sub-matrices and columns are views too. A matrix is a mutable
 * buffer; share it between threads only for reading.
 */
public final class DenseMatrix {
    private final double[] data;
    private final int offset;
    private final int rows;
    private final int cols;
    private final int ld;

    private DenseMatrix(double[] data, int offset, int rows, int cols, int ld) {
        this.data = data;
        this.offset = offset;
        this.rows = rows;
        this.cols = cols;
        this.ld = ld;
    }

    /**
     * A view of a column-major block of {@code data}: element (i, j) at {@code offset + i + j·ld}.
     * Nothing is copied.
     */
    public static DenseMatrix view(double[] data, int offset, int rows, int cols, int ld) {
        Objects.requireNonNull(data, "data");
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix shape must be non-negative, was " + ShapeMismatchException.shape(rows, cols));
        }
        if (ld < Math.max(1, rows)) {
            throw new IllegalArgumentException("leading dimension " + ld + " < max(1, rows=" + rows + ")");
        }
        long end = rows == 0 || cols == 0 ? offset : offset + (long) (cols - 1) * ld + rows;
        if (offset < 0 || end > data.length) {
            throw new IndexOutOfBoundsException("a " + ShapeMismatchException.shape(rows, cols) + " view with offset " + offset
                    + " and leading dimension " + ld + " needs an array of length ≥ " + end + ", got " + data.length);
        }
        return new DenseMatrix(data, offset, rows, cols, ld);
    }

    /** A view of a whole column-major array as {@code rows×cols}. */
    public static DenseMatrix wrap(double[] columnMajor, int rows, int cols) {
        if ((long) rows * cols != columnMajor.length) {
            throw new ShapeMismatchException("an array of length " + columnMajor.length + " cannot be viewed as "
                    + ShapeMismatchException.shape(rows, cols));
        }
        return view(columnMajor, 0, rows, cols, Math.max(1, rows));
    }

    /** A new zero matrix. */
    public static DenseMatrix zeros(int rows, int cols) {
        long n = (long) rows * cols;
        if (rows < 0 || cols < 0 || n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("cannot allocate a " + ShapeMismatchException.shape(rows, cols) + " matrix");
        }
        return new DenseMatrix(new double[(int) n], 0, rows, cols, Math.max(1, rows));
    }

    /** The n×n identity, materialised (for tests and small cases; prefer the identity operator). */
    public static DenseMatrix identity(int n) {
        DenseMatrix m = zeros(n, n);
        for (int i = 0; i < n; i++) {
            m.set(i, i, 1.0);
        }
        return m;
    }

    /**
     * A new matrix from row-major nested arrays (the way people write matrices). Every row must
     * have the same length; row {@code i} of a ragged input is named in the error.
     */
    public static DenseMatrix ofRows(double[]... rowArrays) {
        int r = rowArrays.length;
        int c = r == 0 ? 0 : rowArrays[0].length;
        DenseMatrix m = zeros(r, c);
        for (int i = 0; i < r; i++) {
            if (rowArrays[i].length != c) {
                throw new ShapeMismatchException("row " + i + " has length " + rowArrays[i].length + " but row 0 has length " + c);
            }
            for (int j = 0; j < c; j++) {
                m.set(i, j, rowArrays[i][j]);
            }
        }
        return m;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Leading dimension: distance in the backing array between the starts of adjacent columns. */
    public int ld() {
        return ld;
    }

    /** Index of element (0, 0) in {@link #data()}. */
    public int offset() {
        return offset;
    }

    /** The backing array (shared, not copied). */
    public double[] data() {
        return data;
    }

    public long size() {
        return (long) rows * cols;
    }

    public double get(int i, int j) {
        return data[index(i, j)];
    }

    public void set(int i, int j, double value) {
        data[index(i, j)] = value;
    }

    private int index(int i, int j) {
        Objects.checkIndex(i, rows);
        Objects.checkIndex(j, cols);
        return offset + i + j * ld;
    }

    /** True when the columns are adjacent in memory, so that {@link #vec()} is a view. */
    public boolean isContiguous() {
        return ld == Math.max(1, rows) || cols <= 1;
    }

    /**
     * vec(A): the columns stacked, as a view of the same storage.
     *
     * @throws IllegalStateException for a sub-matrix view whose columns are not adjacent; take
     *         {@link #copy()} first
     */
    public DenseVector vec() {
        if (!isContiguous()) {
            throw new IllegalStateException("vec of a " + ShapeMismatchException.shape(rows, cols) + " view with leading dimension "
                    + ld + " ≠ rows is not contiguous; take copy() first");
        }
        return DenseVector.view(data, offset, rows * cols);
    }

    /** Column {@code j} as a view. */
    public DenseVector column(int j) {
        Objects.checkIndex(j, cols);
        return DenseVector.view(data, offset + j * ld, rows);
    }

    /** ‖column j‖₂ (scaled against overflow), without creating a view. */
    public double columnNorm(int j) {
        Objects.checkIndex(j, cols);
        return DenseVector.norm(data, offset + j * ld, rows);
    }

    /** The block of {@code r×c} starting at (i0, j0), as a view. */
    public DenseMatrix block(int i0, int j0, int r, int c) {
        if (i0 < 0 || j0 < 0 || r < 0 || c < 0 || i0 + r > rows || j0 + c > cols) {
            throw new IndexOutOfBoundsException("block " + ShapeMismatchException.shape(r, c) + " at (" + i0 + ", " + j0
                    + ") does not fit a " + ShapeMismatchException.shape(rows, cols) + " matrix");
        }
        return new DenseMatrix(data, r == 0 || c == 0 ? offset : offset + i0 + j0 * ld, r, c, ld);
    }

    /** A compact copy (ld = rows) in a fresh array. */
    public DenseMatrix copy() {
        DenseMatrix m = zeros(rows, cols);
        m.setFrom(this);
        return m;
    }

    /** Copies {@code source} into this matrix. Shapes must agree. */
    public DenseMatrix setFrom(DenseMatrix source) {
        requireSameShape("source", source, "target", this);
        if (source.ld == rows && ld == rows) {
            System.arraycopy(source.data, source.offset, data, offset, rows * cols);
            return this;
        }
        for (int j = 0; j < cols; j++) {
            System.arraycopy(source.data, source.offset + j * source.ld, data, offset + j * ld, rows);
        }
        return this;
    }

    /** Sets every element to {@code value}. */
    public DenseMatrix fill(double value) {
        for (int j = 0; j < cols; j++) {
            Arrays.fill(data, offset + j * ld, offset + j * ld + rows, value);
        }
        return this;
    }

    /** A new matrix holding the transpose (a copy). */
    public DenseMatrix transposeCopy() {
        DenseMatrix t = zeros(cols, rows);
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                t.set(j, i, get(i, j));
            }
        }
        return t;
    }

    /** Row-major nested arrays (the way people write matrices). */
    public double[][] toRowArrays() {
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i][j] = get(i, j);
            }
        }
        return out;
    }

    /** Throws a {@link ShapeMismatchException} naming both operands unless the shapes agree. */
    public static void requireSameShape(String nameA, DenseMatrix a, String nameB, DenseMatrix b) {
        if (a.rows != b.rows || a.cols != b.cols) {
            throw new ShapeMismatchException("Must be same shape: " + nameA + " is " + ShapeMismatchException.shape(a.rows, a.cols)
                    + " but " + nameB + " is " + ShapeMismatchException.shape(b.rows, b.cols));
        }
    }

    /** A short description such as {@code 3×4}. */
    public String shape() {
        return ShapeMismatchException.shape(rows, cols);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DenseMatrix ").append(shape());
        for (int i = 0; i < Math.min(rows, 8); i++) {
            sb.append("\n  [");
            for (int j = 0; j < Math.min(cols, 8); j++) {
                sb.append(j == 0 ? "" : ", ").append(String.format("%.6g", get(i, j)));
            }
            sb.append(cols > 8 ? ", …]" : "]");
        }
        return sb.append(rows > 8 ? "\n  …" : "").toString();
    }
}
