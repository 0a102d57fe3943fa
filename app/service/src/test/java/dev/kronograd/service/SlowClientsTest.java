package dev.kronograd.service;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.service.testing.RawHttp;
import dev.kronograd.service.testing.ServiceClient;
import dev.kronograd.service.testing.TestCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow and stalled clients (issue 17), on 127.0.0.1: connections that send half their headers
 * and wait hold no thread, so healthy requests and {@code /health} are served beside them; a
 * stalled body and an idle connection are closed after the read timeout, with 408 where an
 * answer can still be sent.
 */
class SlowClientsTest {
    private static final Logger LOG = LoggerFactory.getLogger(SlowClientsTest.class);
    private static final int SLOW = 300;
    private static final int HEALTHY = 20;
    /** Far above the milliseconds a healthy request takes: a bound against being stuck behind the slow ones, not a benchmark. */
    private static final long HEALTHY_BOUND_MILLIS = 5_000;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void slowHeaderClientsDoNotStopHealthyRequests() throws Exception {
        Kronograd sdk = Kronograd.builder().backend("ejml").environment(Map.of(), new Properties()).build();
        ServiceLimits limits = ServiceLimits.defaults().withConcurrency(2, ServiceLimits.DEFAULT_MAX_QUEUED);
        List<Socket> slow = new ArrayList<>();
        try (GradientService service = GradientService.start(sdk, limits, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (int i = 0; i < SLOW; i++) {
                Socket s = RawHttp.connect(service.port());
                slow.add(s);
                s.getOutputStream().write(RawHttp.bytes("POST /v1/gradient HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl"));
                s.getOutputStream().flush();
            }
            ServiceClient client = new ServiceClient(service);
            String expected = TestCases.expectedGradient(sdk, TestCases.twoLayers());
            long slowest = 0;
            for (int i = 0; i < HEALTHY; i++) {
                long start = System.nanoTime();
                ServiceClient.Reply reply = client.post("/v1/gradient", TestCases.twoLayers());
                long millis = (System.nanoTime() - start) / 1_000_000;
                slowest = Math.max(slowest, millis);
                assertEquals(200, reply.status(), reply::toString);
                assertEquals(expected, reply.body());
                assertTrue(millis < HEALTHY_BOUND_MILLIS, "healthy request " + i + " took " + millis + " ms beside " + SLOW + " slow clients");
            }
            assertEquals(200, client.get("/health").status());
            LOG.info("{} healthy gradient requests beside {} slow-header connections: the slowest took {} ms", HEALTHY, SLOW, slowest);
            for (Socket s : slow) {
                assertTrue(!s.isClosed(), "the slow connections were held open");
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aStalledBodyIsAnswered408AndClosedAfterTheReadTimeout() throws Exception {
        Kronograd sdk = Kronograd.builder().backend("ejml").environment(Map.of(), new Properties()).build();
        Duration readTimeout = Duration.ofMillis(500);
        ServiceLimits limits = ServiceLimits.defaults().withReadTimeout(readTimeout);
        try (GradientService service = GradientService.start(sdk, limits, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             Socket s = RawHttp.connect(service.port())) {
            OutputStream out = s.getOutputStream();
            long start = System.nanoTime();
            out.write(RawHttp.bytes("POST /v1/gradient HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{\"layers\": ["));
            out.flush();
            InputStream in = s.getInputStream();
            RawHttp.Answer answer = RawHttp.read(in); // the hang guard is the socket's read timeout
            long millis = (System.nanoTime() - start) / 1_000_000;
            LOG.info("a stalled body with a read timeout of {} ms: {} after {} ms", readTimeout.toMillis(), answer, millis);
            assertEquals(408, answer.status(), answer::toString);
            assertTrue(answer.header("Content-Type").startsWith("application/json"), answer::toString);
            assertTrue(answer.body().contains("\"request_id\""), answer::toString);
            assertTrue(millis >= readTimeout.toMillis() - 50, "not before the read timeout: " + millis + " ms");
            assertEquals(-1, in.read(), "the connection is closed after the 408");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anIdleConnectionAndStalledHeadersAreClosedAfterTheReadTimeout() throws Exception {
        Kronograd sdk = Kronograd.builder().backend("ejml").environment(Map.of(), new Properties()).build();
        ServiceLimits limits = ServiceLimits.defaults().withReadTimeout(Duration.ofMillis(500));
        try (GradientService service = GradientService.start(sdk, limits, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             Socket idle = RawHttp.connect(service.port());
             Socket stalled = RawHttp.connect(service.port())) {
            stalled.getOutputStream().write(RawHttp.bytes("GET /health HTTP/1.1\r\nHost: 127"));
            stalled.getOutputStream().flush();
            RawHttp.Answer idleAnswer = RawHttp.read(idle.getInputStream());
            assertEquals(-1, idleAnswer.status(), "an idle connection is closed without an answer: " + idleAnswer);
            RawHttp.Answer stalledAnswer = RawHttp.read(stalled.getInputStream());
            LOG.info("stalled headers after the read timeout: {}", stalledAnswer);
            assertTrue(stalledAnswer.status() == -1 || stalledAnswer.status() == 408, stalledAnswer::toString);
        }
    }
}
