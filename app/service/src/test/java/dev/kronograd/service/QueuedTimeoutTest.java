package dev.kronograd.service;

import dev.kronograd.activations.Activation;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.service.testing.CountingActivation;
import dev.kronograd.service.testing.GatedActivation;
import dev.kronograd.service.testing.ServiceClient;
import dev.kronograd.service.testing.TestCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/service.md, "Admission by deadline": a request whose computation could not start within
 * {@code --request-timeout} of its arrival is dropped from the queue and answered 503 with
 * {@code Retry-After}; one that started is answered when it ends. With one
 * compute thread and one queue place ({@code --max-concurrent 1 --max-queued 1}), a computation held
 * at a {@link GatedActivation} occupies the thread for as long as the test wants, so a second request
 * is queued for its whole deadline without any timing assumption. Observed: its 503; its queue place
 * back at once (a third request is queued, not refused at capacity); the held one answered 200 once the
 * gate opens, past its timeout; and that
 * a request computed behind them — the executor is one FIFO thread — is the only {@link CountingActivation}
 * computation that ever ran.
 */
class QueuedTimeoutTest {
    /** The request timeout. Only the last request's answer depends on it: microseconds of work behind the opened gate. */
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Hang guard for waits that end as soon as something happens. */
    private static final long GUARD_SECONDS = 20;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aComputationStillQueuedAtItsDeadlineIsAnswered503AndNeverRuns(@TempDir Path services) throws Exception {
        Path serviceFile = services.resolve("META-INF/services/" + Activation.class.getName());
        Files.createDirectories(serviceFile.getParent());
        Files.writeString(serviceFile, GatedActivation.class.getName() + "\n" + CountingActivation.class.getName() + "\n");
        ServiceLimits limits = ServiceLimits.defaults().withConcurrency(1, 1).withRequestTimeout(TIMEOUT);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {services.toUri().toURL()}, getClass().getClassLoader());
             Kronograd sdk = Kronograd.builder().backend("ejml").classLoader(loader).environment(Map.of(), new Properties()).build();
             GradientService service = GradientService.start(sdk, limits, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            GatedActivation gated = (GatedActivation) sdk.activation(GatedActivation.NAME);
            CountingActivation counted = (CountingActivation) sdk.activation(CountingActivation.NAME);
            try {
                holdTheThreadAndTimeOutInTheQueue(service, sdk, gated, counted);
            } finally {
                gated.open(); // on a failure too, so that closing the service does not wait for the held computation
            }
        }
    }

    private static void holdTheThreadAndTimeOutInTheQueue(GradientService service, Kronograd sdk, GatedActivation gated,
                                                          CountingActivation counted) throws Exception {
        ServiceClient client = new ServiceClient(service);

        CompletableFuture<ServiceClient.Reply> held = CompletableFuture.supplyAsync(
                () -> client.post("/v1/gradient", TestCases.single(GatedActivation.NAME)));
        assertTrue(gated.awaitEntered(GUARD_SECONDS, TimeUnit.SECONDS), "the first computation reached the gate");

        // The only compute thread is held: this one is queued (place 1 of 1), and its deadline passes there.
        ServiceClient.Reply queued = client.post("/v1/gradient", TestCases.single(CountingActivation.NAME));
        assertTimedOut(queued);
        assertEquals(0, counted.calls(), "not computed");

        // Dropped from the queue at its deadline, it gave its place back at once: with the first computation still
        // holding the thread, another request is queued (and times out there in turn) instead of being refused at capacity.
        ServiceClient.Reply next = client.post("/v1/gradient", TestCases.single(CountingActivation.NAME));
        assertTimedOut(next);

        // The held computation started in time: it is answered when it ends, however long that takes.
        assertFalse(held.isDone(), "the held computation is still at the gate");
        gated.open();
        ServiceClient.Reply first = held.get(GUARD_SECONDS, TimeUnit.SECONDS);
        assertEquals(200, first.status(), first::toString);
        assertEquals(TestCases.expectedGradient(sdk, TestCases.single("identity")), first.body());

        // Queued behind whatever the single FIFO thread still had: had either timed-out request stayed in the queue, it
        // would have run before this one.
        ServiceClient.Reply after = client.post("/v1/gradient", TestCases.single(CountingActivation.NAME));
        assertEquals(200, after.status(), after::toString);
        assertEquals(TestCases.expectedGradient(sdk, TestCases.single("identity")), after.body());
        assertEquals(1, counted.calls(), "only the last request was computed; the two whose deadline passed in the queue never ran");
        assertEquals(1, gated.calls(), "the held computation ran once");
    }

    private static void assertTimedOut(ServiceClient.Reply reply) {
        assertEquals(503, reply.status(), reply::toString);
        assertEquals("1", reply.header("Retry-After"));
        assertEquals("the computation could not start within the request timeout of " + TIMEOUT.toMillis()
                + " ms (the queue is too long); retry after 1 s or send a smaller case", reply.json().get("error").asText(), reply::toString);
    }
}
