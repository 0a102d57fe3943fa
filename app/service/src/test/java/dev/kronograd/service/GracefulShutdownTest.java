package dev.kronograd.service;

import dev.kronograd.service.testing.TestCases;
import dev.kronograd.service.testing.ServiceClient;
import dev.kronograd.service.testing.GatedActivation;
import dev.kronograd.service.testing.GatedSdk;
import dev.kronograd.sdk.Kronograd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graceful shutdown in-process: {@link GradientService#close()} turns {@code /ready} to 503,
 * refuses new connections at once, answers computing requests arriving on open connections with
 * 503, lets the request in flight (held at a gate for as long as the test wants) finish with its
 * correct answer, and returns once it has. No sleeps: every step waits on observable state, with
 * wall-clock limits only as hang guards. The CLI's {@code ServeProcessTest} does the same through
 * SIGTERM to a {@code kronograd serve} process.
 */
class GracefulShutdownTest {
    private static final long GUARD_SECONDS = 20;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closeFinishesTheRequestInFlightAndRefusesNewConnections(@TempDir Path plugins) throws Exception {
        Kronograd sdk = GatedSdk.create(plugins);
        GatedActivation gate = GatedSdk.gate(sdk);
        GradientService service = GradientService.start(sdk, ServiceLimits.defaults().withShutdownGrace(Duration.ofSeconds(30)),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        CompletableFuture<Void> closing = null;
        try {
            ServiceClient client = new ServiceClient(service);
            // Two connections that stay open; during the stop Jetty closes each after its next answer.
            ServiceClient keepAlive = new ServiceClient(service);
            ServiceClient keepAlive2 = new ServiceClient(service);
            assertEquals(200, keepAlive.get("/ready").status(), "ready while serving");
            assertEquals(200, keepAlive2.get("/health").status());
            int port = service.port();
            CompletableFuture<ServiceClient.Reply> inFlight = CompletableFuture.supplyAsync(
                    () -> client.post("/v1/gradient", TestCases.single(GatedActivation.NAME)));
            assertTrue(gate.awaitEntered(GUARD_SECONDS, TimeUnit.SECONDS), "the request is computing");

            closing = CompletableFuture.runAsync(service::close);
            awaitRefused(port);
            assertFalse(service.isRunning());
            assertFalse(service.handler().isReady());
            // Jetty may close an idle keep-alive connection as soon as the stop begins (then the client's
            // next request finds the port refusing, which is also correct); one it still holds must be
            // answered "not ready" and 503 — never served as if nothing happened.
            ServiceClient.Reply notReady = answeredOrRefused(() -> keepAlive.get("/ready"));
            if (notReady != null) {
                assertEquals(503, notReady.status(), "not ready while draining: " + notReady);
                assertFalse(notReady.json().get("ready").asBoolean());
            }
            ServiceClient.Reply late = answeredOrRefused(() -> keepAlive2.post("/v1/gradient", TestCases.twoLayers()));
            if (late != null) {
                assertEquals(503, late.status(), "a computing request on an open connection during the stop: " + late);
                assertEquals("close", late.header("Connection"));
                assertTrue(late.json().get("error").asText().contains("shutting down"), late::toString);
            }
            assertFalse(inFlight.isDone(), "the request is still at the gate");
            assertFalse(closing.isDone(), "close waits for the request in flight");

            gate.open();
            ServiceClient.Reply reply = inFlight.get(GUARD_SECONDS, TimeUnit.SECONDS);
            assertEquals(200, reply.status(), reply::toString);
            assertEquals(TestCases.expectedGradient(sdk, TestCases.single("identity")), reply.body());
            closing.get(GUARD_SECONDS, TimeUnit.SECONDS); // returns once the request is answered, not after the 30 s grace period
            assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
            assertTrue(service.awaitTermination(Duration.ZERO));
            service.close(); // idempotent
        } finally {
            gate.open();
            if (closing == null) {
                service.close();
            }
        }
    }

    /** The reply, or null when the request could not connect (the server had closed the connection and stopped accepting). */
    private static ServiceClient.Reply answeredOrRefused(java.util.function.Supplier<ServiceClient.Reply> request) {
        try {
            return request.get();
        } catch (java.io.UncheckedIOException e) {
            Throwable cause = e.getCause();
            while (cause != null && !(cause instanceof ConnectException)) {
                cause = cause.getCause();
            }
            if (cause == null) {
                throw e;
            }
            return null;
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void closingAnIdleServiceIsQuick() throws Exception {
        Kronograd sdk = Kronograd.builder().backend("ejml").environment(Map.of(), new Properties()).build();
        GradientService service = GradientService.start(sdk, ServiceLimits.defaults().withShutdownGrace(Duration.ofSeconds(30)),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        assertEquals(200, new ServiceClient(service).get("/health").status());
        CompletableFuture<Void> closing = CompletableFuture.runAsync(service::close);
        closing.get(GUARD_SECONDS, TimeUnit.SECONDS); // far below the 30 s grace period: nothing to wait for
    }

    /** Connects until a connection is refused: the listener closed. Each attempt is a round trip; no sleeps. */
    private static void awaitRefused(int port) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_SECONDS);
        while (System.nanoTime() < until) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                Thread.onSpinWait();
            } catch (IOException refused) {
                return;
            }
        }
        throw new AssertionError("new connections were still accepted " + GUARD_SECONDS + " s after close() began");
    }
}
