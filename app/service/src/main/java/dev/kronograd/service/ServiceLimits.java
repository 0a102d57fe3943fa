package dev.kronograd.service;

import java.time.Duration;
import java.util.Objects;

/**
 * What one {@link GradientService} accepts and how much it computes at once. Every limit is
 * enforced before the work it guards, and a request over a limit gets a 4xx answer that names
 * the limit; nothing a client sends can make the service allocate or compute beyond them.
 *
 * <table>
 *   <caption>Limits, their defaults and what exceeding them answers</caption>
 *   <tr><th>limit</th><th>default</th><th>over the limit</th></tr>
 *   <tr><td>{@link #maxBodyBytes}</td><td>4 MiB</td><td>413, checked against
 *       {@code Content-Length} and again while reading (never buffers more)</td></tr>
 *   <tr><td>{@link #maxParameters}: P = Σ (m_k n_k + m_k)</td><td>1,000,000</td><td>422</td></tr>
 *   <tr><td>{@link #maxBatchSize}: B, the number of samples</td><td>4,096</td><td>422</td></tr>
 *   <tr><td>{@link #maxActivations}: B · Σ m_k, the size of the per-layer working buffers</td>
 *       <td>1,000,000</td><td>422</td></tr>
 *   <tr><td>{@link #maxCheckedParameters}: finite-difference probes of one {@code /v1/check}</td>
 *       <td>100</td><td>422</td></tr>
 *   <tr><td>{@link #maxConcurrent}: computations running at once (compute threads)</td>
 *       <td>available processors</td><td>(queued)</td></tr>
 *   <tr><td>{@link #maxQueued}: validated requests waiting for a compute thread</td>
 *       <td>{@value #DEFAULT_MAX_QUEUED}</td><td>503 + {@code Retry-After}</td></tr>
 *   <tr><td>{@link #requestTimeout}: the deadline by which a request's computation must
 *       <em>start</em>, counted from its arrival</td><td>30 s</td>
 *       <td>503 + {@code Retry-After}</td></tr>
 *   <tr><td>{@link #readTimeout}: an idle connection, or one stalled while sending its
 *       headers or body</td><td>30 s</td><td>408 where a status can still be sent, then closed</td></tr>
 *   <tr><td>{@link #shutdownGrace}: how long {@link GradientService#close()} waits for
 *       requests in flight</td><td>10 s</td><td>(connections closed)</td></tr>
 * </table>
 *
 * <p>{@code maxActivations} exists because the parameter and batch limits alone do not bound
 * memory: a hidden layer of m units on a batch of B samples needs several m×B buffers although
 * neither m nor B appears in the request more than once.
 *
 * @param maxBodyBytes         the largest request body, in bytes (≥ 1)
 * @param maxParameters        the largest network, in parameters (≥ 1)
 * @param maxBatchSize         the largest batch, in samples (≥ 1)
 * @param maxActivations       the largest B · Σ_k m_k (≥ 1)
 * @param maxCheckedParameters the most parameters one gradient check may perturb (≥ 1)
 * @param maxConcurrent        computations running at once (≥ 1)
 * @param maxQueued            validated requests waiting for a compute thread (≥ 0)
 * @param requestTimeout       the longest a request may wait for its computation to start, counted
 *                             from its arrival (positive)
 * @param shutdownGrace        the longest {@code close()} waits for requests in flight (≥ 0)
 * @param readTimeout          the longest a connection may stay idle, or stall while sending its
 *                             headers or body, before it is closed (positive)
 */
public record ServiceLimits(int maxBodyBytes,
                            int maxParameters,
                            int maxBatchSize,
                            long maxActivations,
                            int maxCheckedParameters,
                            int maxConcurrent,
                            int maxQueued,
                            Duration requestTimeout,
                            Duration shutdownGrace,
                            Duration readTimeout) {

    /** The default {@link #maxBodyBytes}: 4 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
    /** The default {@link #maxParameters}. */
    public static final int DEFAULT_MAX_PARAMETERS = 1_000_000;
    /** The default {@link #maxBatchSize}. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 4_096;
    /** The default {@link #maxActivations}: 8 MB per m×B buffer. */
    public static final long DEFAULT_MAX_ACTIVATIONS = 1_000_000L;
    /** The default {@link #maxCheckedParameters}: each probe costs two forward passes. */
    public static final int DEFAULT_MAX_CHECKED_PARAMETERS = 100;
    /** The default {@link #requestTimeout}. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** The default {@link #maxQueued}: a queue of small requests drains in well under a second. */
    public static final int DEFAULT_MAX_QUEUED = 4096;
    /** The default {@link #readTimeout}. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    /** The default {@link #shutdownGrace}. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

    /**
     * Checks every limit.
     *
     * @throws IllegalArgumentException naming the first limit out of range
     */
    public ServiceLimits {
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(readTimeout, "readTimeout");
        requireAtLeast("maxBodyBytes", maxBodyBytes, 1);
        requireAtLeast("maxParameters", maxParameters, 1);
        requireAtLeast("maxBatchSize", maxBatchSize, 1);
        requireAtLeast("maxActivations", maxActivations, 1);
        requireAtLeast("maxCheckedParameters", maxCheckedParameters, 1);
        requireAtLeast("maxConcurrent", maxConcurrent, 1);
        requireAtLeast("maxQueued", maxQueued, 0);
        // The compute threads and the queue's array are allocated up front.
        if (maxConcurrent > 1_000) {
            throw new IllegalArgumentException("maxConcurrent must be at most 1000, was " + maxConcurrent);
        }
        if (maxQueued > 1_000_000) {
            throw new IllegalArgumentException("maxQueued must be at most 1000000, was " + maxQueued);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
        }
        if (readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("readTimeout must be positive, was " + readTimeout);
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must not be negative, was " + shutdownGrace);
        }
    }

    /** The defaults of the table above, with {@code maxConcurrent} = the available processors. */
    public static ServiceLimits defaults() {
        int processors = Math.max(1, Runtime.getRuntime().availableProcessors());
        return new ServiceLimits(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_PARAMETERS, DEFAULT_MAX_BATCH_SIZE, DEFAULT_MAX_ACTIVATIONS,
                DEFAULT_MAX_CHECKED_PARAMETERS, processors, DEFAULT_MAX_QUEUED, DEFAULT_REQUEST_TIMEOUT, DEFAULT_SHUTDOWN_GRACE,
                DEFAULT_READ_TIMEOUT);
    }

    /**
     * The limits without a {@link #readTimeout} of their own (it is {@link #DEFAULT_READ_TIMEOUT}),
     * as before it existed.
     */
    public ServiceLimits(int maxBodyBytes, int maxParameters, int maxBatchSize, long maxActivations, int maxCheckedParameters,
                         int maxConcurrent, int maxQueued, Duration requestTimeout, Duration shutdownGrace) {
        this(maxBodyBytes, maxParameters, maxBatchSize, maxActivations, maxCheckedParameters, maxConcurrent, maxQueued, requestTimeout,
                shutdownGrace, DEFAULT_READ_TIMEOUT);
    }

    /** These limits with another {@link #maxBodyBytes}. */
    public ServiceLimits withMaxBodyBytes(int bytes) {
        return new ServiceLimits(bytes, maxParameters, maxBatchSize, maxActivations, maxCheckedParameters, maxConcurrent, maxQueued,
                requestTimeout, shutdownGrace, readTimeout);
    }

    /** These limits with another {@link #maxParameters}. */
    public ServiceLimits withMaxParameters(int parameters) {
        return new ServiceLimits(maxBodyBytes, parameters, maxBatchSize, maxActivations, maxCheckedParameters, maxConcurrent, maxQueued,
                requestTimeout, shutdownGrace, readTimeout);
    }

    /** These limits with another {@link #maxBatchSize}. */
    public ServiceLimits withMaxBatchSize(int samples) {
        return new ServiceLimits(maxBodyBytes, maxParameters, samples, maxActivations, maxCheckedParameters, maxConcurrent, maxQueued,
                requestTimeout, shutdownGrace, readTimeout);
    }

    /** These limits with another {@link #maxActivations}. */
    public ServiceLimits withMaxActivations(long activations) {
        return new ServiceLimits(maxBodyBytes, maxParameters, maxBatchSize, activations, maxCheckedParameters, maxConcurrent, maxQueued,
                requestTimeout, shutdownGrace, readTimeout);
    }

    /** These limits with another {@link #maxCheckedParameters}. */
    public ServiceLimits withMaxCheckedParameters(int parameters) {
        return new ServiceLimits(maxBodyBytes, maxParameters, maxBatchSize, maxActivations, parameters, maxConcurrent, maxQueued,
                requestTimeout, shutdownGrace, readTimeout);
    }

    /** These limits with another {@link #maxConcurrent} and {@link #maxQueued}. */
    public ServiceLimits withConcurrency(int concurrent, int queued) {
        return new ServiceLimits(maxBodyBytes, maxParameters, maxBatchSize, maxActivations, maxCheckedParameters, concurrent, queued,
                requestTimeout, shutdownGrace, readTimeout);
    }

    /** These limits with another {@link #requestTimeout}. */
    public ServiceLimits withRequestTimeout(Duration timeout) {
        return new ServiceLimits(maxBodyBytes, maxParameters, maxBatchSize, maxActivations, maxCheckedParameters, maxConcurrent, maxQueued,
                timeout, shutdownGrace, readTimeout);
    }

    /** These limits with another {@link #shutdownGrace}. */
    public ServiceLimits withShutdownGrace(Duration grace) {
        return new ServiceLimits(maxBodyBytes, maxParameters, maxBatchSize, maxActivations, maxCheckedParameters, maxConcurrent, maxQueued,
                requestTimeout, grace, readTimeout);
    }

    /** These limits with another {@link #readTimeout}. */
    public ServiceLimits withReadTimeout(Duration timeout) {
        return new ServiceLimits(maxBodyBytes, maxParameters, maxBatchSize, maxActivations, maxCheckedParameters, maxConcurrent, maxQueued,
                requestTimeout, shutdownGrace, timeout);
    }

    private static void requireAtLeast(String name, long value, long minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ", was " + value);
        }
    }
}
