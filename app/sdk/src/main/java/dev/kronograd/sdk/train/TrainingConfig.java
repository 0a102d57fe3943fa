package dev.kronograd.sdk.train;

/**
 * How long and in what order to train.
 *
 * @param epochs    passes over the training set (≥ 1)
 * @param batchSize samples per mini-batch (≥ 1); the last batch of an epoch may be smaller
 * @param seed      seeds the per-epoch shuffling of the training set
 */
public record TrainingConfig(int epochs, int batchSize, long seed) {
    public TrainingConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be ≥ 1, was " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be ≥ 1, was " + batchSize);
        }
    }
}
