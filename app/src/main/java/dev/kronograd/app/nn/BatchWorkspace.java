package dev.kronograd.app.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.operator.Operators;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reusable buffers and operators for evaluating one {@link Network} on batches of one size: with
 * a workspace, a training step allocates no batch-sized memory. The structured operators of
 * every layer are built once, on views of these buffers, and re-used for each batch.
 *
 * <p>Owned by one thread at a time (it is mutable scratch); create one per thread. A workspace
 * adapts to a new batch size by re-allocating (so keep mini-batch sizes steady for speed).
 */
public final class BatchWorkspace {
    private final Network network;
    private final Operators ops;
    private int batch = -1;
    private DenseMatrix input;
    private DenseVector ones;
    private List<LayerEvaluation> layers = List.of();
    /** The gradient buffer of the last call and its per-layer slices, kept so a training loop makes no views per step. */
    private DenseVector gradientTarget;
    private DenseVector[] gradientSlices;

    BatchWorkspace(Network network, Operators ops) {
        this.network = network;
        this.ops = ops;
    }

    /** The network this workspace serves. */
    public Network network() {
        return network;
    }

    /** The batch size of the current buffers, or −1 before the first use. */
    public int batchSize() {
        return batch;
    }

    /** Per-layer evaluations of the last batch (views; valid until the next evaluation). */
    public List<LayerEvaluation> layers() {
        return layers;
    }

    /** The last layer's evaluation. */
    public LayerEvaluation last() {
        return layers.get(layers.size() - 1);
    }

    /** Makes the buffers fit a batch of {@code b} samples. */
    void prepare(int b) {
        if (b == batch) {
            return;
        }
        batch = b;
        input = DenseMatrix.zeros(network.inputs(), b);
        ones = DenseVector.zeros(b).fill(1.0);
        List<LayerEvaluation> evals = new ArrayList<>();
        DenseMatrix prev = input;
        for (DenseLayer layer : network.layers()) {
            LayerEvaluation e = new LayerEvaluation(ops, layer, prev, ones);
            evals.add(e);
            prev = e.output;
        }
        layers = Collections.unmodifiableList(evals);
    }

    DenseMatrix inputBuffer() {
        return input;
    }

    /** Layer k's slice θ_k of {@code gradient} (length P): a view, re-used while the caller passes the same buffer. */
    DenseVector gradientSlice(int k, DenseVector gradient) {
        if (gradient != gradientTarget) {
            List<DenseLayer> all = network.layers();
            DenseVector[] slices = new DenseVector[all.size()];
            for (int i = 0; i < slices.length; i++) {
                DenseLayer layer = all.get(i);
                slices[i] = gradient.slice(layer.parameterOffset(), layer.parameterCount());
            }
            gradientSlices = slices;
            gradientTarget = gradient;
        }
        return gradientSlices[k];
    }
}
