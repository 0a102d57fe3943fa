package dev.kronograd.spark;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.Gradient;
import dev.kronograd.sdk.nn.Network;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.kronograd.spark.SparkTesting.assertRelativelyClose;
import static dev.kronograd.spark.SparkTesting.inputs;
import static dev.kronograd.spark.SparkTesting.samples;
import static dev.kronograd.spark.SparkTesting.targets;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** With Spark's Kryo serialiser (common in production) samples and partial sums still travel. */
class KryoSerializerTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkTesting.session("kronograd-kryo-test", Map.of("spark.serializer", "org.apache.spark.serializer.KryoSerializer"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void serialisedSamplesAndSumsGiveTheSameGradient() {
        Kronograd sdk = Kronograd.create();
        Loss loss = sdk.loss("softmax-cross-entropy");
        Network net = SparkTesting.network(sdk, 3, 4, new int[]{6, 3}, new String[]{"relu", "identity"});
        List<Sample> data = samples(net, loss, 150, 3);
        Gradient expected = net.gradient(inputs(data, 4), loss, targets(data, 3));
        // Serialised storage and a shuffle make Kryo write the samples; treeAggregate's shuffle writes the sums.
        JavaRDD<Sample> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(data, 3)
                .repartition(5).persist(StorageLevel.MEMORY_ONLY_SER());
        LossAndGradient lg = KronogradSpark.builder().batchSize(32).treeDepth(3).build().objective(net, loss, rdd)
                .lossAndGradient(net.parameters());
        assertEquals(150, lg.samples());
        assertEquals(expected.loss(), lg.loss(), 1e-12 * expected.loss());
        assertRelativelyClose(expected.flat(), lg.gradient(), 1e-12, "gradient with Kryo");
    }
}
