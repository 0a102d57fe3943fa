package dev.kronograd.sdk.train;

import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.BatchWorkspace;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;

/**
 * Mini-batch training of a classifier network with the SDK's gradients: every epoch shuffles the
 * training set (seeded), and for each mini-batch X (n×B) with one-hot targets Y (C×B) computes
 * the summed loss and ∇_θ L through {@link Network#gradient(DenseMatrix, Loss, DenseMatrix,
 * BatchWorkspace, DenseVector)}, scales it by 1/B (so the step is on the mean loss and the
 * learning rate does not depend on B) and lets the {@link Optimizer} update θ in place.
 *
 * <p>Nothing is allocated per step: the batch buffers, the {@link BatchWorkspace} and the
 * gradient buffer exist once per batch size (the full size and, when N is not a multiple of B,
 * the size of the last batch). The run is a pure function of the network's initial θ, the data,
 * the optimiser and {@link TrainingConfig#seed()}: the same inputs give the same loss trajectory
 * bit for bit on the same backend.
 *
 * <p>Not thread-safe; it trains the given network in place.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final Network network;
    private final Loss loss;
    private final Optimizer optimizer;
    private final TrainingConfig config;

    /**
     * @param network   trained in place (its {@link Network#parameters()} are updated)
     * @param loss      the training loss on the network's outputs, e.g. softmax cross-entropy on logits
     * @param optimizer sized for the network's parameter count
     * @param config    epochs, batch size, shuffling seed
     */
    public Trainer(Network network, Loss loss, Optimizer optimizer, TrainingConfig config) {
        this.network = Objects.requireNonNull(network, "network");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.config = Objects.requireNonNull(config, "config");
        if (optimizer.parameterCount() != network.parameterCount()) {
            throw new IllegalArgumentException("the optimizer was sized for " + optimizer.parameterCount() + " parameters but the network has "
                    + network.parameterCount());
        }
    }

    /** Reusable buffers for mini-batches of one size. */
    private static final class BatchBuffers {
        final DenseMatrix x;
        final DenseMatrix y;
        final BatchWorkspace workspace;

        BatchBuffers(Network network, int size) {
            this.x = DenseMatrix.zeros(network.inputs(), size);
            this.y = DenseMatrix.zeros(network.outputs(), size);
            this.workspace = network.newWorkspace();
        }
    }

    /**
     * Trains for {@link TrainingConfig#epochs()} epochs, telling {@code listener} after each.
     *
     * @param train    the training set (features already as the network wants them)
     * @param test     a held-out set evaluated after every epoch, or null
     * @param listener told after every epoch
     * @throws TrainingDivergedException when a batch loss is not finite
     */
    public TrainingHistory fit(Dataset train, Dataset test, TrainingListener listener) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(listener, "listener");
        if (train.featureCount() != network.inputs()) {
            throw new IllegalArgumentException(train.name() + " has " + train.featureCount() + " features but the network takes "
                    + network.inputs() + " inputs");
        }
        if (train.classCount() > network.outputs()) {
            throw new IllegalArgumentException(train.name() + " has " + train.classCount() + " classes but the network has "
                    + network.outputs() + " outputs");
        }
        int n = train.size();
        int batchSize = Math.min(config.batchSize(), n);
        int remainder = n % batchSize;
        BatchBuffers full = new BatchBuffers(network, batchSize);
        BatchBuffers last = remainder == 0 ? null : new BatchBuffers(network, remainder);
        DenseVector gradient = DenseVector.zeros(network.parameterCount());
        DenseVector theta = network.parameters();
        double[] g = gradient.data();
        int[] order = new int[n];
        for (int s = 0; s < n; s++) {
            order[s] = s;
        }
        Random shuffler = new Random(config.seed());
        ClassificationAccuracy trainAccuracy = new ClassificationAccuracy(network, train);
        ClassificationAccuracy testAccuracy = test == null ? null : new ClassificationAccuracy(network, test);
        List<EpochStats> history = new ArrayList<>(config.epochs());
        LOG.debug("training {} on {} samples: {} epochs, batches of {}, {}, loss {}", network, n, config.epochs(), batchSize,
                optimizer.describe(), loss.name());

        long start = System.nanoTime();
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            Dataset.shuffle(order, n, shuffler);
            double lossSum = 0;
            for (int from = 0; from < n; from += batchSize) {
                int size = Math.min(batchSize, n - from);
                BatchBuffers b = size == batchSize ? full : last;
                for (int t = 0; t < size; t++) {
                    int s = order[from + t];
                    train.copySampleInto(s, b.x, t);
                    for (int c = 0; c < b.y.rows(); c++) {
                        b.y.set(c, t, 0.0);
                    }
                    b.y.set(train.label(s), t, 1.0);
                }
                double batchLoss = network.gradient(b.x, loss, b.y, b.workspace, gradient);
                if (!Double.isFinite(batchLoss)) {
                    throw new TrainingDivergedException(String.format(Locale.ROOT,
                            "training diverged in epoch %d: the loss of the batch at sample %d is %s; lower the learning rate (%s)",
                            epoch, from, batchLoss, optimizer.describe()));
                }
                lossSum += batchLoss;
                double mean = 1.0 / size; // step on the mean loss of the batch
                for (int i = 0; i < g.length; i++) {
                    g[i] *= mean;
                }
                optimizer.step(theta, gradient);
            }
            long trained = System.nanoTime() - epochStart;
            EpochStats stats = new EpochStats(epoch, config.epochs(), lossSum / n, trainAccuracy.evaluate(),
                    testAccuracy == null ? Double.NaN : testAccuracy.evaluate(), n / (Math.max(trained, 1) * 1e-9),
                    System.nanoTime() - start);
            history.add(stats);
            listener.onEpoch(stats);
        }
        TrainingHistory result = new TrainingHistory(history);
        EpochStats end = result.last();
        if (LOG.isInfoEnabled()) {
            LOG.info(String.format(Locale.ROOT, "trained %d epochs in %.2f s: loss %.4g, train accuracy %.3f, test accuracy %.3f",
                    end.epoch(), end.elapsedNanos() * 1e-9, end.loss(), end.trainAccuracy(), end.testAccuracy()));
        }
        return result;
    }
}
