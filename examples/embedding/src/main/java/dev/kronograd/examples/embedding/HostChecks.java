package dev.kronograd.examples.embedding;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.nn.Gradient;
import dev.kronograd.sdk.nn.Network;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a host sees of the SDK from the outside, run on the host's own class path (kronograd-sdk,
 * the EJML backend, logback): it builds the SDK with {@link Kronograd#builder()} as a plain host
 * does — no {@code fromEnvironment()} — computes the gradient of a fixed two-layer network,
 * closes the SDK, and prints what it found as {@code key=value} lines on stdout:
 *
 * <ul>
 *   <li>{@code backend}, {@code loss}, {@code gradient} (the flat θ-gradient, every number in
 *       full precision) — {@code EmbeddingTest} compares them with {@code kronograd gradient} on
 *       the same case;</li>
 *   <li>{@code activations}: the names the SDK knows (a plugin that only
 *       {@code KRONOGRAD_PLUGIN_PATH} names must not be among them);</li>
 *   <li>{@code closed} and {@code after-close}: what using the SDK after {@code close()} does;</li>
 *   <li>{@code java.awt.headless}, {@code sun.net.httpserver.nodelay}: JVM-wide properties the
 *       SDK must leave alone.</li>
 * </ul>
 * The SDK's own log lines go wherever the host's logging sends them: here logback, to stderr.
 */
public final class HostChecks {
    private static final Logger LOG = LoggerFactory.getLogger(HostChecks.class);

    /** Layer 0 (tanh): 3 inputs → 2 units. */
    public static final double[][] W0 = {{0.5, -1.0, 0.25}, {2.0, 0.25, -0.75}};
    public static final double[] B0 = {0.1, -0.2};
    /** Layer 1 (identity): 2 → 2. */
    public static final double[][] W1 = {{1.5, -0.5}, {0.3, 0.8}};
    public static final double[] B1 = {0.05, -0.05};
    /** Two samples, one per row here (the SDK takes them as columns). */
    public static final double[][] INPUTS = {{1.0, 2.0, -1.0}, {-0.5, 0.25, 3.0}};
    public static final double[][] TARGETS = {{0.0, 1.0}, {1.0, -1.0}};

    private HostChecks() {
    }

    public static void main(String[] args) {
        Kronograd sdk = Kronograd.builder().backend("ejml").build();
        Network network = sdk.network()
                .layer(DenseMatrix.ofRows(W0), DenseVector.of(B0), "tanh")
                .layer(DenseMatrix.ofRows(W1), DenseVector.of(B1), "identity")
                .build();
        Gradient gradient = network.gradient(columns(INPUTS), sdk.loss("squared-error"), columns(TARGETS));
        LOG.info("host computed a gradient of {} parameters on {}", network.parameterCount(), sdk.backendName());
        System.out.println("backend=" + sdk.backendName());
        System.out.println("loss=" + gradient.loss());
        System.out.println("gradient=" + Arrays.stream(gradient.flat().toArray()).mapToObj(Double::toString)
                .collect(Collectors.joining(",")));
        System.out.println("activations=" + String.join(",", sdk.activations().names()));

        sdk.close();
        sdk.close(); // idempotent
        System.out.println("closed=" + sdk.isClosed());
        String afterClose;
        try {
            sdk.network();
            afterClose = "no error";
        } catch (IllegalStateException e) {
            afterClose = "IllegalStateException: " + e.getMessage();
        }
        System.out.println("after-close=" + afterClose);
        System.out.println("java.awt.headless=" + System.getProperty("java.awt.headless"));
        System.out.println("sun.net.httpserver.nodelay=" + System.getProperty("sun.net.httpserver.nodelay"));
    }

    /** The rows of {@code samples} as the columns of an n×B matrix. */
    private static DenseMatrix columns(double[][] samples) {
        DenseMatrix m = DenseMatrix.zeros(samples[0].length, samples.length);
        for (int s = 0; s < samples.length; s++) {
            m.column(s).setFrom(DenseVector.of(samples[s]));
        }
        return m;
    }
}
