package dev.kronograd.sdk.train;

import dev.kronograd.sdk.nn.BatchWorkspace;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.core.DenseMatrix;

/**
 * Accuracy of a network on one fixed data set, evaluated as one batch: the predicted class of a
 * sample is the arg-max of its outputs (the first on ties). The inputs and the workspace are
 * built once, so {@link #evaluate()} may run after every epoch without allocating batch-sized
 * memory. Not thread-safe.
 */
public final class ClassificationAccuracy {
    private final Network network;
    private final Dataset data;
    private final DenseMatrix inputs;
    private final BatchWorkspace workspace;

    /** For {@code network}'s current (and future) parameters on {@code data}. */
    public ClassificationAccuracy(Network network, Dataset data) {
        if (data.featureCount() != network.inputs()) {
            throw new IllegalArgumentException(data.name() + " has " + data.featureCount() + " features but the network takes "
                    + network.inputs() + " inputs");
        }
        if (data.classCount() > network.outputs()) {
            throw new IllegalArgumentException(data.name() + " has " + data.classCount() + " classes but the network has only "
                    + network.outputs() + " outputs");
        }
        this.network = network;
        this.data = data;
        this.inputs = data.features();
        this.workspace = network.newWorkspace();
    }

    /** The fraction of samples whose predicted class is their label, in [0, 1]. */
    public double evaluate() {
        DenseMatrix out = network.forward(inputs, workspace).get(network.layers().size() - 1).output();
        int correct = 0;
        for (int s = 0; s < data.size(); s++) {
            if (argMax(out, s) == data.label(s)) {
                correct++;
            }
        }
        return (double) correct / data.size();
    }

    /** The predicted class of every sample. */
    public int[] predictions() {
        DenseMatrix out = network.forward(inputs, workspace).get(network.layers().size() - 1).output();
        int[] classes = new int[data.size()];
        for (int s = 0; s < classes.length; s++) {
            classes[s] = argMax(out, s);
        }
        return classes;
    }

    /** The predicted class of sample {@code s}: the row of the largest entry of column {@code s} of {@code outputs} (the first on ties). */
    public static int argMax(DenseMatrix outputs, int s) {
        int best = 0;
        double bestValue = outputs.get(0, s);
        for (int i = 1; i < outputs.rows(); i++) {
            double value = outputs.get(i, s);
            if (value > bestValue) {
                best = i;
                bestValue = value;
            }
        }
        return best;
    }
}
