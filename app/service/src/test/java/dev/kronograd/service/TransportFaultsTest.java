package dev.kronograd.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.service.testing.RawHttp;
import dev.kronograd.service.testing.ServiceClient;
import dev.kronograd.service.testing.TestCases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults at the transport, with the default limits (4 MiB bodies), each answered 4xx with the JSON
 * error and its request id — never 5xx, never a hung connection: an 80 MB body, 100,000 nested
 * brackets, headers over the size limit, a malformed request line, HTTP/1.1 without {@code Host}.
 * ({@code BadRequestCatalogueTest} has invalid UTF-8 and {@code text/plain} among its kinds.)
 */
class TransportFaultsTest {
    private static GradientService service;

    @BeforeAll
    static void start() throws IOException {
        Kronograd sdk = Kronograd.builder().backend("ejml").environment(Map.of(), new Properties()).build();
        service = GradientService.start(sdk, ServiceLimits.defaults(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void an80MegabyteBodyIs413WhileTheClientStillSends() throws Exception {
        long length = 80L * 1024 * 1024;
        try (Socket s = RawHttp.connect(service.port())) {
            OutputStream out = s.getOutputStream();
            out.write(RawHttp.bytes("POST /v1/gradient HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + length + "\r\n\r\n"));
            out.flush();
            // The client keeps sending while it reads: the answer must arrive anyway, and the service must not buffer the body.
            CompletableFuture<Long> sender = CompletableFuture.supplyAsync(() -> {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) ' ');
                long sent = 0;
                try {
                    while (sent < length) {
                        out.write(chunk);
                        sent += chunk.length;
                    }
                } catch (IOException closedByTheService) {
                    // expected once the service has answered and closed
                }
                return sent;
            });
            RawHttp.Answer answer = RawHttp.read(s.getInputStream());
            assertError(answer, 413, "request body too large: Content-Length is " + length + " bytes");
            s.close();
            long sent = sender.get(30, TimeUnit.SECONDS);
            assertTrue(sent < length, "the service closed the connection instead of reading all " + length + " bytes; sent " + sent);
        }
        assertEquals(200, new ServiceClient(service).get("/health").status());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aHundredThousandNestedBracketsAre400() throws Exception {
        for (String body : new String[] {"[".repeat(100_000), "[".repeat(100_000) + "]".repeat(100_000), "{\"a\":".repeat(100_000)}) {
            ServiceClient.Reply reply = new ServiceClient(service).post("/v1/gradient", "application/json", body);
            assertEquals(400, reply.status(), reply::toString);
            assertTrue(reply.json().get("error").asText().contains("nesting depth"), reply::toString);
            assertEquals(reply.header("X-Request-Id"), reply.json().get("request_id").asText());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void headersOverTheLimitAre431() throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(service.port(), RawHttp.bytes("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                + "x".repeat(GradientService.MAX_HEADER_BYTES + 1024) + "\r\n\r\n"));
        assertError(answer, 431, null);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aMalformedRequestLineIs400() throws Exception {
        assertError(RawHttp.exchange(service.port(), RawHttp.bytes("GARBAGE\r\n\r\n")), 400, null);
        assertError(RawHttp.exchange(service.port(), RawHttp.bytes("GET /health HTTP/1.1\r\n\r\n")), 400, null); // no Host
    }

    private static void assertError(RawHttp.Answer answer, int status, String message) {
        assertEquals(status, answer.status(), answer::toString);
        assertTrue(answer.header("Content-Type").startsWith("application/json"), answer::toString);
        JsonNode json = TestCases.parse(answer.body());
        assertNotNull(json.get("error"), answer::toString);
        assertEquals("", json.get("field").asText());
        assertEquals(answer.header("X-Request-Id"), json.get("request_id").asText(), answer::toString);
        if (message != null) {
            assertTrue(json.get("error").asText().contains(message), answer::toString);
        }
    }
}
