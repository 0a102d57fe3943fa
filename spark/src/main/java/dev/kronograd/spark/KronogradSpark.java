package dev.kronograd.spark;

import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.Network;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Kronograd over Apache Spark: full-batch losses, gradients and Gauss–Newton-vector products of a
 * network over a distributed data set, and per-sample gradient norms as a column.
 *
 * <pre>{@code
 * KronogradSpark spark = KronogradSpark.builder().batchSize(256).build();
 * try (DistributedObjective objective = spark.objective(network, loss, samples)) {   // JavaRDD<Sample>
 *     LossAndGradient lg = objective.lossAndGradient(network.parameters());
 * }
 * Dataset<Row> scored = spark.withPerSampleGradientNorms(network, loss, df, "features", "label", "grad_norm");
 * }</pre>
 *
 * <p>How it runs: the parameters are broadcast; each task rebuilds the network from its structure
 * on its executor's SDK (one per executor JVM, backend {@code auto} unless configured), streams its
 * partition through it in batches of {@link Builder#batchSize} samples, and returns its partial
 * sums, which {@code treeAggregate} adds up. The result equals the single-machine gradient of all
 * samples as one batch up to rounding (summation order). Immutable and thread-safe; a driver-side
 * object (tasks receive only the network's structure, the executor settings and broadcast handles).
 */
public final class KronogradSpark {
    private final ExecutorSettings executors;
    private final int batchSize;
    private final int treeDepth;

    private KronogradSpark(Builder b) {
        this.executors = new ExecutorSettings(b.backend, b.pluginFolders);
        this.batchSize = b.batchSize;
        this.treeDepth = b.treeDepth;
    }

    /** Defaults: executors' own backend choice, batches of 256, {@code treeAggregate} depth 2. */
    public static KronogradSpark create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Samples per batch on the executors. */
    public int batchSize() {
        return batchSize;
    }

    /** The depth of the {@code treeAggregate} that combines partition sums. */
    public int treeDepth() {
        return treeDepth;
    }

    /** How executors assemble their SDK. */
    public ExecutorSettings executorSettings() {
        return executors;
    }

    /**
     * The objective Σ_s ℓ(f(x_s), y_s) of {@code network}'s structure over {@code samples}.
     * Parameters are given per evaluation; the network's own parameters are not read.
     */
    public DistributedObjective objective(Network network, Loss loss, JavaRDD<Sample> samples) {
        Objects.requireNonNull(samples, "samples");
        return new DistributedObjective(spec(network, loss), this, samples, SampleReader.samples());
    }

    /**
     * The objective over the rows of {@code data}, reading x from {@code featuresColumn} and y from
     * {@code targetColumn} ({@code array<double>}, ML vector, or a number where the length is 1).
     *
     * @throws IllegalArgumentException naming the column when it is missing or of the wrong type
     */
    public DistributedObjective objective(Network network, Loss loss, Dataset<Row> data, String featuresColumn, String targetColumn) {
        NetworkSpec spec = spec(network, loss);
        Objects.requireNonNull(data, "data");
        RowSampleReader.forSchema(data.schema(), featuresColumn, spec.inputs(), targetColumn, spec.outputs()); // names the bad column
        // Only the two columns travel to the tasks; names are quoted so that dots or spaces in them are literal.
        Dataset<Row> selected = data.select(column(featuresColumn), column(targetColumn));
        RowSampleReader reader = RowSampleReader.forSchema(selected.schema(), featuresColumn, spec.inputs(), targetColumn, spec.outputs());
        return new DistributedObjective(spec, this, selected.toJavaRDD(), reader);
    }

    /**
     * {@code data} with a non-null double column {@code outputColumn} holding ‖∇_θ ℓ(f(x_s), y_s)‖ for
     * each row at {@code network}'s current parameters — computed from the batch gradient's factors
     * (‖δ_s‖·‖x̄_s‖ per layer), never forming a per-sample gradient. Partitioning and row order are kept.
     * Lazy, like any transformation: the parameters are broadcast now and the broadcast lives as long
     * as the returned data set may be recomputed.
     *
     * @throws IllegalArgumentException naming the column when an input column is missing or of the wrong
     *                                  type, or the output column already exists
     */
    public Dataset<Row> withPerSampleGradientNorms(Network network, Loss loss, Dataset<Row> data, String featuresColumn,
                                                   String targetColumn, String outputColumn) {
        NetworkSpec spec = spec(network, loss);
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(outputColumn, "outputColumn");
        StructType schema = data.schema();
        if (Arrays.asList(schema.fieldNames()).contains(outputColumn)) {
            throw new IllegalArgumentException("the output column '" + outputColumn + "' already exists in the data set");
        }
        RowSampleReader reader = RowSampleReader.forSchema(schema, featuresColumn, spec.inputs(), targetColumn, spec.outputs());
        StructType out = schema.add(outputColumn, DataTypes.DoubleType, false);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
        Broadcast<double[]> theta = jsc.broadcast(DistributedObjective.checkedParameters(spec, network.parameters()));
        JavaRDD<Row> rows = data.toJavaRDD().mapPartitionsWithIndex(
                new PartitionTasks.PerSampleNorms<>(spec, executors, theta, reader, batchSize, KronogradSpark::appendNorm), true);
        return data.sparkSession().createDataFrame(rows, out);
    }

    private static Column column(String name) {
        return functions.col("`" + name.replace("`", "``") + "`");
    }

    private static Row appendNorm(Row row, Double norm) {
        Object[] values = new Object[row.length() + 1];
        for (int i = 0; i < row.length(); i++) {
            values[i] = row.get(i);
        }
        values[row.length()] = norm;
        return RowFactory.create(values);
    }

    private static NetworkSpec spec(Network network, Loss loss) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(loss, "loss");
        return NetworkSpec.of(network, loss.name());
    }

    /** Settings for {@link KronogradSpark}. */
    public static final class Builder {
        private String backend;
        private final List<String> pluginFolders = new ArrayList<>();
        private int batchSize = 256;
        private int treeDepth = 2;

        private Builder() {
        }

        /**
         * The backend executors use ({@code auto}, {@code ejml}, {@code netlib-native}, {@code netlib-java});
         * default null: each executor's {@code kronograd.backend} / {@code KRONOGRAD_BACKEND}, else auto.
         */
        public Builder executorBackend(String name) {
            this.backend = name;
            return this;
        }

        /** A folder of activation plugin jars that exists on every executor (not needed for jars given with --jars). */
        public Builder executorPluginFolder(String folder) {
            pluginFolders.add(Objects.requireNonNull(folder, "folder"));
            return this;
        }

        /** Samples per batch on executors, ≥ 1 (default 256): each batch is one GEMM per layer and direction. */
        public Builder batchSize(int samples) {
            if (samples < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1, got " + samples);
            }
            this.batchSize = samples;
            return this;
        }

        /** The depth of the {@code treeAggregate} combining partition sums, ≥ 1 (default 2). */
        public Builder treeDepth(int depth) {
            if (depth < 1) {
                throw new IllegalArgumentException("treeDepth must be at least 1, got " + depth);
            }
            this.treeDepth = depth;
            return this;
        }

        public KronogradSpark build() {
            return new KronogradSpark(this);
        }
    }
}
