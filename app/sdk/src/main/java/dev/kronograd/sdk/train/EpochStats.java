package dev.kronograd.sdk.train;

/**
 * What one epoch achieved.
 *
 * @param epoch             this epoch, from 1
 * @param epochs            the planned number of epochs
 * @param loss              the mean per-sample training loss over the epoch's mini-batches
 *                          (each evaluated before its update)
 * @param trainAccuracy     accuracy on the whole training set after the epoch
 * @param testAccuracy      accuracy on the held-out set after the epoch (NaN without one)
 * @param samplesPerSecond  training throughput of this epoch (gradient and update steps only)
 * @param elapsedNanos      time since training started, evaluation included
 */
public record EpochStats(int epoch, int epochs, double loss, double trainAccuracy, double testAccuracy,
                         double samplesPerSecond, long elapsedNanos) {
}
