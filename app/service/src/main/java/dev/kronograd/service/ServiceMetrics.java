package dev.kronograd.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The service's meters, in Micrometer: requests by endpoint and status
 * ({@code kronograd_requests_total}), rejections by status ({@code kronograd_requests_rejected_total}
 * for 413, 422 and 503), the time validated requests waited in the queue for a compute thread and computed
 * ({@code kronograd_request_queue_seconds}, {@code kronograd_request_compute_seconds}: histograms),
 * and gauges of requests in flight, computations queued and running. With its own registry (no
 * host registry given) it also binds the JVM's memory, GC and thread meters and publishes
 * everything at {@code GET /metrics} in Prometheus text format.
 */
final class ServiceMetrics implements AutoCloseable {
    /** Endpoint label of a request to no endpoint: keeps the label set bounded. */
    static final String OTHER = "other";
    private static final Set<Integer> REJECTIONS = Set.of(413, 422, 503);

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final JvmGcMetrics gc;

    /**
     * @param host the host's registry, or null for one of the service's own (Prometheus, with JVM meters)
     */
    ServiceMetrics(MeterRegistry host) {
        if (host == null) {
            this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            this.registry = prometheus;
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            this.gc = new JvmGcMetrics();
            gc.bindTo(registry);
        } else {
            this.registry = host;
            this.prometheus = host instanceof PrometheusMeterRegistry p ? p : null;
            this.gc = null;
        }
    }

    /** Registers the gauges of the service's state. */
    void gauges(IntSupplier inFlight, IntSupplier queued, IntSupplier running) {
        Gauge.builder("kronograd.requests.in.flight", inFlight::getAsInt).description("requests being answered").register(registry);
        Gauge.builder("kronograd.computations.queued", queued::getAsInt).description("computations waiting for a compute thread")
                .register(registry);
        Gauge.builder("kronograd.computations.running", running::getAsInt).description("computations running").register(registry);
    }

    /** One answered request. */
    void request(String endpoint, int status) {
        Counter.builder("kronograd.requests").description("requests answered, by endpoint and status")
                .tag("endpoint", endpoint).tag("status", Integer.toString(status)).register(registry).increment();
        if (REJECTIONS.contains(status)) {
            Counter.builder("kronograd.requests.rejected").description("requests refused: 413 too large, 422 invalid or over a limit, "
                    + "503 queue full, past the deadline or stopping").tag("status", Integer.toString(status)).register(registry).increment();
        }
    }

    /** A computation's time in the queue and computing. */
    void computed(String endpoint, long queueNanos, long computeNanos) {
        Timer.builder("kronograd.request.queue").description("time a validated request waited in the queue for a compute thread")
                .tag("endpoint", endpoint).publishPercentileHistogram().register(registry).record(queueNanos, TimeUnit.NANOSECONDS);
        Timer.builder("kronograd.request.compute").description("time a computation ran")
                .tag("endpoint", endpoint).publishPercentileHistogram().register(registry).record(computeNanos, TimeUnit.NANOSECONDS);
    }

    /** The Prometheus text exposition, or null when the meters go to a host registry that is not Prometheus'. */
    String scrape() {
        return prometheus == null ? null : prometheus.scrape();
    }

    @Override
    public void close() {
        if (gc != null) { // the service's own registry
            gc.close();
            prometheus.close();
        }
    }
}
