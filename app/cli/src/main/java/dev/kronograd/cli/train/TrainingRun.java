package dev.kronograd.cli.train;

import dev.kronograd.sdk.train.Trainer;
import dev.kronograd.sdk.train.Optimizer;
import dev.kronograd.sdk.train.TrainingConfig;
import dev.kronograd.sdk.train.TrainingListener;
import dev.kronograd.sdk.train.TrainingHistory;
import dev.kronograd.sdk.train.Standardizer;
import dev.kronograd.sdk.train.Dataset;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.sdk.nn.NetworkBuilder;

import java.util.Objects;
import java.util.Random;

/**
 * One classifier training run from {@link TrainingOptions}: load or generate the data, split it
 * (stratified, seeded), standardise with the training split's statistics, build the perceptron
 * with Glorot initialisation, train it with the {@link Trainer}.
 *
 * <p>The seed feeds one {@link Random} from which the data, split, initialisation and shuffling
 * seeds are drawn in a fixed order, so one seed fixes the whole run.
 */
public final class TrainingRun {
    private TrainingRun() {
    }

    /**
     * What a run produced.
     *
     * @param options      what was asked for
     * @param data         the whole data set, in its original units
     * @param split        the split, in original units
     * @param standardizer fitted on {@code split.train()}; the network takes standardised inputs
     * @param network      the trained network
     * @param optimizer    the optimiser as run, e.g. {@code adam(lr=0.01, …)}
     * @param history      per-epoch loss, accuracies and throughput
     */
    public record Result(TrainingOptions options, Dataset data, Dataset.Split split, Standardizer standardizer, Network network,
                         String optimizer, TrainingHistory history) {
        /** The held-out accuracy after the last epoch. */
        public double testAccuracy() {
            return history.last().testAccuracy();
        }

        /** The training accuracy after the last epoch. */
        public double trainAccuracy() {
            return history.last().trainAccuracy();
        }

        /** The layer sizes, e.g. {@code 4-32-32-3}. */
        public String architecture() {
            return options.architecture(network.inputs(), network.outputs());
        }
    }

    /**
     * Runs the training described by {@code options} on {@code sdk}'s backend, activations and
     * losses.
     *
     * @throws dev.kronograd.activations.UnknownActivationException for an unknown activation
     * @throws dev.kronograd.sdk.loss.UnknownLossException          for an unknown loss
     * @throws IllegalArgumentException                             for an unknown data set or optimiser, or invalid numbers
     * @throws TrainingDivergedException                            when the loss stops being finite
     */
    public static Result run(Kronograd sdk, TrainingOptions options, TrainingListener listener) {
        Objects.requireNonNull(sdk, "sdk");
        Objects.requireNonNull(options, "options");
        Random seeds = new Random(options.seed());
        long dataSeed = seeds.nextLong();
        long splitSeed = seeds.nextLong();
        long initSeed = seeds.nextLong();
        long shuffleSeed = seeds.nextLong();
        TrainingConfig config = new TrainingConfig(options.epochs(), options.batchSize(), shuffleSeed);
        Loss loss = sdk.loss(options.loss());

        Dataset data = DataSets.byName(options.dataset(), dataSeed);
        Dataset.Split split = data.stratifiedSplit(options.testFraction(), splitSeed);
        Standardizer standardizer = Standardizer.fit(split.train());
        Dataset train = standardizer.apply(split.train());
        Dataset test = standardizer.apply(split.test());

        NetworkBuilder builder = sdk.network().inputs(data.featureCount());
        for (int size : options.hidden()) {
            builder.layer(size, options.activation());
        }
        Network network = builder.layer(data.classCount(), "identity").build(new Random(initSeed));
        Optimizer optimizer = Optimizer.named(options.optimizer(), network.parameterCount(), options.learningRate(), options.momentum());
        TrainingHistory history = new Trainer(network, loss, optimizer, config).fit(train, test, listener);
        return new Result(options, data, split, standardizer, network, optimizer.describe(), history);
    }
}
