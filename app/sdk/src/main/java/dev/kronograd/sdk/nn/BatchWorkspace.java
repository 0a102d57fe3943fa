package dev.kronograd.sdk.nn;

import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.LinearAlgebra;
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
 *
 * <p>On large batches the elementwise phases run on column ranges in parallel (see
 * {@link NetworkBuilder#elementwiseThreads(int)}); the tasks and column views for that are made
 * here, once per batch size.
 */
public final class BatchWorkspace {
    private final Network network;
    private final Operators ops;
    private int batch = -1;
    private DenseMatrix input;
    private List<LayerEvaluation> layers = List.of();
    /** The gradient buffer of the last call and its per-layer slices, kept so a training loop makes no views per step. */
    private DenseVector gradientTarget;
    private DenseVector[] gradientSlices;
    /** How the batch's columns are split for the elementwise phases. */
    private ColumnSplit split;
    /** Per column range: views of the last layer's outputs and upstream buffer, and of the last targets seen. */
    private DenseMatrix[] outputRanges;
    private DenseMatrix[] upstreamRanges;
    private DenseMatrix[] targetRanges;
    private DenseMatrix targetsSeen;
    private final ActivatePhase activate = new ActivatePhase();
    private final DeltaPhase delta = new DeltaPhase();
    private final TailPhase tail = new TailPhase();

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
        // Each layer's input is X̄ = [X; 1ᵀ], (n+1)×B: the previous layer writes its A into the first n rows.
        DenseMatrix inputBar = withOnesRow(network.inputs(), b);
        input = inputBar.block(0, 0, network.inputs(), b);
        List<LayerEvaluation> evals = new ArrayList<>();
        DenseMatrix prevBar = inputBar;
        int maxRows = 0;
        List<DenseLayer> all = network.layers();
        for (int k = 0; k < all.size(); k++) {
            DenseLayer layer = all.get(k);
            DenseMatrix outputBar = k + 1 < all.size() ? withOnesRow(layer.outputs(), b) : null;
            evals.add(new LayerEvaluation(ops, layer, prevBar, outputBar));
            prevBar = outputBar;
            maxRows = Math.max(maxRows, layer.outputs());
        }
        layers = Collections.unmodifiableList(evals);
        split = new ColumnSplit(network.elementwiseThreads(), b, maxRows);
        LayerEvaluation last = evals.get(evals.size() - 1);
        int chunks = split.chunks();
        outputRanges = new DenseMatrix[chunks];
        upstreamRanges = new DenseMatrix[chunks];
        targetRanges = new DenseMatrix[chunks];
        targetsSeen = null;
        for (int c = 0; c < chunks; c++) {
            outputRanges[c] = columns(last.output, c);
            upstreamRanges[c] = columns(last.upstream, c);
        }
    }

    /** A new (rows+1)×b matrix whose last row is ones. */
    private static DenseMatrix withOnesRow(int rows, int b) {
        DenseMatrix bar = DenseMatrix.zeros(rows + 1, b);
        bar.block(rows, 0, 1, b).fill(1.0);
        return bar;
    }

    /** The number of column ranges the elementwise phases use for the current batch size (1: the whole batch at once). */
    int elementwiseChunks() {
        return split.chunks();
    }

    /** The number of helper tasks that run ranges beside the caller (0: all on the caller's thread). */
    int elementwiseHelpers() {
        return split.helpers();
    }

    /** Columns of range c of {@code m} as a view (the whole matrix when there is one range). */
    private DenseMatrix columns(DenseMatrix m, int c) {
        if (split.chunks() == 1) {
            return m;
        }
        int first = split.start(c);
        return DenseMatrix.view(m.data(), m.offset() + first * m.ld(), m.rows(), split.start(c + 1) - first, m.ld());
    }

    /** A = σ(Z), σ'(Z) for layer {@code e}, over column ranges. */
    void activate(LayerEvaluation e) {
        activate.layer = e;
        try {
            split.run(activate);
        } finally {
            activate.layer = null;
        }
    }

    /** Δ = σ'(Z) ⊙ G in place in layer {@code e}'s upstream buffer, over column ranges. */
    void delta(LayerEvaluation e, LinearAlgebra la) {
        delta.layer = e;
        delta.la = la;
        try {
            split.run(delta);
        } finally {
            delta.layer = null;
            delta.la = null;
        }
    }

    /**
     * The last layer's activation, the loss with its gradient G, and Δ = σ'(Z) ⊙ G, fused per
     * column range (each range's data is still in cache for the next step); returns L, the ranges'
     * values added in range order. When the network checks finiteness, each range checks its
     * targets first (the first non-finite target in column order is the one reported).
     */
    double activateLossDelta(LinearAlgebra la, Loss loss, DenseMatrix targets) {
        if (targets != targetsSeen) {
            for (int c = 0; c < targetRanges.length; c++) {
                targetRanges[c] = columns(targets, c);
            }
            targetsSeen = targets;
        }
        tail.layer = last();
        tail.la = la;
        tail.loss = loss;
        try {
            return split.run(tail);
        } finally {
            tail.layer = null;
            tail.la = null;
            tail.loss = null;
        }
    }

    private static final class ActivatePhase implements ColumnSplit.Phase {
        LayerEvaluation layer;

        @Override
        public double run(int range, int first, int end) {
            layer.activate(first, end);
            return 0;
        }
    }

    private static final class DeltaPhase implements ColumnSplit.Phase {
        LayerEvaluation layer;
        LinearAlgebra la;

        @Override
        public double run(int range, int first, int end) {
            layer.delta(la, first, end);
            return 0;
        }
    }

    private final class TailPhase implements ColumnSplit.Phase {
        LayerEvaluation layer;
        LinearAlgebra la;
        Loss loss;

        @Override
        public double run(int c, int first, int end) {
            if (network.checksFinite()) {
                Validation.requireFinite("targets", targetRanges[c], first);
            }
            layer.activate(first, end);
            double value = loss.valueAndGradient(outputRanges[c], targetRanges[c], upstreamRanges[c]);
            layer.delta(la, first, end);
            return value;
        }
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
