package dev.kronograd.spark;

import dev.kronograd.core.DenseVector;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * A network's loss over a distributed data set, L(θ) = Σ_s ℓ(f_θ(x_s), y_s), with its gradient and
 * Gauss–Newton-vector products, each computed by one Spark job: θ (and v) broadcast, partitions
 * streamed through the SDK in batches, partial sums combined with {@code treeAggregate}. Every call
 * destroys its broadcast when the job ends, so an optimiser loop leaves nothing behind.
 *
 * <p>Evaluations re-read the data: {@link #persist} it (and {@link #close} afterwards) when an
 * optimiser evaluates many times. Created by {@link KronogradSpark#objective}; use on the driver.
 */
public final class DistributedObjective implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DistributedObjective.class);

    private final NetworkSpec spec;
    private final KronogradSpark config;
    private final Source<?> source;
    private boolean persisted;

    /** A data set and how to read samples from its records. */
    private record Source<T>(JavaRDD<T> rdd, SampleReader<T> reader) {
    }

    <T> DistributedObjective(NetworkSpec spec, KronogradSpark config, JavaRDD<T> rdd, SampleReader<T> reader) {
        this.spec = spec;
        this.config = config;
        this.source = new Source<>(rdd, reader);
    }

    /** The network structure and loss the objective evaluates. */
    public NetworkSpec spec() {
        return spec;
    }

    /** P, the length of θ and of every gradient. */
    public int parameterCount() {
        return spec.parameterCount();
    }

    /** Keeps the data (as read for this objective) at {@code level} across evaluations; returns this. */
    public synchronized DistributedObjective persist(StorageLevel level) {
        if (!persisted) {
            source.rdd().persist(level);
            persisted = true;
        }
        return this;
    }

    /** Releases what {@link #persist} kept (no-op otherwise). */
    @Override
    public synchronized void close() {
        if (persisted) {
            source.rdd().unpersist(false);
            persisted = false;
        }
    }

    /**
     * The total loss and gradient at {@code theta} (length P, finite). One Spark job.
     *
     * <p>A malformed sample (wrong length, null, NaN, a target the loss rejects) fails the job: Spark
     * throws a {@code SparkException} whose message and cause name the partition and sample.
     *
     * @throws IllegalArgumentException when θ has the wrong length or a non-finite entry (no job is run)
     */
    public LossAndGradient lossAndGradient(DenseVector theta) {
        double[] t = checkedParameters(spec, theta);
        return run(source, t);
    }

    private <T> LossAndGradient run(Source<T> s, double[] theta) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(s.rdd().context());
        Broadcast<double[]> b = jsc.broadcast(theta);
        try {
            long start = System.nanoTime();
            PartialSums sums = s.rdd()
                    .mapPartitionsWithIndex(new PartitionTasks.GradientSums<>(spec, config.executorSettings(), b, s.reader(),
                            config.batchSize()), false)
                    .treeAggregate(new PartialSums(), PartialSums::merge, PartialSums::merge, config.treeDepth());
            LOG.debug("loss and gradient over {} samples in {} ms", sums.count, (System.nanoTime() - start) / 1_000_000);
            return new LossAndGradient(sums.loss, vector(sums), sums.count);
        } finally {
            b.destroy();
        }
    }

    /**
     * G(θ) v = Σ_s J_sᵀ ∇²ℓ_s J_s v, the Gauss–Newton (GGN) matrix of the total loss times {@code v},
     * without forming G: per batch a JVP, the loss Hessian and a VJP through the operators. One job.
     *
     * @throws IllegalArgumentException when θ or v has the wrong length or a non-finite entry
     */
    public DenseVector gaussNewtonVectorProduct(DenseVector theta, DenseVector v) {
        double[] t = checkedParameters(spec, theta);
        double[] w = checked("vector", spec, v);
        return runGgn(source, t, w);
    }

    private <T> DenseVector runGgn(Source<T> s, double[] theta, double[] v) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(s.rdd().context());
        Broadcast<double[][]> b = jsc.broadcast(new double[][]{theta, v});
        try {
            PartialSums sums = s.rdd()
                    .mapPartitionsWithIndex(new PartitionTasks.GaussNewtonSums<>(spec, config.executorSettings(), b, s.reader(),
                            config.batchSize()), false)
                    .treeAggregate(new PartialSums(), PartialSums::merge, PartialSums::merge, config.treeDepth());
            return vector(sums);
        } finally {
            b.destroy();
        }
    }

    /**
     * ‖∇_θ ℓ_s‖ for every sample at {@code theta}, as an RDD with the data's partitioning and order
     * (so it zips with the samples). Lazy: θ is broadcast now, and that broadcast is kept while the
     * result may be recomputed.
     */
    public JavaRDD<Double> perSampleGradientNorms(DenseVector theta) {
        double[] t = checkedParameters(spec, theta);
        return norms(source, t);
    }

    private <T> JavaRDD<Double> norms(Source<T> s, double[] theta) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(s.rdd().context());
        Broadcast<double[]> b = jsc.broadcast(theta);
        return s.rdd().mapPartitionsWithIndex(new PartitionTasks.PerSampleNorms<>(spec, config.executorSettings(), b, s.reader(),
                config.batchSize(), DistributedObjective::normOnly), true);
    }

    private static <T> Double normOnly(T record, Double norm) {
        return norm;
    }

    private DenseVector vector(PartialSums sums) {
        return sums.vector == null ? DenseVector.zeros(spec.parameterCount()) : DenseVector.wrap(sums.vector);
    }

    /** θ as a fresh array, after checking its length and that it is finite. */
    static double[] checkedParameters(NetworkSpec spec, DenseVector theta) {
        return checked("parameters", spec, theta);
    }

    private static double[] checked(String what, NetworkSpec spec, DenseVector v) {
        Objects.requireNonNull(v, what);
        if (v.length() != spec.parameterCount()) {
            throw new IllegalArgumentException(what + " has length " + v.length() + ", expected " + spec.parameterCount()
                    + " (the network's parameter count)");
        }
        double[] a = v.toArray();
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                throw new IllegalArgumentException(what + " has a non-finite value " + a[i] + " at index " + i);
            }
        }
        return a;
    }

    @Override
    public String toString() {
        return "DistributedObjective[" + spec + ", batch " + config.batchSize() + ", tree depth " + config.treeDepth() + "]";
    }
}
