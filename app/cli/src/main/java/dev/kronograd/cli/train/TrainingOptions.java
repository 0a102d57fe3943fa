package dev.kronograd.cli.train;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything that defines a classifier training run, as the {@code train} command's options:
 * a multi-layer perceptron {@code inputs → hidden… (activation) → classes (identity, logits)}
 * trained on a seeded split of a data set. {@link #defaults(String)} gives settings that meet
 * the accuracy targets (Iris ≥ 0.95, two spirals ≥ 0.98 on the held-out split).
 *
 * @param dataset      {@code iris} or {@code spirals}
 * @param seed         seeds the spirals data, the split, the initialisation and the shuffling
 * @param hidden       hidden layer sizes, e.g. [32, 32] (may be empty: a linear classifier)
 * @param activation   the hidden layers' activation, any registered name
 * @param loss         the loss on the logits, e.g. {@code softmax-cross-entropy}
 * @param optimizer    {@code sgd} or {@code adam}
 * @param learningRate η
 * @param momentum     SGD's μ (ignored by Adam)
 * @param epochs       passes over the training split
 * @param batchSize    samples per mini-batch
 * @param testFraction the share of every class held out for testing, in (0, 1)
 */
public record TrainingOptions(String dataset, long seed, List<Integer> hidden, String activation, String loss, String optimizer,
                              double learningRate, double momentum, int epochs, int batchSize, double testFraction) {
    /** The default seed. */
    public static final long DEFAULT_SEED = 1;
    /** The default hidden activation. */
    public static final String DEFAULT_ACTIVATION = "tanh";
    /** The default loss on the logits. */
    public static final String DEFAULT_LOSS = "softmax-cross-entropy";
    /** The default optimiser. */
    public static final String DEFAULT_OPTIMIZER = "adam";
    /** The default learning rate for Adam. */
    public static final double DEFAULT_LEARNING_RATE = 0.005;
    /** The default learning rate for SGD with momentum (the defaults use Adam). */
    public static final double DEFAULT_SGD_LEARNING_RATE = 0.05;
    /** The default SGD momentum. */
    public static final double DEFAULT_MOMENTUM = 0.9;
    /** The share of every class held out for testing. */
    public static final double DEFAULT_TEST_FRACTION = 0.3;
    /** Epochs and batch size of the Iris defaults. */
    public static final int IRIS_EPOCHS = 100;
    public static final int IRIS_BATCH_SIZE = 16;
    /** Epochs and batch size of the two-spirals defaults. */
    public static final int SPIRALS_EPOCHS = 1000;
    public static final int SPIRALS_BATCH_SIZE = 32;

    public TrainingOptions {
        Objects.requireNonNull(dataset, "dataset");
        hidden = List.copyOf(hidden);
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(optimizer, "optimizer");
        for (int size : hidden) {
            if (size < 1) {
                throw new IllegalArgumentException("hidden layer sizes must be ≥ 1, were " + hidden);
            }
        }
    }

    /**
     * The defaults for a data set: 32-32 tanh with Adam and softmax cross-entropy, 30 % of every
     * class held out, Adam with η = 0.005; Iris: 100 epochs, batches of 16; two spirals: 1000
     * epochs, batches of 32 (tanh networks on spirals need the long run to leave their initial
     * plateau reliably; with η = 0.01 some seeds stay stuck on it).
     *
     * @throws IllegalArgumentException for an unknown data set
     */
    public static TrainingOptions defaults(String dataset) {
        return switch (dataset.toLowerCase(Locale.ROOT)) {
            case "iris" -> new TrainingOptions("iris", DEFAULT_SEED, List.of(32, 32), DEFAULT_ACTIVATION, DEFAULT_LOSS, DEFAULT_OPTIMIZER,
                    DEFAULT_LEARNING_RATE, DEFAULT_MOMENTUM, IRIS_EPOCHS, IRIS_BATCH_SIZE, DEFAULT_TEST_FRACTION);
            case "spirals", "two-spirals" -> new TrainingOptions("spirals", DEFAULT_SEED, List.of(32, 32), DEFAULT_ACTIVATION, DEFAULT_LOSS,
                    DEFAULT_OPTIMIZER, DEFAULT_LEARNING_RATE, DEFAULT_MOMENTUM, SPIRALS_EPOCHS, SPIRALS_BATCH_SIZE, DEFAULT_TEST_FRACTION);
            default -> throw new IllegalArgumentException("unknown data set '" + dataset + "'; choose one of " + DataSets.NAMES);
        };
    }

    /** A copy with another seed. */
    public TrainingOptions withSeed(long newSeed) {
        return new TrainingOptions(dataset, newSeed, hidden, activation, loss, optimizer, learningRate, momentum, epochs, batchSize,
                testFraction);
    }

    /** A copy with another epoch budget. */
    public TrainingOptions withEpochs(int newEpochs) {
        return new TrainingOptions(dataset, seed, hidden, activation, loss, optimizer, learningRate, momentum, newEpochs, batchSize,
                testFraction);
    }

    /** A copy with another optimiser, learning rate and momentum. */
    public TrainingOptions withOptimizer(String newOptimizer, double newLearningRate, double newMomentum) {
        return new TrainingOptions(dataset, seed, hidden, activation, loss, newOptimizer, newLearningRate, newMomentum, epochs, batchSize,
                testFraction);
    }

    /** The layer sizes as text, e.g. {@code 4-32-32-3}. */
    public String architecture(int inputs, int classes) {
        StringBuilder b = new StringBuilder().append(inputs);
        for (int h : hidden) {
            b.append('-').append(h);
        }
        return b.append('-').append(classes).toString();
    }
}
