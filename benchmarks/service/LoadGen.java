import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed-loop load generator for {@code kronograd serve}: for each case and each number of
 * concurrent clients, every client (its own HTTP/1.1 connection) sends {@code POST /v1/gradient}
 * back to back, first for the warm-up, then for the measured period; prints throughput and the
 * p50/p99/max latency of the measured requests, and the statuses, as a Markdown table row.
 * Single-file program: {@code java LoadGen.java URL SECONDS WARMUP_SECONDS CASES CLIENTS}, e.g.
 * {@code java LoadGen.java http://127.0.0.1:8080 10 3 64x64x8,1024x1024x256 1,8,64,256}.
 * A case {@code MxNxB} is one tanh layer of M outputs and N inputs on B samples, squared error,
 * seeded: the same bodies for every run.
 */
public final class LoadGen {
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: java LoadGen.java URL SECONDS WARMUP_SECONDS CASES(MxNxB,…) CLIENTS(1,8,…)");
            System.exit(2);
        }
        URI gradient = URI.create(args[0].replaceAll("/$", "") + "/v1/gradient");
        Duration measure = Duration.ofSeconds(Long.parseLong(args[1]));
        Duration warmUp = Duration.ofSeconds(Long.parseLong(args[2]));
        System.out.println("| case | clients | requests/s | p50 ms | p99 ms | max ms | statuses |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (String c : args[3].split(",")) {
            int[] mnb = Arrays.stream(c.split("x")).mapToInt(Integer::parseInt).toArray();
            byte[] body = caseJson(mnb[0], mnb[1], mnb[2]).getBytes(StandardCharsets.UTF_8);
            for (String n : args[4].split(",")) {
                run(gradient, c, body, Integer.parseInt(n), warmUp, measure);
            }
        }
    }

    private static void run(URI gradient, String name, byte[] body, int clients, Duration warmUp, Duration measure) throws Exception {
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long until = measureFrom + measure.toNanos();
        List<long[]> perClient = new ArrayList<>();
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        LongAdder failures = new LongAdder();
        CountDownLatch done = new CountDownLatch(clients);
        for (int t = 0; t < clients; t++) {
            long[][] holder = new long[1][];
            Thread thread = new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                HttpRequest request = HttpRequest.newBuilder(gradient).timeout(Duration.ofSeconds(120))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                long[] latencies = new long[1024];
                int count = 0;
                try {
                    while (true) {
                        long sent = System.nanoTime();
                        if (sent >= until) {
                            break;
                        }
                        int status;
                        long retryAfterMillis = 0;
                        try {
                            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                            status = response.statusCode();
                            if (status == 503) { // a well-behaved client honours Retry-After instead of retrying at once
                                retryAfterMillis = 1000L * response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
                            }
                        } catch (java.io.IOException e) {
                            status = -1;
                            failures.increment();
                            retryAfterMillis = 1000; // the connection was closed on us (e.g. after a 503 mid-upload): back off too
                        }
                        long end = System.nanoTime();
                        // Counted when it ends in the window: under overload a 200 can take longer than the
                        // window, and counting by send time would show no 200 at all.
                        if (end >= measureFrom && end <= until) {
                            statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                            if (count == latencies.length) {
                                latencies = Arrays.copyOf(latencies, 2 * count);
                            }
                            latencies[count++] = end - sent;
                        }
                        if (retryAfterMillis > 0) {
                            Thread.sleep(Math.min(retryAfterMillis, Math.max(0, (until - System.nanoTime()) / 1_000_000)));
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    holder[0] = Arrays.copyOf(latencies, count);
                    synchronized (perClient) {
                        perClient.add(holder[0]);
                    }
                    done.countDown();
                }
            }, "client-" + t);
            thread.setDaemon(true);
            thread.start();
        }
        done.await();
        long[] all = perClient.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        Map<Integer, Long> byStatus = new TreeMap<>();
        statuses.forEach((s, n) -> byStatus.put(s, n.sum()));
        double seconds = measure.toNanos() / 1e9;
        System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %.2f | %s |%n", name, clients, all.length / seconds,
                percentile(all, 0.50), percentile(all, 0.99), all.length == 0 ? Double.NaN : all[all.length - 1] / 1e6, byStatus);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    /** One tanh layer m×n on b samples with squared error, from a fixed seed. */
    static String caseJson(int m, int n, int b) {
        Random rnd = new Random(17);
        StringBuilder sb = new StringBuilder(32 * (m * n + 2 * b * (m + n)));
        sb.append("{\"layers\":[{\"weights\":");
        matrix(sb, rnd, m, n);
        sb.append(",\"bias\":");
        row(sb, rnd, m);
        sb.append(",\"activation\":\"tanh\"}],\"inputs\":");
        matrix(sb, rnd, b, n);
        sb.append(",\"loss\":{\"type\":\"squared-error\",\"targets\":");
        matrix(sb, rnd, b, m);
        sb.append("}}");
        return sb.toString();
    }

    private static void matrix(StringBuilder sb, Random rnd, int rows, int cols) {
        sb.append('[');
        for (int i = 0; i < rows; i++) {
            if (i > 0) {
                sb.append(',');
            }
            row(sb, rnd, cols);
        }
        sb.append(']');
    }

    private static void row(StringBuilder sb, Random rnd, int length) {
        sb.append('[');
        for (int j = 0; j < length; j++) {
            if (j > 0) {
                sb.append(',');
            }
            sb.append(rnd.nextGaussian() * 0.1);
        }
        sb.append(']');
    }
}
