package dev.kronograd.spark;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared helpers: a local[2] session, seeded data, and the single-machine oracle. */
final class SparkTesting {
    private SparkTesting() {
    }

    /** A local[2] session with the UI off and loopback networking, plus {@code extra} settings. */
    static SparkSession session(String name, Map<String, String> extra) {
        SparkSession.Builder b = SparkSession.builder().master("local[2]").appName(name)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2");
        extra.forEach(b::config);
        return b.getOrCreate();
    }

    /** n random samples for {@code net}: x ~ U(−1, 1); y one-hot (softmax) or U(−1, 1). */
    static List<Sample> samples(Network net, Loss loss, int count, long seed) {
        Random rnd = new Random(seed);
        List<Sample> out = new ArrayList<>(count);
        for (int s = 0; s < count; s++) {
            double[] x = new double[net.inputs()];
            for (int i = 0; i < x.length; i++) {
                x[i] = 2 * rnd.nextDouble() - 1;
            }
            double[] y = new double[net.outputs()];
            if (loss.name().equals("softmax-cross-entropy")) {
                y[rnd.nextInt(y.length)] = 1;
            } else {
                for (int i = 0; i < y.length; i++) {
                    y[i] = 2 * rnd.nextDouble() - 1;
                }
            }
            out.add(Sample.of(x, y));
        }
        return out;
    }

    /** The samples' inputs as the columns of one n×N matrix. */
    static DenseMatrix inputs(List<Sample> samples, int n) {
        DenseMatrix x = DenseMatrix.zeros(n, samples.size());
        for (int s = 0; s < samples.size(); s++) {
            System.arraycopy(samples.get(s).features(), 0, x.data(), s * n, n);
        }
        return x;
    }

    /** The samples' targets as the columns of one k×N matrix. */
    static DenseMatrix targets(List<Sample> samples, int k) {
        DenseMatrix y = DenseMatrix.zeros(k, samples.size());
        for (int s = 0; s < samples.size(); s++) {
            System.arraycopy(samples.get(s).target(), 0, y.data(), s * k, k);
        }
        return y;
    }

    /** A network n → hidden… → outputs with seeded Glorot weights and non-zero biases. */
    static Network network(Kronograd sdk, long seed, int inputs, int[] sizes, String[] activations) {
        var b = sdk.network().inputs(inputs);
        for (int k = 0; k < sizes.length; k++) {
            b.layer(sizes[k], activations[k]);
        }
        Network net = b.build(new Random(seed));
        DenseVector theta = net.parameters().copy();
        Random rnd = new Random(seed + 1);
        for (int i = 0; i < theta.length(); i++) {
            theta.set(i, theta.get(i) + 0.1 * rnd.nextGaussian()); // biases non-zero too
        }
        return net.withParameters(theta);
    }

    /** ‖a − b‖ / max(‖b‖, tiny) ≤ tol, with a message giving the figure. */
    static void assertRelativelyClose(DenseVector expected, DenseVector actual, double tol, String what) {
        double diff = 0;
        for (int i = 0; i < expected.length(); i++) {
            double d = expected.get(i) - actual.get(i);
            diff += d * d;
        }
        double rel = Math.sqrt(diff) / Math.max(expected.norm(), Double.MIN_NORMAL);
        assertTrue(rel <= tol, what + ": normwise relative error " + rel + " > " + tol);
    }
}
