package dev.kronograd.core.operator;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.ShapeMismatchException;

import java.util.Arrays;
import java.util.List;

/**
 * An immutable compressed-sparse-column (CSC) matrix: column j's entries are
 * {@code values[colPtr[j] .. colPtr[j+1])} at rows {@code rowIndex[…]}, rows increasing.
 *
 * <p>Entries are <em>structural</em>: an entry that happens to be 0.0 (say a zero input
 * component) stays stored, so the pattern shows the operator's structure. The operations here
 * (Kronecker product, product, sum, stacks, transpose) build the sparse form of each operator.
 */
public final class SparseMatrix {
    private final int rows;
    private final int cols;
    private final int[] colPtr;
    private final int[] rowIndex;
    private final double[] values;

    private SparseMatrix(int rows, int cols, int[] colPtr, int[] rowIndex, double[] values) {
        this.rows = rows;
        this.cols = cols;
        this.colPtr = colPtr;
        this.rowIndex = rowIndex;
        this.values = values;
    }

    /**
     * A CSC matrix from its arrays (copied). Row indices must increase within each column.
     */
    public static SparseMatrix of(int rows, int cols, int[] colPtr, int[] rowIndex, double[] values) {
        if (colPtr.length != cols + 1 || colPtr[0] != 0 || colPtr[cols] != rowIndex.length || rowIndex.length != values.length) {
            throw new IllegalArgumentException("inconsistent CSC arrays for a " + ShapeMismatchException.shape(rows, cols) + " matrix");
        }
        for (int j = 0; j < cols; j++) {
            for (int p = colPtr[j]; p < colPtr[j + 1]; p++) {
                if (rowIndex[p] < 0 || rowIndex[p] >= rows || (p > colPtr[j] && rowIndex[p] <= rowIndex[p - 1])) {
                    throw new IllegalArgumentException("row indices of column " + j + " must be increasing and in [0, " + rows + ")");
                }
            }
        }
        return new SparseMatrix(rows, cols, colPtr.clone(), rowIndex.clone(), values.clone());
    }

    /** The n×n identity. */
    public static SparseMatrix identity(int n) {
        int[] ptr = new int[n + 1];
        int[] idx = new int[n];
        double[] val = new double[n];
        for (int i = 0; i < n; i++) {
            ptr[i + 1] = i + 1;
            idx[i] = i;
            val[i] = 1.0;
        }
        return new SparseMatrix(n, n, ptr, idx, val);
    }

    /** diag(d). */
    public static SparseMatrix diagonal(DenseVector d) {
        int n = d.length();
        int[] ptr = new int[n + 1];
        int[] idx = new int[n];
        double[] val = d.toArray();
        for (int i = 0; i < n; i++) {
            ptr[i + 1] = i + 1;
            idx[i] = i;
        }
        return new SparseMatrix(n, n, ptr, idx, val);
    }

    /** Every entry of a dense matrix (all structural), transposed when asked. */
    public static SparseMatrix ofDense(DenseMatrix m, boolean transposed) {
        int r = transposed ? m.cols() : m.rows();
        int c = transposed ? m.rows() : m.cols();
        int nnz = Math.toIntExact((long) r * c);
        int[] ptr = new int[c + 1];
        int[] idx = new int[nnz];
        double[] val = new double[nnz];
        int p = 0;
        for (int j = 0; j < c; j++) {
            for (int i = 0; i < r; i++) {
                idx[p] = i;
                val[p++] = transposed ? m.get(j, i) : m.get(i, j);
            }
            ptr[j + 1] = p;
        }
        return new SparseMatrix(r, c, ptr, idx, val);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Stored (structural) entries. */
    public int nonZeros() {
        return colPtr[cols];
    }

    /** Column pointers (a copy). */
    public int[] colPtr() {
        return colPtr.clone();
    }

    /** Row indices (a copy). */
    public int[] rowIndex() {
        return rowIndex.clone();
    }

    /** Values (a copy). */
    public double[] values() {
        return values.clone();
    }

    /** Entry (i, j); 0 where nothing is stored. */
    public double get(int i, int j) {
        int p = Arrays.binarySearch(rowIndex, colPtr[j], colPtr[j + 1], i);
        return p >= 0 ? values[p] : 0.0;
    }

    /** Whether (i, j) is a stored entry. */
    public boolean isStored(int i, int j) {
        return Arrays.binarySearch(rowIndex, colPtr[j], colPtr[j + 1], i) >= 0;
    }

    /** Bytes of the CSC arrays. */
    public long bytes() {
        return MaterializationLimit.sparseBytes(nonZeros(), cols);
    }

    /** The dense form. */
    public DenseMatrix toDense() {
        DenseMatrix m = DenseMatrix.zeros(rows, cols);
        for (int j = 0; j < cols; j++) {
            for (int p = colPtr[j]; p < colPtr[j + 1]; p++) {
                m.set(rowIndex[p], j, values[p]);
            }
        }
        return m;
    }

    /** y = S·x (plain Java; for checks). */
    public DenseVector multiply(DenseVector x) {
        ShapeMismatchException.requireLength("x", x.length(), "a sparse " + ShapeMismatchException.shape(rows, cols) + " matrix", cols);
        DenseVector y = DenseVector.zeros(rows);
        for (int j = 0; j < cols; j++) {
            double xj = x.get(j);
            for (int p = colPtr[j]; p < colPtr[j + 1]; p++) {
                y.set(rowIndex[p], y.get(rowIndex[p]) + values[p] * xj);
            }
        }
        return y;
    }

    /** Sᵀ. */
    public SparseMatrix transpose() {
        int nnz = nonZeros();
        int[] ptr = new int[rows + 1];
        for (int p = 0; p < nnz; p++) {
            ptr[rowIndex[p] + 1]++;
        }
        for (int i = 0; i < rows; i++) {
            ptr[i + 1] += ptr[i];
        }
        int[] next = Arrays.copyOf(ptr, rows);
        int[] idx = new int[nnz];
        double[] val = new double[nnz];
        for (int j = 0; j < cols; j++) {
            for (int p = colPtr[j]; p < colPtr[j + 1]; p++) {
                int q = next[rowIndex[p]]++;
                idx[q] = j;
                val[q] = values[p];
            }
        }
        return new SparseMatrix(cols, rows, ptr, idx, val);
    }

    /** α·S. */
    public SparseMatrix scale(double alpha) {
        double[] val = values.clone();
        for (int p = 0; p < val.length; p++) {
            val[p] *= alpha;
        }
        return new SparseMatrix(rows, cols, colPtr, rowIndex, val);
    }

    /** A ⊗ B: block (i, j) is a_ij·B, for every stored a_ij. */
    public static SparseMatrix kron(SparseMatrix a, SparseMatrix b) {
        int r = Math.toIntExact((long) a.rows * b.rows);
        int c = Math.toIntExact((long) a.cols * b.cols);
        int nnz = Math.toIntExact((long) a.nonZeros() * b.nonZeros());
        int[] ptr = new int[c + 1];
        int[] idx = new int[nnz];
        double[] val = new double[nnz];
        int q = 0;
        for (int ja = 0; ja < a.cols; ja++) {
            for (int jb = 0; jb < b.cols; jb++) {
                for (int pa = a.colPtr[ja]; pa < a.colPtr[ja + 1]; pa++) {
                    int rowBase = a.rowIndex[pa] * b.rows;
                    double av = a.values[pa];
                    for (int pb = b.colPtr[jb]; pb < b.colPtr[jb + 1]; pb++) {
                        idx[q] = rowBase + b.rowIndex[pb];
                        val[q++] = av * b.values[pb];
                    }
                }
                ptr[ja * b.cols + jb + 1] = q;
            }
        }
        return new SparseMatrix(r, c, ptr, idx, val);
    }

    /** A·B (Gustavson's algorithm); the pattern is the structural product. */
    public static SparseMatrix multiply(SparseMatrix a, SparseMatrix b) {
        if (a.cols != b.rows) {
            throw new ShapeMismatchException("A is " + ShapeMismatchException.shape(a.rows, a.cols) + " but B is "
                    + ShapeMismatchException.shape(b.rows, b.cols) + "; expected B to have " + a.cols + " rows");
        }
        int[] marker = new int[a.rows];
        Arrays.fill(marker, -1);
        double[] acc = new double[a.rows];
        int[] ptr = new int[b.cols + 1];
        IntList idx = new IntList();
        DoubleList val = new DoubleList();
        int[] colRows = new int[a.rows];
        for (int j = 0; j < b.cols; j++) {
            int count = 0;
            for (int pb = b.colPtr[j]; pb < b.colPtr[j + 1]; pb++) {
                int k = b.rowIndex[pb];
                double bv = b.values[pb];
                for (int pa = a.colPtr[k]; pa < a.colPtr[k + 1]; pa++) {
                    int i = a.rowIndex[pa];
                    if (marker[i] != j) {
                        marker[i] = j;
                        acc[i] = 0;
                        colRows[count++] = i;
                    }
                    acc[i] += a.values[pa] * bv;
                }
            }
            Arrays.sort(colRows, 0, count);
            for (int t = 0; t < count; t++) {
                idx.add(colRows[t]);
                val.add(acc[colRows[t]]);
            }
            ptr[j + 1] = idx.size;
        }
        return new SparseMatrix(a.rows, b.cols, ptr, idx.toArray(), val.toArray());
    }

    /** A + B (union of patterns). */
    public static SparseMatrix add(SparseMatrix a, SparseMatrix b) {
        if (a.rows != b.rows || a.cols != b.cols) {
            throw new ShapeMismatchException("Must be same shape: A is " + ShapeMismatchException.shape(a.rows, a.cols) + " but B is "
                    + ShapeMismatchException.shape(b.rows, b.cols));
        }
        int[] ptr = new int[a.cols + 1];
        IntList idx = new IntList();
        DoubleList val = new DoubleList();
        for (int j = 0; j < a.cols; j++) {
            int p = a.colPtr[j];
            int q = b.colPtr[j];
            while (p < a.colPtr[j + 1] || q < b.colPtr[j + 1]) {
                int ia = p < a.colPtr[j + 1] ? a.rowIndex[p] : Integer.MAX_VALUE;
                int ib = q < b.colPtr[j + 1] ? b.rowIndex[q] : Integer.MAX_VALUE;
                if (ia == ib) {
                    idx.add(ia);
                    val.add(a.values[p++] + b.values[q++]);
                } else if (ia < ib) {
                    idx.add(ia);
                    val.add(a.values[p++]);
                } else {
                    idx.add(ib);
                    val.add(b.values[q++]);
                }
            }
            ptr[j + 1] = idx.size;
        }
        return new SparseMatrix(a.rows, a.cols, ptr, idx.toArray(), val.toArray());
    }

    /** [A₁, A₂, …]: blocks side by side (equal rows). */
    public static SparseMatrix horizontal(List<SparseMatrix> blocks) {
        int r = blocks.get(0).rows;
        int c = 0;
        int nnz = 0;
        for (SparseMatrix s : blocks) {
            if (s.rows != r) {
                throw new ShapeMismatchException("horizontal blocks need equal rows: " + r + " vs " + s.rows);
            }
            c += s.cols;
            nnz += s.nonZeros();
        }
        int[] ptr = new int[c + 1];
        int[] idx = new int[nnz];
        double[] val = new double[nnz];
        int col = 0;
        int q = 0;
        for (SparseMatrix s : blocks) {
            System.arraycopy(s.rowIndex, 0, idx, q, s.nonZeros());
            System.arraycopy(s.values, 0, val, q, s.nonZeros());
            for (int j = 0; j < s.cols; j++) {
                ptr[col + j + 1] = q + s.colPtr[j + 1];
            }
            col += s.cols;
            q += s.nonZeros();
        }
        return new SparseMatrix(r, c, ptr, idx, val);
    }

    /** [A₁; A₂; …]: blocks stacked (equal cols). */
    public static SparseMatrix vertical(List<SparseMatrix> blocks) {
        int c = blocks.get(0).cols;
        int r = 0;
        int nnz = 0;
        for (SparseMatrix s : blocks) {
            if (s.cols != c) {
                throw new ShapeMismatchException("vertical blocks need equal cols: " + c + " vs " + s.cols);
            }
            r += s.rows;
            nnz += s.nonZeros();
        }
        int[] ptr = new int[c + 1];
        int[] idx = new int[nnz];
        double[] val = new double[nnz];
        int q = 0;
        for (int j = 0; j < c; j++) {
            int rowBase = 0;
            for (SparseMatrix s : blocks) {
                for (int p = s.colPtr[j]; p < s.colPtr[j + 1]; p++) {
                    idx[q] = rowBase + s.rowIndex[p];
                    val[q++] = s.values[p];
                }
                rowBase += s.rows;
            }
            ptr[j + 1] = q;
        }
        return new SparseMatrix(r, c, ptr, idx, val);
    }

    @Override
    public String toString() {
        return "SparseMatrix " + ShapeMismatchException.shape(rows, cols) + ", " + nonZeros() + " stored entries";
    }

    private static final class IntList {
        int[] a = new int[16];
        int size;

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }

    private static final class DoubleList {
        double[] a = new double[16];
        int size;

        void add(double v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[size++] = v;
        }

        double[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }
}
