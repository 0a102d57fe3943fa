package dev.kronograd.spark;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.Curvature;
import dev.kronograd.sdk.nn.Gradient;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.core.DenseVector;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static dev.kronograd.spark.SparkTesting.assertRelativelyClose;
import static dev.kronograd.spark.SparkTesting.inputs;
import static dev.kronograd.spark.SparkTesting.samples;
import static dev.kronograd.spark.SparkTesting.targets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distributed loss, gradient, GGN-vector product and per-sample norms equal the
 * single-machine results over the concatenated batch, in Spark local[2], for many sample and
 * partition counts (empty partitions and P &gt; N included) and batch sizes.
 */
class DistributedObjectiveTest {
    private static final double TOL = 1e-12;
    private static SparkSession spark;
    private static JavaSparkContext jsc;
    private static Kronograd sdk;

    @BeforeAll
    static void start() {
        spark = SparkTesting.session("kronograd-objective-test", Map.of());
        jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        sdk = Kronograd.create();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Network tanhSoftmax(long seed) {
        return SparkTesting.network(sdk, seed, 4, new int[]{5, 3}, new String[]{"tanh", "identity"});
    }

    private static Network threeLayers(long seed) {
        return SparkTesting.network(sdk, seed, 3, new int[]{6, 4, 2}, new String[]{"softplus", "tanh", "sigmoid"});
    }

    static Stream<Arguments> splits() {
        // samples N, partitions P, batch size B
        return Stream.of(
                Arguments.of(1, 1, 256), Arguments.of(1, 4, 256), Arguments.of(5, 8, 2), Arguments.of(7, 3, 2),
                Arguments.of(10, 16, 3), Arguments.of(64, 4, 256), Arguments.of(100, 5, 7), Arguments.of(257, 2, 256),
                Arguments.of(300, 7, 1), Arguments.of(513, 3, 64));
    }

    @ParameterizedTest(name = "N={0} P={1} B={2}")
    @MethodSource("splits")
    void gradientEqualsTheSingleMachineGradientOfTheWholeBatch(int n, int p, int batch) {
        for (String lossName : List.of("softmax-cross-entropy", "squared-error")) {
            Loss loss = sdk.loss(lossName);
            Network net = lossName.startsWith("softmax") ? tanhSoftmax(n) : threeLayers(n);
            List<Sample> data = samples(net, loss, n, 1000L * n + p);
            Gradient expected = net.gradient(inputs(data, net.inputs()), loss, targets(data, net.outputs()));

            KronogradSpark ks = KronogradSpark.builder().batchSize(batch).build();
            LossAndGradient actual = ks.objective(net, loss, jsc.parallelize(data, p)).lossAndGradient(net.parameters());

            assertEquals(n, actual.samples());
            assertEquals(expected.loss(), actual.loss(), TOL * Math.abs(expected.loss()), lossName + " loss");
            assertRelativelyClose(expected.flat(), actual.gradient(), TOL, lossName + " gradient");
        }
    }

    @Test
    void emptyPartitionsBetweenFullOnesAndTreeDepths() {
        Loss loss = sdk.loss("squared-error");
        Network net = threeLayers(3);
        List<Sample> data = samples(net, loss, 90, 3);
        // Partitions 0, 2, 4, … are emptied: the kept samples are the odd partitions'.
        JavaRDD<Sample> holes = jsc.parallelize(data, 9)
                .mapPartitionsWithIndex((i, it) -> i % 2 == 0 ? Collections.emptyIterator() : it, true);
        List<Sample> kept = holes.collect();
        assertTrue(kept.size() > 0 && kept.size() < data.size());
        Gradient expected = net.gradient(inputs(kept, 3), loss, targets(kept, 2));
        for (int depth : new int[]{1, 2, 4}) {
            LossAndGradient actual = KronogradSpark.builder().batchSize(4).treeDepth(depth).build()
                    .objective(net, loss, holes).lossAndGradient(net.parameters());
            assertEquals(kept.size(), actual.samples());
            assertEquals(expected.loss(), actual.loss(), TOL * expected.loss());
            assertRelativelyClose(expected.flat(), actual.gradient(), TOL, "depth " + depth);
        }
    }

    @Test
    void anEmptyDataSetHasZeroLossAndGradient() {
        Network net = threeLayers(1);
        LossAndGradient lg = KronogradSpark.create().objective(net, sdk.loss("squared-error"), jsc.parallelize(List.<Sample>of(), 3))
                .lossAndGradient(net.parameters());
        assertEquals(0, lg.samples());
        assertEquals(0.0, lg.loss());
        assertEquals(0.0, lg.gradient().norm());
        assertEquals(net.parameterCount(), lg.gradient().length());
        assertTrue(Double.isNaN(lg.meanLoss()));
    }

    @Test
    void otherParametersThanTheNetworksOwnAreUsed() {
        Loss loss = sdk.loss("squared-error");
        Network net = threeLayers(5);
        List<Sample> data = samples(net, loss, 40, 5);
        DenseVector theta = net.parameters().copy();
        for (int i = 0; i < theta.length(); i++) {
            theta.set(i, theta.get(i) * -0.5 + 0.01 * i);
        }
        Gradient expected = net.withParameters(theta).gradient(inputs(data, 3), loss, targets(data, 2));
        try (DistributedObjective obj = KronogradSpark.create().objective(net, loss, jsc.parallelize(data, 3))
                .persist(StorageLevel.MEMORY_ONLY())) {
            assertRelativelyClose(expected.flat(), obj.lossAndGradient(theta).gradient(), TOL, "θ given per call");
            // and again, from the persisted data
            assertRelativelyClose(expected.flat(), obj.lossAndGradient(theta).gradient(), TOL, "second evaluation");
        }
    }

    @Test
    void alternatingParametersOnTheSameExecutorThreadsGiveEachOnesGradient() {
        // Task threads keep their network between jobs and load each job's θ into it.
        Loss loss = sdk.loss("softmax-cross-entropy");
        Network net = tanhSoftmax(17);
        List<Sample> data = samples(net, loss, 70, 17);
        Network other = tanhSoftmax(18);
        DistributedObjective obj = KronogradSpark.builder().batchSize(9).build().objective(net, loss, jsc.parallelize(data, 3));
        for (Network at : List.of(net, other, net, other)) {
            Gradient expected = at.gradient(inputs(data, 4), loss, targets(data, 3));
            LossAndGradient lg = obj.lossAndGradient(at.parameters());
            assertEquals(expected.loss(), lg.loss(), TOL * expected.loss());
            assertRelativelyClose(expected.flat(), lg.gradient(), TOL, "θ of " + (at == net ? "net" : "other"));
            // a GGN-vector product in between re-uses the same cached network with the same θ loading
            DenseVector ggn = Curvature.at(at, inputs(data, 4), loss, targets(data, 3)).ggn().apply(at.parameters());
            assertRelativelyClose(ggn, obj.gaussNewtonVectorProduct(at.parameters(), at.parameters()), TOL, "GGN·θ");
        }
    }

    @Test
    void gaussNewtonVectorProductEqualsTheSingleMachineProduct() {
        for (String lossName : List.of("softmax-cross-entropy", "squared-error")) {
            Loss loss = sdk.loss(lossName);
            Network net = lossName.startsWith("softmax") ? tanhSoftmax(11) : threeLayers(11);
            List<Sample> data = samples(net, loss, 77, 11);
            DenseVector v = DenseVector.zeros(net.parameterCount());
            Random rnd = new Random(12);
            for (int i = 0; i < v.length(); i++) {
                v.set(i, rnd.nextGaussian());
            }
            DenseVector expected = Curvature.at(net, inputs(data, net.inputs()), loss, targets(data, net.outputs()))
                    .ggn().apply(v);
            for (int p : new int[]{1, 4, 100}) {
                DenseVector actual = KronogradSpark.builder().batchSize(8).build()
                        .objective(net, loss, jsc.parallelize(data, p)).gaussNewtonVectorProduct(net.parameters(), v);
                assertRelativelyClose(expected, actual, TOL, lossName + " GGN·v, P=" + p);
            }
        }
    }

    @Test
    void perSampleGradientNormsKeepTheSamplesOrder() {
        Loss loss = sdk.loss("softmax-cross-entropy");
        Network net = tanhSoftmax(21);
        List<Sample> data = samples(net, loss, 50, 21);
        DenseVector expected = net.perSampleGradientNorms(inputs(data, 4), loss, targets(data, 3));
        JavaRDD<Sample> rdd = jsc.parallelize(data, 6);
        List<Double> actual = KronogradSpark.builder().batchSize(4).build().objective(net, loss, rdd)
                .perSampleGradientNorms(net.parameters()).collect();
        assertEquals(data.size(), actual.size());
        for (int s = 0; s < data.size(); s++) {
            assertEquals(expected.get(s), actual.get(s), TOL * expected.get(s), "sample " + s);
        }
        // each norm is the norm of that sample's own gradient
        Gradient one = net.gradient(inputs(data.subList(7, 8), 4), loss, targets(data.subList(7, 8), 3));
        assertEquals(one.flat().norm(), actual.get(7), 1e-12 * one.flat().norm());
    }

    private static Dataset<Row> frame(List<Sample> data, boolean vectors, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int s = 0; s < data.size(); s++) {
            Sample x = data.get(s);
            Object f = vectors ? Vectors.dense(x.features()) : toList(x.features());
            Object y = vectors ? Vectors.dense(x.target()) : toList(x.target());
            rows.add(RowFactory.create((long) s, f, y));
        }
        StructType schema = new StructType()
                .add("id", DataTypes.LongType, false)
                .add("features", vectors ? new VectorUDT() : DataTypes.createArrayType(DataTypes.DoubleType), false)
                .add("label", vectors ? new VectorUDT() : DataTypes.createArrayType(DataTypes.DoubleType), false);
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }

    private static List<Double> toList(double[] a) {
        List<Double> out = new ArrayList<>(a.length);
        for (double d : a) {
            out.add(d);
        }
        return out;
    }

    @Test
    void datasetsWithArrayOrVectorColumnsGiveTheSameGradient() {
        Loss loss = sdk.loss("squared-error");
        Network net = threeLayers(31);
        List<Sample> data = samples(net, loss, 120, 31);
        Gradient expected = net.gradient(inputs(data, 3), loss, targets(data, 2));
        for (boolean vectors : new boolean[]{false, true}) {
            LossAndGradient lg = KronogradSpark.builder().batchSize(16).build()
                    .objective(net, loss, frame(data, vectors, 5), "features", "label").lossAndGradient(net.parameters());
            assertEquals(120, lg.samples());
            assertEquals(expected.loss(), lg.loss(), TOL * expected.loss());
            assertRelativelyClose(expected.flat(), lg.gradient(), TOL, vectors ? "vector columns" : "array columns");
        }
    }

    @Test
    void aScalarTargetColumnServesASingleOutput() {
        Loss loss = sdk.loss("squared-error");
        Network net = SparkTesting.network(sdk, 41, 2, new int[]{3, 1}, new String[]{"tanh", "identity"});
        List<Sample> data = samples(net, loss, 30, 41);
        List<Row> rows = new ArrayList<>();
        for (Sample s : data) {
            rows.add(RowFactory.create(Vectors.dense(s.features()), (float) s.target()[0]));
        }
        Dataset<Row> df = spark.createDataFrame(rows, new StructType().add("x", new VectorUDT()).add("y", DataTypes.FloatType));
        List<Sample> asFloats = new ArrayList<>();
        for (Sample s : data) {
            asFloats.add(Sample.of(s.features(), new double[]{(float) s.target()[0]}));
        }
        Gradient expected = net.gradient(inputs(asFloats, 2), loss, targets(asFloats, 1));
        LossAndGradient lg = KronogradSpark.create().objective(net, loss, df, "x", "y").lossAndGradient(net.parameters());
        assertRelativelyClose(expected.flat(), lg.gradient(), TOL, "float target column");
    }

    @Test
    void perSampleGradientNormsAsAColumn() {
        Loss loss = sdk.loss("squared-error");
        Network net = threeLayers(51);
        List<Sample> data = samples(net, loss, 60, 51);
        DenseVector expected = net.perSampleGradientNorms(inputs(data, 3), loss, targets(data, 2));
        Dataset<Row> df = frame(data, true, 4);
        Dataset<Row> scored = KronogradSpark.builder().batchSize(7).build()
                .withPerSampleGradientNorms(net, loss, df, "features", "label", "grad_norm");
        assertEquals(List.of("id", "features", "label", "grad_norm"), List.of(scored.columns()));
        assertEquals(DataTypes.DoubleType, scored.schema().apply("grad_norm").dataType());
        List<Row> rows = scored.collectAsList();
        List<Row> original = df.collectAsList();
        assertEquals(60, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            assertEquals(original.get(i).getLong(0), r.getLong(0), "row order and partitioning are kept");
            assertEquals(original.get(i).get(1), r.get(1));
            int id = (int) r.getLong(0);
            assertEquals(expected.get(id), r.getDouble(3), TOL * expected.get(id), "sample " + id);
        }
    }

    @Test
    void theSdkIsBuiltOncePerExecutorJvmNotPerPartitionOrRecord() {
        Loss loss = sdk.loss("squared-error");
        Network net = threeLayers(61);
        JavaRDD<Sample> rdd = jsc.parallelize(samples(net, loss, 200, 61), 8);
        DistributedObjective obj = KronogradSpark.builder().batchSize(3).build().objective(net, loss, rdd);
        int before = ExecutorSdk.built();
        obj.lossAndGradient(net.parameters());
        int after1 = ExecutorSdk.built();
        for (int i = 0; i < 3; i++) {
            obj.lossAndGradient(net.parameters());
            obj.gaussNewtonVectorProduct(net.parameters(), net.parameters());
        }
        assertTrue(after1 - before <= 1, "the first job builds at most one SDK (none if an earlier test did)");
        assertEquals(after1, ExecutorSdk.built(), "6 more jobs × 8 partitions built no new SDK");
    }

    // ---- bad input ------------------------------------------------------------------------------

    @Test
    void parametersAndVectorsAreCheckedOnTheDriverBeforeAnyJob() {
        Loss loss = sdk.loss("squared-error");
        Network net = threeLayers(71);
        DistributedObjective obj = KronogradSpark.create().objective(net, loss, jsc.parallelize(samples(net, loss, 4, 1), 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> obj.lossAndGradient(DenseVector.zeros(3)));
        assertEquals("parameters has length 3, expected " + net.parameterCount() + " (the network's parameter count)", e.getMessage());
        DenseVector nan = net.parameters().copy();
        nan.set(4, Double.NaN);
        e = assertThrows(IllegalArgumentException.class, () -> obj.lossAndGradient(nan));
        assertEquals("parameters has a non-finite value NaN at index 4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> obj.gaussNewtonVectorProduct(net.parameters(), DenseVector.zeros(2)));
        assertTrue(e.getMessage().startsWith("vector has length 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KronogradSpark.builder().batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> KronogradSpark.builder().treeDepth(0));
    }

    private static String chain(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c).append('\n');
        }
        return sb.toString();
    }

    @Test
    void aMalformedSampleFailsTheJobNamingThePartitionAndSample() {
        Loss loss = sdk.loss("squared-error");
        Network net = threeLayers(81);
        List<Sample> data = new ArrayList<>(samples(net, loss, 6, 81));
        data.set(4, Sample.of(new double[]{1, 2}, new double[]{0, 0}));
        DistributedObjective bad = KronogradSpark.create().objective(net, loss, jsc.parallelize(data, 2));
        SparkException e = assertThrows(SparkException.class, () -> bad.lossAndGradient(net.parameters()));
        assertTrue(chain(e).contains("sample 1 of partition 1: features has length 2, expected 3 (the network's inputs)"), chain(e));

        List<Sample> nan = new ArrayList<>(samples(net, loss, 6, 81));
        nan.get(2).target()[1] = Double.NaN;
        e = assertThrows(SparkException.class, () -> KronogradSpark.create().objective(net, loss, jsc.parallelize(nan, 1))
                .lossAndGradient(net.parameters()));
        assertTrue(chain(e).contains("partition 0, samples 0–5: targets has a non-finite value NaN at row 1, column 2"), chain(e));

        // the context and other objectives keep working
        List<Sample> good = samples(net, loss, 6, 82);
        Gradient expected = net.gradient(inputs(good, 3), loss, targets(good, 2));
        assertRelativelyClose(expected.flat(), KronogradSpark.create().objective(net, loss, jsc.parallelize(good, 2))
                .lossAndGradient(net.parameters()).gradient(), TOL, "after failures");
    }

    @Test
    void executorsKeepTheDriversFiniteCheckChoice() {
        Loss loss = sdk.loss("squared-error");
        Network net = sdk.network().inputs(3).checkFinite(false).layer(2, "tanh").build(new Random(1));
        List<Sample> data = new ArrayList<>(samples(net, loss, 6, 83));
        data.get(3).target()[0] = Double.NaN;
        LossAndGradient lg = KronogradSpark.create().objective(net, loss, jsc.parallelize(data, 2)).lossAndGradient(net.parameters());
        assertTrue(Double.isNaN(lg.loss()), "unchecked, as on the driver: NaN flows through instead of failing the job");
        assertTrue(!NetworkSpec.of(net, "squared-error").checksFinite());
    }

    @Test
    void columnsAreCheckedOnTheDriver() {
        Loss loss = sdk.loss("squared-error");
        Network net = threeLayers(91);
        Dataset<Row> df = frame(samples(net, loss, 5, 91), false, 1);
        KronogradSpark ks = KronogradSpark.create();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ks.objective(net, loss, df, "feature", "label"));
        assertEquals("the features column 'feature' is not in the data set; its columns are [id, features, label]", e.getMessage());
        Dataset<Row> strings = df.withColumn("text", org.apache.spark.sql.functions.lit("a"));
        e = assertThrows(IllegalArgumentException.class, () -> ks.objective(net, loss, strings, "text", "label"));
        assertEquals("the features column 'text' has type string; expected array<double>, an ML vector", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ks.objective(net, loss, df, "features", "id"));
        assertEquals("the target column 'id' holds single numbers (bigint) but the network has 2 outputs; use an array<double> or a vector column",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ks.withPerSampleGradientNorms(net, loss, df, "features", "label", "id"));
        assertEquals("the output column 'id' already exists in the data set", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ks.withPerSampleGradientNorms(net, loss, df, "features", "nope", "n"));
        assertEquals("the target column 'nope' is not in the data set; its columns are [id, features, label]", e.getMessage());
    }

    @Test
    void columnNamesWithDotsAndSpacesAreTakenLiterally() {
        Loss loss = sdk.loss("squared-error");
        Network net = threeLayers(93);
        List<Sample> data = samples(net, loss, 12, 93);
        Dataset<Row> df = frame(data, true, 2).withColumnRenamed("features", "in.x v").withColumnRenamed("label", "out`y");
        Gradient expected = net.gradient(inputs(data, 3), loss, targets(data, 2));
        assertRelativelyClose(expected.flat(), KronogradSpark.create().objective(net, loss, df, "in.x v", "out`y")
                .lossAndGradient(net.parameters()).gradient(), TOL, "quoted column names");
    }

    @Test
    void aWrongLengthInAnArrayColumnNamesTheColumn() {
        Loss loss = sdk.loss("squared-error");
        Network net = threeLayers(95);
        List<Row> rows = List.of(RowFactory.create(List.of(1.0, 2.0, 3.0), List.of(1.0, 2.0)),
                RowFactory.create(List.of(1.0, 2.0, 3.0), List.of(1.0)));
        Dataset<Row> df = spark.createDataFrame(rows, new StructType()
                .add("x", DataTypes.createArrayType(DataTypes.DoubleType)).add("y", DataTypes.createArrayType(DataTypes.DoubleType)))
                .coalesce(1);
        SparkException e = assertThrows(SparkException.class,
                () -> KronogradSpark.create().objective(net, loss, df, "x", "y").lossAndGradient(net.parameters()));
        assertTrue(chain(e).contains("sample 1 of partition 0: column 'y' has length 1, expected 2"), chain(e));
    }

    @Test
    void aPluginActivationMissingOnExecutorsIsNamed() {
        java.nio.file.Path jars = java.nio.file.Path.of(System.getProperty("kronograd.example.plugin.jars"));
        Kronograd withPlugin = Kronograd.builder().pluginPath(jars).build();
        Network net = SparkTesting.network(withPlugin, 97, 2, new int[]{3, 1}, new String[]{"mish", "identity"});
        Loss loss = withPlugin.loss("squared-error");
        // The executors of this context were given no plugin jar or folder.
        SparkException e = assertThrows(SparkException.class, () -> KronogradSpark.create()
                .objective(net, loss, jsc.parallelize(samples(net, loss, 4, 97), 2)).lossAndGradient(net.parameters()));
        assertTrue(chain(e).contains("layer 0 uses activation 'mish', which this JVM does not have"), chain(e));
    }

    @Test
    void theCallersParameterVectorIsNotKept() {
        // θ is copied into the broadcast: changing the caller's vector afterwards changes nothing.
        Loss loss = sdk.loss("squared-error");
        Network net = threeLayers(99);
        List<Sample> data = samples(net, loss, 10, 99);
        DenseVector theta = net.parameters().copy();
        DistributedObjective obj = KronogradSpark.create().objective(net, loss, jsc.parallelize(data, 2));
        LossAndGradient first = obj.lossAndGradient(theta);
        theta.set(0, theta.get(0) + 1);
        LossAndGradient second = obj.lossAndGradient(net.parameters());
        // Spark adds partial sums in task-completion order: equal up to rounding, not always bit for bit.
        assertRelativelyClose(first.gradient(), second.gradient(), 1e-14, "same θ, same gradient");
        assertEquals(first.loss(), second.loss(), 1e-14 * first.loss());
    }
}
