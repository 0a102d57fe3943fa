package dev.kronograd.sdk.train;

import dev.kronograd.core.KronogradException;

/**
 * Training produced a non-finite loss: the learning rate is too high for this network and data
 * (or the data hold extreme values). The parameters are left as they were at that point.
 */
public final class TrainingDivergedException extends KronogradException {
    private static final long serialVersionUID = 1L;

    /** @param message which epoch and batch, the loss, and what to try */
    public TrainingDivergedException(String message) {
        super(message);
    }
}
