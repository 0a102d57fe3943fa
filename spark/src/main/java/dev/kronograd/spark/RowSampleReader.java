package dev.kronograd.spark;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;

/**
 * Reads features and target from two columns of a {@link Row}. A column may be an
 * {@code array<double>} (or any numeric element type), an ML {@code vector}
 * ({@link org.apache.spark.ml.linalg.Vector}, dense or sparse), or a single number when the
 * expected length is 1. The schema is checked on the driver ({@link #forSchema}), before any job.
 */
final class RowSampleReader implements SampleReader<Row> {
    private static final long serialVersionUID = 1L;

    enum Kind { ARRAY, VECTOR, SCALAR }

    private final String featuresColumn;
    private final int featuresIndex;
    private final Kind featuresKind;
    private final String targetColumn;
    private final int targetIndex;
    private final Kind targetKind;

    private RowSampleReader(String fc, int fi, Kind fk, String tc, int ti, Kind tk) {
        featuresColumn = fc;
        featuresIndex = fi;
        featuresKind = fk;
        targetColumn = tc;
        targetIndex = ti;
        targetKind = tk;
    }

    /**
     * A reader for rows of {@code schema}.
     *
     * @throws IllegalArgumentException naming the column when it is missing or of a type that cannot hold
     *                                  a vector of the expected length
     */
    static RowSampleReader forSchema(StructType schema, String featuresColumn, int inputs, String targetColumn, int outputs) {
        int fi = index(schema, featuresColumn, "features");
        int ti = index(schema, targetColumn, "target");
        return new RowSampleReader(featuresColumn, fi, kind(schema.fields()[fi], "features", inputs, "inputs"),
                targetColumn, ti, kind(schema.fields()[ti], "target", outputs, "outputs"));
    }

    static int index(StructType schema, String column, String role) {
        if (column == null) {
            throw new IllegalArgumentException("the " + role + " column name is null");
        }
        List<String> names = Arrays.asList(schema.fieldNames());
        int i = names.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("the " + role + " column '" + column + "' is not in the data set; its columns are " + names);
        }
        return i;
    }

    private static Kind kind(StructField field, String role, int length, String what) {
        DataType t = field.dataType();
        if (t instanceof ArrayType a && a.elementType() instanceof NumericType) {
            return Kind.ARRAY;
        }
        if (t instanceof VectorUDT) {
            return Kind.VECTOR;
        }
        if (t instanceof NumericType) {
            if (length != 1) {
                throw new IllegalArgumentException("the " + role + " column '" + field.name() + "' holds single numbers (" + t.simpleString()
                        + ") but the network has " + length + " " + what + "; use an array<double> or a vector column");
            }
            return Kind.SCALAR;
        }
        throw new IllegalArgumentException("the " + role + " column '" + field.name() + "' has type " + t.simpleString()
                + "; expected array<double>, an ML vector" + (length == 1 ? " or a number" : ""));
    }

    @Override
    public void read(Row row, double[] x, int xOffset, int n, double[] y, int yOffset, int k, long sample, int partition) {
        copy(row, featuresIndex, featuresKind, featuresColumn, x, xOffset, n, sample, partition);
        copy(row, targetIndex, targetKind, targetColumn, y, yOffset, k, sample, partition);
    }

    private static void copy(Row row, int index, Kind kind, String column, double[] out, int offset, int length, long sample,
                             int partition) {
        if (row.isNullAt(index)) {
            throw new IllegalArgumentException(SampleReader.where(sample, partition) + ": column '" + column + "' is null");
        }
        switch (kind) {
            case SCALAR -> out[offset] = ((Number) row.get(index)).doubleValue();
            case VECTOR -> {
                Vector v = (Vector) row.get(index);
                requireLength(v.size(), length, column, sample, partition);
                for (int i = 0; i < length; i++) {
                    out[offset + i] = v.apply(i);
                }
            }
            case ARRAY -> {
                List<Object> values = row.getList(index);
                requireLength(values.size(), length, column, sample, partition);
                for (int i = 0; i < length; i++) {
                    Object e = values.get(i);
                    if (e == null) {
                        throw new IllegalArgumentException(SampleReader.where(sample, partition) + ": column '" + column
                                + "' has a null at index " + i);
                    }
                    out[offset + i] = ((Number) e).doubleValue();
                }
            }
            default -> throw new AssertionError(kind);
        }
    }

    private static void requireLength(int actual, int expected, String column, long sample, int partition) {
        if (actual != expected) {
            throw new IllegalArgumentException(SampleReader.where(sample, partition) + ": column '" + column + "' has length " + actual + ", expected " + expected);
        }
    }
}
