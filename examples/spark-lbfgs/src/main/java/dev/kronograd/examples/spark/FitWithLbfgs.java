package dev.kronograd.examples.spark;

import breeze.linalg.DenseVector$mcD$sp;
import breeze.optimize.FirstOrderMinimizer;
import breeze.optimize.LBFGS;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.loss.Loss;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.Iterator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.ToDoubleBiFunction;
import java.util.stream.IntStream;

/**
 * Fits a 2 → 16 → 16 → 2 tanh classifier to two interleaved spirals with full-batch L-BFGS:
 * Breeze's L-BFGS (the one Spark MLlib uses) asks for f(θ) and ∇f(θ); each request is one Spark
 * job in which the executors compute the loss and gradient of their partitions through Kronograd
 * and {@code treeAggregate} adds them up. The data are generated on the executors.
 *
 * <pre>
 * java [Spark's --add-opens options] -cp … dev.kronograd.examples.spark.FitWithLbfgs
 *      [--samples N] [--partitions P] [--iterations I] [--master URL] [--backend NAME] [--seed S]
 * spark-submit --class dev.kronograd.examples.spark.FitWithLbfgs app.jar --samples 1000000
 * </pre>
 */
public final class FitWithLbfgs {
    private static final Logger LOG = LoggerFactory.getLogger(FitWithLbfgs.class);

    /** Options of one run. */
    public record Options(long samples, int partitions, int iterations, long seed, String backend, double l2) {
        public static Options defaults() {
            return new Options(20_000, 4, 150, 1, null, 1e-5);
        }
    }

    /** What a run achieved. */
    public record Result(double initialLoss, double finalLoss, int iterations, int evaluations, double heldOutAccuracy,
                         double seconds, DenseVector parameters) {
    }

    private FitWithLbfgs() {
    }

    public static void main(String[] args) {
        Options o = Options.defaults();
        String master = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--samples" -> o = new Options(Long.parseLong(need(args[i], value)), o.partitions(), o.iterations(), o.seed(), o.backend(), o.l2());
                case "--partitions" -> o = new Options(o.samples(), Integer.parseInt(need(args[i], value)), o.iterations(), o.seed(), o.backend(), o.l2());
                case "--iterations" -> o = new Options(o.samples(), o.partitions(), Integer.parseInt(need(args[i], value)), o.seed(), o.backend(), o.l2());
                case "--seed" -> o = new Options(o.samples(), o.partitions(), o.iterations(), Long.parseLong(need(args[i], value)), o.backend(), o.l2());
                case "--backend" -> o = new Options(o.samples(), o.partitions(), o.iterations(), o.seed(), need(args[i], value), o.l2());
                case "--master" -> master = need(args[i], value);
                default -> {
                    System.err.println("unknown option " + args[i]
                            + "; options: --samples N --partitions P --iterations I --seed S --backend NAME --master URL");
                    System.exit(2);
                }
            }
            i++;
        }
        SparkSession.Builder b = SparkSession.builder().appName("kronograd-lbfgs").config("spark.ui.enabled", "false");
        if (master != null) {
            b.master(master);
        } else if (System.getProperty("spark.master") == null) {
            b.master("local[2]"); // run directly (not through spark-submit): a local two-thread "cluster"
        }
        SparkSession spark = b.getOrCreate();
        try {
            Result r = fit(spark, o);
            System.out.printf(Locale.ROOT, "mean loss %.6f → %.6f in %d iterations (%d evaluations, %.1f s); held-out accuracy %.4f%n",
                    r.initialLoss(), r.finalLoss(), r.iterations(), r.evaluations(), r.seconds(), r.heldOutAccuracy());
        } finally {
            spark.stop();
        }
    }

    private static String need(String option, String value) {
        if (value == null) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return value;
    }

    /** Generates the data on the executors, fits (progress every 10 iterations at INFO), and scores a held-out set generated on the driver. */
    public static Result fit(SparkSession spark, Options o) {
        Kronograd sdk = Kronograd.create();
        Loss loss = sdk.loss("softmax-cross-entropy");
        Network net = sdk.network().inputs(2).layer(16, "tanh").layer(16, "tanh").layer(2, "identity").build(new Random(o.seed()));

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        long perPartition = (o.samples() + o.partitions() - 1) / o.partitions();
        long seed = o.seed();
        long total = o.samples();
        JavaRDD<Sample> data = jsc.parallelize(IntStream.range(0, o.partitions()).boxed().toList(), o.partitions())
                .flatMap(p -> spirals((int) Math.max(0, Math.min(perPartition, total - p * perPartition)), seed * 1_000_003L + p).iterator());

        KronogradSpark ks = KronogradSpark.builder().executorBackend(o.backend()).batchSize(256).build();
        long start = System.nanoTime();
        try (DistributedObjective objective = ks.objective(net, loss, data).persist(StorageLevel.MEMORY_ONLY())) {
            MeanLoss f = new MeanLoss(objective, o.l2());
            LBFGS<breeze.linalg.DenseVector<Object>> lbfgs = new LBFGS<>(o.iterations(), 10, 1e-9,
                    breeze.linalg.DenseVector.space_Double());
            double[] theta0 = net.parameters().toArray();
            double initial = f.applyAsDouble(theta0.clone(), new double[theta0.length]);
            Iterator<FirstOrderMinimizer.State<breeze.linalg.DenseVector<Object>, Object, Object>> states =
                    lbfgs.iterations(new JavaDiffFunction(f), new DenseVector$mcD$sp(theta0));
            FirstOrderMinimizer.State<breeze.linalg.DenseVector<Object>, Object, Object> last = null;
            while (states.hasNext()) {
                last = states.next();
                if (LOG.isInfoEnabled() && (last.iter() % 10 == 0 || !states.hasNext())) {
                    LOG.info(String.format(Locale.ROOT, "iteration %4d  mean loss %.6f  ‖∇‖ %.3e", last.iter(), last.value(),
                            norm(toArray(last.grad()))));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            DenseVector theta = DenseVector.wrap(toArray(last.x()));
            double accuracy = accuracy(net.withParameters(theta), spirals(2000, seed + 42));
            return new Result(initial, last.value(), last.iter(), f.evaluations, accuracy, seconds, theta);
        }
    }

    /** f(θ) = L(θ)/N + (λ/2)‖θ‖² and its gradient, each evaluation one Spark job. */
    static final class MeanLoss implements ToDoubleBiFunction<double[], double[]> {
        private final DistributedObjective objective;
        private final double l2;
        int evaluations;

        MeanLoss(DistributedObjective objective, double l2) {
            this.objective = objective;
            this.l2 = l2;
        }

        @Override
        public double applyAsDouble(double[] theta, double[] gradient) {
            LossAndGradient lg = objective.lossAndGradient(DenseVector.wrap(theta));
            evaluations++;
            double n = lg.samples();
            double penalty = 0;
            for (int i = 0; i < gradient.length; i++) {
                gradient[i] = lg.gradient().get(i) / n + l2 * theta[i];
                penalty += theta[i] * theta[i];
            }
            return lg.loss() / n + 0.5 * l2 * penalty;
        }
    }

    static double[] toArray(breeze.linalg.DenseVector<Object> v) {
        double[] out = new double[v.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.apply$mcD$sp(i);
        }
        return out;
    }

    private static double norm(double[] a) {
        double s = 0;
        for (double d : a) {
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** Two interleaved spirals: class c ∈ {0, 1}, radius t ∈ (0, 1], angle 3πt + cπ, noise σ = 0.02. */
    static List<Sample> spirals(int count, long seed) {
        Random rnd = new Random(seed);
        List<Sample> out = new ArrayList<>(count);
        for (int s = 0; s < count; s++) {
            int c = rnd.nextInt(2);
            double t = 0.05 + 0.95 * rnd.nextDouble();
            double angle = 3 * Math.PI * t + c * Math.PI;
            double x = t * Math.cos(angle) + 0.02 * rnd.nextGaussian();
            double y = t * Math.sin(angle) + 0.02 * rnd.nextGaussian();
            double[] target = new double[2];
            target[c] = 1;
            out.add(Sample.of(new double[]{x, y}, target));
        }
        return out;
    }

    /** The fraction of {@code test} whose arg-max output is its class. */
    static double accuracy(Network net, List<Sample> test) {
        DenseMatrix x = DenseMatrix.zeros(2, test.size());
        for (int s = 0; s < test.size(); s++) {
            x.set(0, s, test.get(s).features()[0]);
            x.set(1, s, test.get(s).features()[1]);
        }
        DenseMatrix out = net.predict(x);
        int right = 0;
        for (int s = 0; s < test.size(); s++) {
            int predicted = out.get(1, s) > out.get(0, s) ? 1 : 0;
            if (test.get(s).target()[predicted] == 1) {
                right++;
            }
        }
        return (double) right / test.size();
    }
}
