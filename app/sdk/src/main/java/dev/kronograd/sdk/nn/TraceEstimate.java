package dev.kronograd.sdk.nn;

/**
 * A stochastic estimate of a trace, from {@link TraceEstimator}. Immutable.
 *
 * @param trace         the estimate of tr(A)
 * @param standardError the estimate's standard error: the sample standard deviation of the random
 *                      terms averaged, divided by √(their number); {@code NaN} when only one random
 *                      term was drawn (its spread is then unknown), 0 when there was nothing random
 *                      left to estimate
 * @param probes        the budget of operator products the estimate was asked for
 */
public record TraceEstimate(double trace, double standardError, int probes) {
}
