package dev.kronograd.spark;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.nn.DenseLayer;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.sdk.nn.NetworkBuilder;
import dev.kronograd.core.DenseVector;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What an executor needs to rebuild a network: the input length, each layer's output length and
 * activation name, and the loss name. Parameters travel separately (broadcast per evaluation).
 * Immutable and serialisable; activations and the loss are resolved by name on each executor, so
 * plugin activations must be available there too.
 */
public final class NetworkSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int inputs;
    private final int[] outputs;
    private final String[] activations;
    private final String loss;
    private final int parameterCount;
    private final boolean checkFinite;

    private NetworkSpec(int inputs, int[] outputs, String[] activations, String loss, int parameterCount, boolean checkFinite) {
        this.inputs = inputs;
        this.outputs = outputs;
        this.activations = activations;
        this.loss = loss;
        this.parameterCount = parameterCount;
        this.checkFinite = checkFinite;
    }

    /** The structure of {@code network} with the loss called {@code lossName}. */
    public static NetworkSpec of(Network network, String lossName) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(lossName, "loss");
        List<DenseLayer> layers = network.layers();
        int[] outs = new int[layers.size()];
        String[] acts = new String[layers.size()];
        for (int k = 0; k < layers.size(); k++) {
            outs[k] = layers.get(k).outputs();
            acts[k] = layers.get(k).activation().name();
        }
        return new NetworkSpec(network.inputs(), outs, acts, lossName, network.parameterCount(), network.checksFinite());
    }

    /** The input length n (features per sample). */
    public int inputs() {
        return inputs;
    }

    /** The output length of the last layer (target entries per sample). */
    public int outputs() {
        return outputs[outputs.length - 1];
    }

    /** The number of parameters P = Σ m_k (n_k + 1). */
    public int parameterCount() {
        return parameterCount;
    }

    /** The loss name. */
    public String loss() {
        return loss;
    }

    /** Whether inputs and targets are checked for NaN/Infinity (as the driver's network was built). */
    public boolean checksFinite() {
        return checkFinite;
    }

    /** The number of layers. */
    public int layers() {
        return outputs.length;
    }

    /** Layer k's activation name. */
    public String activation(int k) {
        return activations[k];
    }

    /**
     * Rebuilds the network on {@code sdk} with parameters {@code theta} (copied).
     *
     * @throws IllegalStateException naming the layer when an activation is unknown to {@code sdk}
     */
    public Network build(Kronograd sdk, double[] theta) {
        NetworkBuilder b = sdk.network().inputs(inputs).checkFinite(checkFinite);
        for (int k = 0; k < outputs.length; k++) {
            if (!sdk.activations().names().contains(activations[k])) {
                throw new IllegalStateException("layer " + k + " uses activation '" + activations[k]
                        + "', which this JVM does not have (known: " + sdk.activations().names()
                        + "); ship the plugin jar to the executors with --jars / spark.jars, or give a plugin folder"
                        + " that exists on every executor (KronogradSpark.Builder.executorPluginFolder)");
            }
            b.layer(outputs[k], activations[k]);
        }
        // Glorot values drawn here are replaced at once by θ.
        return b.build(new java.util.Random(0)).withParameters(DenseVector.wrap(theta));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkSpec s && inputs == s.inputs && Arrays.equals(outputs, s.outputs)
                && Arrays.equals(activations, s.activations) && loss.equals(s.loss) && checkFinite == s.checkFinite;
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputs, Arrays.hashCode(outputs), Arrays.hashCode(activations), loss, checkFinite);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("NetworkSpec[").append(inputs);
        for (int k = 0; k < outputs.length; k++) {
            sb.append(" → ").append(outputs[k]).append(' ').append(activations[k]);
        }
        return sb.append(", loss=").append(loss).append(", P=").append(parameterCount).append(']').toString();
    }
}
