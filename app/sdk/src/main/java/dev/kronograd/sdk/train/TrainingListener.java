package dev.kronograd.sdk.train;

/**
 * Told about progress by the {@link Trainer}, on the training thread, after every epoch. The
 * command line draws its progress bar with one; libraries log instead.
 */
@FunctionalInterface
public interface TrainingListener {
    /** A listener that ignores everything. */
    TrainingListener NONE = stats -> {
    };

    /** Called after each epoch, in order. Must not modify the network. */
    void onEpoch(EpochStats stats);
}
