package dev.kronograd.service;

import dev.kronograd.service.testing.TestCases;
import dev.kronograd.service.testing.ServiceClient;
import dev.kronograd.service.testing.TestPlugins;
import dev.kronograd.sdk.Kronograd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * Graceful shutdown in-process: {@link GradientService#close()} refuses new connections at once,
 * lets the request in flight finish with its correct answer, and returns. The CLI's
 * {@code ServeProcessTest} does the same through SIGTERM to a {@code kronograd serve} process.
 */
class GracefulShutdownTest {
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void closeFinishesTheRequestInFlightAndRefusesNewConnections() throws Exception {
        Kronograd sdk = Kronograd.builder().backend("ejml").pluginPath(TestPlugins.folder()).environment(Map.of(), new Properties()).build();
        GradientService service = GradientService.start(sdk, ServiceLimits.defaults().withShutdownGrace(Duration.ofSeconds(10)),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ServiceClient client = new ServiceClient(service);
        ServiceClient keepAlive = new ServiceClient(service);
        assertEquals(200, keepAlive.get("/health").status()); // opens a connection that stays open
        int port = service.port();
        CompletableFuture<ServiceClient.Reply> inFlight = CompletableFuture.supplyAsync(
                () -> client.post("/v1/gradient", TestCases.single(TestPlugins.SLEEPY)));
        ServiceLoadTest.awaitInFlight(service, 1);

        long start = System.nanoTime();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(service::close);
        awaitRefused(port);
        assertFalse(inFlight.isDone(), "the request is still computing while new connections are refused");
        assertFalse(service.isRunning());
        ServiceClient.Reply late = keepAlive.get("/health");
        assertEquals(503, late.status(), "a request on an open connection during the stop: " + late);
        assertEquals("close", late.header("Connection"));
        assertTrue(late.json().get("error").asText().contains("shutting down"), late::toString);

        ServiceClient.Reply reply = inFlight.get(10, TimeUnit.SECONDS);
        assertEquals(200, reply.status(), reply::toString);
        assertEquals(TestCases.expectedGradient(sdk, TestCases.single("identity")), reply.body());
        closing.get(10, TimeUnit.SECONDS);
        long closedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(closedMillis < 5_000, "close returned once the request finished, not after the whole grace period: " + closedMillis + " ms");
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
        assertTrue(service.awaitTermination(Duration.ZERO));
        service.close(); // idempotent
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void closingAnIdleServiceIsQuick() throws Exception {
        Kronograd sdk = Kronograd.builder().backend("ejml").environment(Map.of(), new Properties()).build();
        GradientService service = GradientService.start(sdk, ServiceLimits.defaults(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        assertEquals(200, new ServiceClient(service).get("/health").status());
        long start = System.nanoTime();
        service.close();
        assertTrue((System.nanoTime() - start) / 1_000_000 < 2_000, "an idle service does not wait for the grace period");
    }

    private static void awaitRefused(int port) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < until) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                Thread.sleep(5);
            } catch (IOException refused) {
                return;
            }
        }
        throw new AssertionError("new connections were still accepted 5 s after close() began");
    }
}
