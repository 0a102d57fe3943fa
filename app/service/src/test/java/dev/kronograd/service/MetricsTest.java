package dev.kronograd.service;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.service.testing.ServiceClient;
import dev.kronograd.service.testing.TestCases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /metrics} (Prometheus text through Micrometer) counts exactly the requests sent, by
 * endpoint and status, and the rejections; has the queue and compute histograms, the gauges and the
 * JVM's meters; a host's registry gets the meters instead. {@code X-Request-Id}: a safe id is
 * echoed, an unsafe one replaced.
 */
class MetricsTest {
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void metricsCountExactlyTheRequestsSent() throws Exception {
        Kronograd sdk = Kronograd.builder().backend("ejml").environment(Map.of(), new Properties()).build();
        try (GradientService service = GradientService.start(sdk, ServiceLimits.defaults(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            ServiceClient client = new ServiceClient(service);
            for (int i = 0; i < 7; i++) {
                assertEquals(200, client.post("/v1/gradient", TestCases.twoLayers()).status());
            }
            String ragged = TestCases.twoLayers().toString().replace("[1.1,0.4]", "[1.1]");
            assertEquals(422, client.post("/v1/gradient", "application/json", ragged).status());
            assertEquals(422, client.post("/v1/gradient", "application/json", ragged).status());
            assertEquals(415, client.post("/v1/gradient", "text/plain", "{}").status());
            assertEquals(200, client.get("/health").status());

            ServiceClient.Reply metrics = client.get("/metrics");
            assertEquals(200, metrics.status());
            assertTrue(metrics.header("Content-Type").startsWith("text/plain"), metrics.header("Content-Type"));
            String text = metrics.body();
            assertEquals(7, value(text, "kronograd_requests_total{endpoint=\"/v1/gradient\",status=\"200\"}"), text);
            assertEquals(2, value(text, "kronograd_requests_total{endpoint=\"/v1/gradient\",status=\"422\"}"));
            assertEquals(1, value(text, "kronograd_requests_total{endpoint=\"/v1/gradient\",status=\"415\"}"));
            assertEquals(1, value(text, "kronograd_requests_total{endpoint=\"/health\",status=\"200\"}"));
            assertEquals(2, value(text, "kronograd_requests_rejected_total{status=\"422\"}"));
            assertEquals(7, value(text, "kronograd_request_queue_seconds_count{endpoint=\"/v1/gradient\"}"));
            assertEquals(7, value(text, "kronograd_request_compute_seconds_count{endpoint=\"/v1/gradient\"}"));
            assertTrue(text.contains("kronograd_request_compute_seconds_bucket{endpoint=\"/v1/gradient\",le=\""), "a histogram");
            assertEquals(1, value(text, "kronograd_requests_in_flight"), "the /metrics request itself");
            assertEquals(0, value(text, "kronograd_computations_queued"));
            for (String jvm : new String[] {"jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_gc_"}) {
                assertTrue(text.contains(jvm), "JVM meter " + jvm);
            }
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aHostRegistryGetsTheMeters() throws Exception {
        Kronograd sdk = Kronograd.builder().backend("ejml").environment(Map.of(), new Properties()).build();
        SimpleMeterRegistry host = new SimpleMeterRegistry();
        try (GradientService service = GradientService.start(sdk, ServiceLimits.defaults(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), host)) {
            ServiceClient client = new ServiceClient(service);
            for (int i = 0; i < 3; i++) {
                assertEquals(200, client.post("/v1/gradient", TestCases.twoLayers()).status());
            }
            assertEquals(3, host.get("kronograd.requests").tag("endpoint", "/v1/gradient").tag("status", "200").counter().count());
            ServiceClient.Reply metrics = client.get("/metrics");
            assertEquals(404, metrics.status(), "the host publishes its own registry: " + metrics);
            assertTrue(host.find("jvm.memory.used").meters().isEmpty(), "JVM meters are the host's to bind");
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aSafeRequestIdIsEchoedAndAnUnsafeOneReplaced() throws Exception {
        Kronograd sdk = Kronograd.builder().backend("ejml").environment(Map.of(), new Properties()).build();
        try (GradientService service = GradientService.start(sdk, ServiceLimits.defaults(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            ServiceClient client = new ServiceClient(service);
            ServiceClient.Reply ok = client.send(client.request("/health").header("X-Request-Id", "trace-42.a:b_c"));
            assertEquals("trace-42.a:b_c", ok.header("X-Request-Id"));
            ServiceClient.Reply error = client.send(client.request("/v1/nope").header("X-Request-Id", "trace-43"));
            assertEquals("trace-43", error.header("X-Request-Id"));
            assertEquals("trace-43", error.json().get("request_id").asText());
            for (String unsafe : new String[] {"a b", "x".repeat(65), "<script>", "ü"}) {
                ServiceClient.Reply replaced = client.send(client.request("/health").header("X-Request-Id", unsafe));
                assertNotEquals(unsafe, replaced.header("X-Request-Id"));
                assertTrue(replaced.header("X-Request-Id").matches("[0-9a-f]{8}-\\d+"), replaced.header("X-Request-Id"));
            }
        }
    }

    /** The value of the sample {@code name{labels}} in a Prometheus text exposition. */
    private static double value(String text, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no sample " + sample);
        }
        return Double.parseDouble(m.group(1));
    }
}
