package dev.kronograd.sdk.train;

import java.util.List;

/**
 * The per-epoch record of a training run, first epoch first.
 *
 * @param epochs one entry per completed epoch
 */
public record TrainingHistory(List<EpochStats> epochs) {
    public TrainingHistory {
        epochs = List.copyOf(epochs);
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("a history needs at least one epoch");
        }
    }

    /** The last epoch. */
    public EpochStats last() {
        return epochs.get(epochs.size() - 1);
    }

    /** The training loss of every epoch. */
    public double[] losses() {
        return epochs.stream().mapToDouble(EpochStats::loss).toArray();
    }

    /** The training accuracy of every epoch. */
    public double[] trainAccuracies() {
        return epochs.stream().mapToDouble(EpochStats::trainAccuracy).toArray();
    }

    /** The held-out accuracy of every epoch (NaN without a test set). */
    public double[] testAccuracies() {
        return epochs.stream().mapToDouble(EpochStats::testAccuracy).toArray();
    }

    /** The epoch numbers 1, 2, …. */
    public double[] epochNumbers() {
        return epochs.stream().mapToDouble(EpochStats::epoch).toArray();
    }
}
