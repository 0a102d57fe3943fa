package dev.kronograd.service;

import dev.kronograd.service.testing.GatedActivation;
import dev.kronograd.service.testing.GatedSdk;
import dev.kronograd.service.testing.TestCases;
import dev.kronograd.service.testing.ServiceClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kronograd.sdk.Kronograd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service under load and at its limits, on 127.0.0.1 only:
 * <ul>
 *   <li>16 concurrent clients send valid and invalid requests for 8 s: every valid answer equals
 *       the in-process result byte for byte, every invalid one is the expected 4xx, nothing is
 *       5xx, and the heap after GC ends where it started (within a small margin);</li>
 *   <li>with one compute thread and no queue, a second request gets 503 with {@code Retry-After}
 *       while the first computes (held at a gate), and GETs are still answered;</li>
 *   <li>a burst of 64 clients × 5 requests on 2 compute threads is answered 200, every answer
 *       identical to the in-process SDK's.</li>
 * </ul>
 */
class ServiceLoadTest {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceLoadTest.class);
    private static final int CLIENTS = 16;
    private static final Duration LOAD = Duration.ofSeconds(5);
    /** Heap growth allowed between before and after the load, after GC: far below what a leak of the requests would keep. */
    private static final long HEAP_MARGIN_BYTES = 24L * 1024 * 1024;

    /** One request of the mix and what must come back. */
    private record Call(String name, Function<ServiceClient, ServiceClient.Reply> send, int status, String body) {
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void manyClientsGetCorrectAnswersNo5xxAndMemoryStaysSteady() throws Exception {
        Kronograd sdk = Kronograd.builder().backend("ejml").environment(Map.of(), new Properties()).build();
        // Admitted = 2 running + 16 queued ≥ 16 clients: the load never meets the capacity limit, so any 503 is a failure.
        ServiceLimits limits = ServiceLimits.defaults().withConcurrency(2, CLIENTS).withMaxBodyBytes(256 * 1024);
        try (GradientService service = GradientService.start(sdk, limits, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            List<Call> mix = mix(sdk);
            ServiceClient warmUp = new ServiceClient(service);
            for (Call call : mix) {
                check(call, call.send().apply(warmUp)).ifPresent(problem -> {
                    throw new AssertionError(problem);
                });
            }
            long heapBefore = heapAfterGc();

            Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            LongAdder requests = new LongAdder();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            long start = System.nanoTime();
            long deadline = start + LOAD.toNanos();
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                long seed = t;
                running.add(clients.submit(() -> {
                    ServiceClient client = new ServiceClient(service); // each client its own connections
                    Random rnd = new Random(seed);
                    while (System.nanoTime() < deadline) {
                        Call call = mix.get(rnd.nextInt(mix.size()));
                        ServiceClient.Reply reply = call.send().apply(client);
                        requests.increment();
                        statuses.computeIfAbsent(reply.status(), s -> new LongAdder()).increment();
                        check(call, reply).ifPresent(problems::add);
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            clients.shutdown();
            assertTrue(clients.awaitTermination(10, TimeUnit.SECONDS));
            long heapAfter = heapAfterGc();

            Map<Integer, Long> byStatus = new TreeMap<>();
            statuses.forEach((status, count) -> byStatus.put(status, count.sum()));
            LOG.info("load: {} requests in {} s = {} requests/s from {} clients; statuses {}; heap after GC {} MB before, {} MB after",
                    requests.sum(), String.format("%.1f", seconds), String.format("%.0f", requests.sum() / seconds), CLIENTS, byStatus,
                    heapBefore >> 20, heapAfter >> 20);
            assertEquals(List.of(), List.copyOf(problems).subList(0, Math.min(10, problems.size())), "wrong answers (first 10 of "
                    + problems.size() + ")");
            assertTrue(byStatus.keySet().stream().noneMatch(s -> s >= 500), "no 5xx: " + byStatus);
            assertTrue(byStatus.getOrDefault(200, 0L) > 0 && byStatus.keySet().stream().anyMatch(s -> s >= 400), byStatus.toString());
            assertTrue(heapAfter - heapBefore < HEAP_MARGIN_BYTES, "heap grew from " + heapBefore + " to " + heapAfter + " bytes");
            assertEquals(0, service.requestsInFlight());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aFullQueueIsAnswered503WithRetryAfterAndGetsStillAnswered(@TempDir Path plugins) throws Exception {
        Kronograd sdk = GatedSdk.create(plugins);
        GatedActivation gate = GatedSdk.gate(sdk);
        ServiceLimits limits = ServiceLimits.defaults().withConcurrency(1, 0);
        try (GradientService service = GradientService.start(sdk, limits, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            ServiceClient client = new ServiceClient(service);
            CompletableFuture<ServiceClient.Reply> held = CompletableFuture.supplyAsync(
                    () -> client.post("/v1/gradient", TestCases.single(GatedActivation.NAME)));
            try {
                assertTrue(gate.awaitEntered(20, TimeUnit.SECONDS), "the first computation holds the only compute thread");

                ServiceClient.Reply refused = client.post("/v1/gradient", TestCases.twoLayers());
                assertEquals(503, refused.status(), refused::toString);
                assertEquals("1", refused.header("Retry-After"));
                assertTrue(refused.json().get("error").asText().contains("at capacity"), refused::toString);
                assertEquals(200, client.get("/health").status(), "GETs are answered while the compute thread is taken");
            } finally {
                gate.open();
            }
            ServiceClient.Reply first = held.get(20, TimeUnit.SECONDS);
            assertEquals(200, first.status(), first::toString);
            assertEquals(TestCases.expectedGradient(sdk, TestCases.single("identity")), first.body(), "the gate computes the identity");
            ServiceClient.Reply after = client.post("/v1/gradient", TestCases.twoLayers());
            assertEquals(200, after.status(), "the thread is free again: " + after);
        }
    }

    /**
     * With one compute thread and no queue, a client that sends its next request as soon as it has
     * its answer is always admitted: the capacity is given back before the answer is written, not
     * when the compute thread gets back to the pool (that race answered an occasional 503).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sequentialRequestsOnOneThreadWithNoQueueAreAllAdmitted() throws Exception {
        Kronograd sdk = Kronograd.builder().backend("ejml").environment(Map.of(), new Properties()).build();
        ServiceLimits limits = ServiceLimits.defaults().withConcurrency(1, 0);
        try (GradientService service = GradientService.start(sdk, limits, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            ServiceClient client = new ServiceClient(service);
            String body = TestCases.twoLayers().toString();
            for (int i = 0; i < 300; i++) {
                ServiceClient.Reply reply = client.post("/v1/gradient", "application/json", body);
                assertEquals(200, reply.status(), "request " + i + ": " + reply);
            }
        }
    }

    /**
     * Issue 17's burst: 64 clients × 5 requests of a 64×64, B = 8 gradient, all sent at once (each
     * client its own connection, released together by a barrier) to a service with 2 compute
     * threads and the default queue: every answer is 200 and byte-identical to the in-process SDK's.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBurstOf64ClientsTimes5IsAll200AndIdentical() throws Exception {
        int clients = 64;
        int perClient = 5;
        Kronograd sdk = Kronograd.builder().backend("ejml").environment(Map.of(), new Properties()).build();
        ObjectNode c = TestCases.square(new Random(64), 64, 8);
        String body = c.toString();
        String expected = TestCases.expectedGradient(sdk, c);
        ServiceLimits limits = ServiceLimits.defaults().withConcurrency(2, ServiceLimits.DEFAULT_MAX_QUEUED);
        try (GradientService service = GradientService.start(sdk, limits, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            CyclicBarrier start = new CyclicBarrier(clients);
            List<Future<List<ServiceClient.Reply>>> results = new ArrayList<>();
            long[] begun = new long[1];
            for (int t = 0; t < clients; t++) {
                results.add(pool.submit(() -> {
                    ServiceClient client = new ServiceClient(service);
                    start.await(20, TimeUnit.SECONDS);
                    List<ServiceClient.Reply> replies = new ArrayList<>();
                    for (int i = 0; i < perClient; i++) {
                        replies.add(client.post("/v1/gradient", "application/json", body));
                    }
                    return replies;
                }));
            }
            begun[0] = System.nanoTime();
            Map<Integer, Integer> statuses = new TreeMap<>();
            int identical = 0;
            for (Future<List<ServiceClient.Reply>> f : results) {
                for (ServiceClient.Reply r : f.get(40, TimeUnit.SECONDS)) {
                    statuses.merge(r.status(), 1, Integer::sum);
                    identical += expected.equals(r.body()) ? 1 : 0;
                }
            }
            long millis = (System.nanoTime() - begun[0]) / 1_000_000;
            pool.shutdown();
            LOG.info("burst: {} clients x {} requests of a 64x64, B=8 gradient on 2 compute threads: statuses {}, {} identical, {} ms",
                    clients, perClient, statuses, identical, millis);
            assertEquals(Map.of(200, clients * perClient), statuses, "every request of the burst is answered 200");
            assertEquals(clients * perClient, identical, "every answer is byte-identical to the in-process SDK's");
        }
    }

    // ---- the mix --------------------------------------------------------------------------------

    /** Valid gradients and Hessian-vector products of random cases, and invalid requests of several kinds. */
    private static List<Call> mix(Kronograd sdk) {
        List<Call> mix = new ArrayList<>();
        Random rnd = new Random(99);
        for (int i = 0; i < 24; i++) {
            ObjectNode c = TestCases.random(rnd, 3, 10, 6);
            String expected = TestCases.expectedGradient(sdk, c);
            String body = c.toString();
            mix.add(new Call("gradient " + i, client -> client.post("/v1/gradient", "application/json", body), 200, expected));
            mix.add(new Call("gradient again " + i, client -> client.post("/v1/gradient", "application/json", body), 200, expected));
        }
        for (int i = 0; i < 6; i++) {
            ObjectNode c = TestCases.random(rnd, 2, 6, 3);
            ObjectNode v = TestCases.randomVector(sdk, c, rnd);
            boolean ggn = i % 2 == 0;
            String body = TestCases.withVector(c, v, ggn).toString();
            String expected = TestCases.expectedHessianVector(sdk, c, v, ggn);
            mix.add(new Call("hessian-vector " + i, client -> client.post("/v1/hessian-vector", "application/json", body), 200, expected));
        }
        String valid = TestCases.twoLayers().toString();
        mix.add(new Call("ragged", client -> client.post("/v1/gradient", "application/json", valid.replace("[1.1,0.4]", "[1.1]")), 422, null));
        mix.add(new Call("NaN", client -> client.post("/v1/gradient", "application/json", valid.replace("0.05", "NaN")), 400, null));
        mix.add(new Call("truncated", client -> client.post("/v1/gradient", "application/json", valid.substring(0, valid.length() / 2)), 400, null));
        mix.add(new Call("unknown activation", client -> client.post("/v1/gradient", "application/json", valid.replace("tanh", "tahn")), 422, null));
        mix.add(new Call("content type", client -> client.post("/v1/gradient", "text/plain", valid), 415, null));
        mix.add(new Call("too large", client -> client.post("/v1/gradient", "application/json", valid + " ".repeat(300 * 1024)), 413, null));
        mix.add(new Call("method", client -> client.get("/v1/check"), 405, null));
        mix.add(new Call("path", client -> client.get("/v2/gradient"), 404, null));
        mix.add(new Call("empty", client -> client.post("/v1/hessian-vector", "application/json", ""), 400, null));
        mix.add(new Call("no vector", client -> client.post("/v1/hessian-vector", "application/json", valid), 422, null));
        mix.add(new Call("health", client -> client.get("/health"), 200, "{\"status\":\"ok\"}\n"));
        return mix;
    }

    /** What is wrong with {@code reply} for {@code call}, if anything. */
    private static java.util.Optional<String> check(Call call, ServiceClient.Reply reply) {
        if (reply.status() != call.status()) {
            return java.util.Optional.of(call.name() + ": expected " + call.status() + ", got " + reply);
        }
        if (call.body() != null && !call.body().equals(reply.body())) {
            return java.util.Optional.of(call.name() + ": wrong body " + reply.body());
        }
        if (call.status() >= 400) {
            JsonNode error = reply.json();
            if (!error.hasNonNull("error") || !error.has("field")) {
                return java.util.Optional.of(call.name() + ": error body without error and field: " + reply);
            }
        }
        return java.util.Optional.empty();
    }

    private static long heapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
