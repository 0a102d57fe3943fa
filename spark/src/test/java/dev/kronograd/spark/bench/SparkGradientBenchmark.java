package dev.kronograd.spark.bench;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.BatchWorkspace;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.spark.DistributedObjective;
import dev.kronograd.spark.KronogradSpark;
import dev.kronograd.spark.LossAndGradient;
import dev.kronograd.spark.Sample;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The full-batch gradient of N samples through Spark against the same gradient on one machine,
 * in one run: {@code distributed} (KronogradSpark, batches of 256 per task, local[1] or local[2]),
 * {@code singleMachineBatched} (the same batches of 256, streamed on the driver thread: what one
 * executor core does without Spark) and {@code singleMachineOneBatch} (all N samples as one GEMM).
 * samples/s = N / time. Run by {@code benchmarks/run-spark-benchmarks.sh}; not part of
 * {@code mvn verify}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SparkGradientBenchmark {
    /** Spark master of the session. */
    @Param({"local[1]", "local[2]"})
    public String master;

    /** Width of the two hidden tanh layers (inputs = width, 10 outputs, softmax cross-entropy). */
    @Param({"64", "256"})
    public int width;

    /** Samples N. */
    @Param({"65536"})
    public int samples;

    /** Spark partitions. */
    @Param({"8"})
    public int partitions;

    private SparkSession spark;
    private Network net;
    private Loss loss;
    private DistributedObjective objective;
    private DenseMatrix x;
    private DenseMatrix y;
    private BatchWorkspace oneBatch;
    private BatchWorkspace batched;
    private DenseVector g;
    private DenseVector gBatch;

    @Setup(Level.Trial)
    public void setUp() {
        spark = SparkSession.builder().master(master).appName("kronograd-spark-benchmark").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        Kronograd sdk = Kronograd.create();
        loss = sdk.loss("softmax-cross-entropy");
        net = sdk.network().inputs(width).layer(width, "tanh").layer(width, "tanh").layer(10, "identity").build(new Random(1));
        // The same samples twice: generated on the executors per partition (as data read from storage
        // would be, so tasks do not carry them), and on the driver as one n×N matrix for the baselines.
        int n = width;
        int per = samples / partitions;
        JavaRDD<Sample> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(IntStream.range(0, partitions).boxed().toList(), partitions)
                .flatMap(p -> generate(n, per, p).iterator());
        objective = KronogradSpark.builder().batchSize(256).build().objective(net, loss, rdd).persist(StorageLevel.MEMORY_ONLY());
        objective.lossAndGradient(net.parameters()); // materialise the persisted data and the executors' SDK
        x = DenseMatrix.zeros(width, per * partitions);
        y = DenseMatrix.zeros(10, per * partitions);
        for (int p = 0; p < partitions; p++) {
            List<Sample> part = generate(n, per, p);
            for (int s = 0; s < per; s++) {
                int col = p * per + s;
                System.arraycopy(part.get(s).features(), 0, x.data(), col * width, width);
                System.arraycopy(part.get(s).target(), 0, y.data(), col * 10, 10);
            }
        }
        oneBatch = net.newWorkspace();
        batched = net.newWorkspace();
        g = DenseVector.zeros(net.parameterCount());
        gBatch = DenseVector.zeros(net.parameterCount());
    }

    /** Partition p's samples: x ~ N(0, 1), one-hot y; seeded by p. */
    static List<Sample> generate(int width, int count, int partition) {
        Random rnd = new Random(1000 + partition);
        List<Sample> out = new ArrayList<>(count);
        for (int s = 0; s < count; s++) {
            double[] f = new double[width];
            for (int i = 0; i < width; i++) {
                f[i] = rnd.nextGaussian();
            }
            double[] t = new double[10];
            t[rnd.nextInt(10)] = 1;
            out.add(Sample.of(f, t));
        }
        return out;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        objective.close();
        spark.stop();
    }

    @Benchmark
    public LossAndGradient distributed() {
        return objective.lossAndGradient(net.parameters());
    }

    @Benchmark
    public double singleMachineOneBatch() {
        return net.gradient(x, loss, y, oneBatch, g);
    }

    @Benchmark
    public double singleMachineBatched() {
        double total = 0;
        double[] sum = g.data();
        java.util.Arrays.fill(sum, 0);
        int count = x.cols();
        for (int from = 0; from < count; from += 256) {
            int b = Math.min(256, count - from);
            total += net.gradient(x.block(0, from, width, b), loss, y.block(0, from, 10, b), batched, gBatch);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += gBatch.get(i);
            }
        }
        return total;
    }
}
