package dev.kronograd.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.BatchWorkspace;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code kronograd bench --m M --n N --batch B}: times the gradient of one dense layer σ(W x + b)
 * (squared error, float64) on this machine and backend — {@code Network.gradient} into caller
 * buffers, the training hot path — and prints one JSON object:
 *
 * <pre>
 *   {"backend", "m", "n", "batch", "activation", "reps", "warmup_calls",
 *    "median_ms", "min_ms", "max_ms", "gflops", "gflops_best"}
 * </pre>
 *
 * Times are per gradient after a warm-up (at least {@code --warmup-ms} and 10 calls, so the JIT
 * has compiled the path); {@code gflops} is 4·m·n·B / median time (the two products of 2·m·n·B
 * flops a layer gradient needs: W X forward and Δ Xᵀ), {@code gflops_best} the same at the
 * minimum. A quick look, not a benchmark: the JMH suite in {@code benchmarks/} is the careful one.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Times one dense layer's gradient on this machine and prints JSON.",
                "",
                "Layer σ(W x + b) with W M×N, a batch of B random samples, squared-error loss. After a warm-up, "
                        + "each of --reps gradients is timed. Prints {\"backend\", \"m\", \"n\", \"batch\", \"median_ms\", "
                        + "\"min_ms\", \"gflops\" (4·M·N·B / median), …}."})
final class BenchCommand implements Callable<Integer> {
    /** Largest θ or batch buffer accepted, in doubles: Java arrays stop just below 2³¹ elements. */
    private static final long MAX_BUFFER = Integer.MAX_VALUE - 8L;
    /** The warm-up stops after this long even if fewer than {@link #MIN_WARMUP_CALLS} calls ran. */
    private static final long MAX_WARMUP_NANOS = 10_000_000_000L;
    private static final int MIN_WARMUP_CALLS = 10;

    @Spec
    private CommandSpec spec;
    @Mixin
    private SdkOptions sdk;
    @Mixin
    private JsonOutputOptions output;

    @Option(names = "--m", paramLabel = "M", required = true, description = "Outputs of the layer (rows of W).")
    private int m;

    @Option(names = "--n", paramLabel = "N", required = true, description = "Inputs of the layer (columns of W).")
    private int n;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "1", description = "Samples per gradient (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--activation", paramLabel = "A", defaultValue = "tanh",
            description = "Activation σ, by name (see 'kronograd activations'; default: ${DEFAULT-VALUE}).")
    private String activation;

    @Option(names = "--reps", paramLabel = "R", defaultValue = "50", description = "Timed gradients after the warm-up (default: ${DEFAULT-VALUE}).")
    private int reps;

    @Option(names = "--warmup-ms", paramLabel = "MS", defaultValue = "500",
            description = "Minimum warm-up time in milliseconds, with at least 10 calls (default: ${DEFAULT-VALUE}).")
    private long warmupMillis;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1", description = "Seed of the random weights and data (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Override
    public Integer call() {
        checkOptions();
        Kronograd kronograd = sdk.kronograd();
        Random random = new Random(seed);
        Network net = kronograd.network().inputs(n).layer(m, activation).build(random);
        Loss loss = kronograd.loss("squared-error");
        DenseMatrix x = gaussian(n, batch, random);
        DenseMatrix y = gaussian(m, batch, random);
        BatchWorkspace ws = net.newWorkspace();
        DenseVector gradient = DenseVector.zeros(net.parameterCount());

        double sink = 0;
        int warmupCalls = 0;
        long start = System.nanoTime();
        long minimum = warmupMillis * 1_000_000L;
        long elapsed;
        do {
            sink += net.gradient(x, loss, y, ws, gradient);
            warmupCalls++;
            elapsed = System.nanoTime() - start;
        } while ((warmupCalls < MIN_WARMUP_CALLS || elapsed < minimum) && elapsed < MAX_WARMUP_NANOS);

        double[] millis = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            sink += net.gradient(x, loss, y, ws, gradient);
            millis[r] = (System.nanoTime() - t0) / 1e6;
        }
        if (!Double.isFinite(sink)) {
            throw new IllegalStateException("the loss came out non-finite (" + sink + ") on finite random data");
        }
        Arrays.sort(millis);
        double median = reps % 2 == 1 ? millis[reps / 2] : (millis[reps / 2 - 1] + millis[reps / 2]) / 2;
        double flops = 4.0 * m * n * batch;

        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("backend", kronograd.backendName());
        result.put("m", m);
        result.put("n", n);
        result.put("batch", batch);
        result.put("activation", net.layer(0).activation().name());
        result.put("loss", loss.name());
        result.put("reps", reps);
        result.put("warmup_calls", warmupCalls);
        result.put("median_ms", median);
        result.put("min_ms", millis[0]);
        result.put("max_ms", millis[reps - 1]);
        result.put("gflops", flops / (median * 1e6));
        result.put("gflops_best", flops / (millis[0] * 1e6));
        result.put("processors", Runtime.getRuntime().availableProcessors());
        result.put("elementwise_threads", net.elementwiseThreads());
        result.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        output.print(result, spec.commandLine().getOut());
        return KronogradCli.EXIT_OK;
    }

    private void checkOptions() {
        requirePositive("--m", m);
        requirePositive("--n", n);
        requirePositive("--batch", batch);
        requirePositive("--reps", reps);
        if (warmupMillis < 0) {
            throw new UserInputException("--warmup-ms must be ≥ 0, was " + warmupMillis);
        }
        long parameters = (long) m * n + m;
        long largestBatchBuffer = (long) Math.max(m, n) * batch;
        if (parameters > MAX_BUFFER || largestBatchBuffer > MAX_BUFFER) {
            throw new UserInputException("a " + m + "×" + n + " layer with batch " + batch + " needs a buffer of "
                    + Math.max(parameters, largestBatchBuffer) + " doubles, beyond the " + MAX_BUFFER + " a Java array holds");
        }
    }

    private static void requirePositive(String option, int value) {
        if (value < 1) {
            throw new UserInputException(option + " must be ≥ 1, was " + value);
        }
    }

    private static DenseMatrix gaussian(int rows, int cols, Random random) {
        double[] data = new double[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextGaussian();
        }
        return DenseMatrix.wrap(data, rows, cols);
    }
}
