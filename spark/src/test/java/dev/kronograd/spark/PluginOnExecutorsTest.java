package dev.kronograd.spark;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.Gradient;
import dev.kronograd.sdk.nn.Network;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.kronograd.spark.SparkTesting.assertRelativelyClose;
import static dev.kronograd.spark.SparkTesting.inputs;
import static dev.kronograd.spark.SparkTesting.samples;
import static dev.kronograd.spark.SparkTesting.targets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * An activation plugin shipped the usual Spark way — its jar in {@code spark.jars}, as
 * {@code spark-submit --jars} sets it — is found by the executors' SDK through the task class
 * loader, and the distributed gradient through it equals the single-machine one. The jar is not on
 * the test class path.
 */
class PluginOnExecutorsTest {
    private static SparkSession spark;
    private static Path pluginJar;

    @BeforeAll
    static void start() throws IOException {
        Path folder = Path.of(System.getProperty("kronograd.example.plugin.jars"));
        try (Stream<Path> files = Files.list(folder)) {
            pluginJar = files.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        spark = SparkTesting.session("kronograd-plugin-test", Map.of("spark.jars", pluginJar.toUri().toString()));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void thePluginIsNotOnTheTestClassPath() {
        assertThrows(ClassNotFoundException.class,
                () -> Class.forName("dev.kronograd.examples.activation.Mish", false, PluginOnExecutorsTest.class.getClassLoader()));
        assertFalse(Kronograd.create().activations().names().contains("mish"));
    }

    @Test
    void executorsLoadThePluginFromSparkJars() {
        // The driver loads the plugin from its folder; executors get it only through spark.jars.
        Kronograd driver = Kronograd.builder().pluginPath(pluginJar.getParent()).build();
        Network net = SparkTesting.network(driver, 7, 3, new int[]{5, 2}, new String[]{"mish", "tanh"});
        Loss loss = driver.loss("squared-error");
        List<Sample> data = samples(net, loss, 80, 7);
        Gradient expected = net.gradient(inputs(data, 3), loss, targets(data, 2));

        LossAndGradient lg = KronogradSpark.builder().batchSize(16).build()
                .objective(net, loss, JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(data, 4))
                .lossAndGradient(net.parameters());
        assertEquals(80, lg.samples());
        assertEquals(expected.loss(), lg.loss(), 1e-12 * expected.loss());
        assertRelativelyClose(expected.flat(), lg.gradient(), 1e-12, "gradient through the plugin activation");
    }
}
