package dev.kronograd.cli;

import dev.kronograd.service.testing.TestCases;
import dev.kronograd.service.testing.ServiceClient;
import dev.kronograd.service.testing.SocketGate;
import dev.kronograd.service.testing.SocketGatedActivation;
import dev.kronograd.sdk.Kronograd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kronograd serve} in a child JVM: SIGTERM lets the requests in flight finish and the process
 * exits with 0; usage errors exit with 2 before binding anything, naming the option.
 */
class ServeProcessTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    /**
     * Three requests held in flight at a {@link SocketGate} (one queued behind two computing), then
     * SIGTERM: once the child logs that it is stopping, the gate opens; every request is answered
     * 200, and the process exits with 0. Each step waits on something observable; no sleeps.
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void sigtermWithRequestsInFlightAnswersThemAndExits0(@TempDir Path services) throws Exception {
        try (SocketGate gate = new SocketGate()) {
            Process process = serve(List.of("-D" + SocketGatedActivation.PORT_PROPERTY + "=" + gate.port()),
                    SocketGate.servicesFolder(services), "--port", "0", "--backend", "ejml", "--max-concurrent", "2",
                    "--log-requests");
            try {
                BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                StringBuffer log = new StringBuffer();
                CompletableFuture<Void> stopping = new CompletableFuture<>();
                CompletableFuture<Void> stderrDone = CompletableFuture.runAsync(() -> {
                    try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                        for (String l = err.readLine(); l != null; l = err.readLine()) {
                            log.append(l).append('\n');
                            if (l.contains("GradientService - stopping http://")) {
                                stopping.complete(null);
                            }
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                String line = stdout.readLine();
                Matcher m = LISTENING.matcher(line == null ? "" : line);
                assertTrue(m.matches(), () -> "first line: " + line + "\nstderr: " + log);
                int port = Integer.parseInt(m.group(1));
                CompletableFuture<String> restOfStdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
                ServiceClient client = new ServiceClient(port);
                Kronograd sdk = Kronograd.builder().backend("ejml").environment(Map.of(), new Properties()).build();
                assertEquals(TestCases.expectedGradient(sdk, TestCases.twoLayers()), client.post("/v1/gradient", TestCases.twoLayers()).body(),
                        "served before the signal");

                List<CompletableFuture<ServiceClient.Reply>> inFlight = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    inFlight.add(CompletableFuture.supplyAsync(() -> client.post("/v1/gradient", TestCases.single(SocketGatedActivation.NAME))));
                }
                assertTrue(gate.awaitEntered(2, 30, TimeUnit.SECONDS), "two computations at the gate (the third queued)");
                process.toHandle().destroy(); // SIGTERM on Linux; Process.destroy() would also close our ends of the pipes
                stopping.get(30, TimeUnit.SECONDS);
                for (CompletableFuture<ServiceClient.Reply> f : inFlight) {
                    assertTrue(!f.isDone(), "held at the gate while the service stops");
                }
                gate.open();

                String expected = TestCases.expectedGradient(sdk, TestCases.single("identity"));
                for (CompletableFuture<ServiceClient.Reply> f : inFlight) {
                    ServiceClient.Reply reply = f.get(30, TimeUnit.SECONDS);
                    assertEquals(200, reply.status(), () -> "a request in flight at SIGTERM is answered: " + reply + "\nstderr:\n" + log);
                    assertEquals(expected, reply.body());
                }
                assertTrue(process.waitFor(30, TimeUnit.SECONDS), "serve did not exit after SIGTERM");
                assertEquals(0, process.exitValue(), () -> "exit code after SIGTERM; stderr:\n" + log);
                assertEquals("", restOfStdout.get(10, TimeUnit.SECONDS), "stdout has the listening line only");
                stderrDone.get(10, TimeUnit.SECONDS);
                String all = log.toString();
                assertTrue(all.contains("GradientService - stopping http://127.0.0.1:" + port + "/: refusing new connections, waiting up to "
                        + "10000 ms for 3 requests in flight"), "without --verbose, the stopping line with the requests in flight:\n" + all);
                assertTrue(all.contains("INFO GradientService - serving on http://127.0.0.1:" + port + "/ with backend ejml"),
                        "the serving line is on stderr:\n" + all);
                assertTrue(all.contains("INFO GradientService - stopped\n"), "the stopped line is on stderr:\n" + all);
                assertEquals(List.of(), otherLines(all, "INFO GradientService - ", "INFO access - "),
                        "without --verbose, nothing but the lifecycle and (--log-requests) the access log, no Jetty INFO lines:\n" + all);
                assertEquals(4, all.lines().filter(l -> l.contains("access - POST /v1/gradient 200")).count(),
                        "--log-requests logs each request on stderr:\n" + all);
            } finally {
                process.destroyForcibly();
            }
        }
    }

    /**
     * Without options the lifecycle lines (serving, stopping with the requests in flight, stopped)
     * are on stderr, and nothing else: no access log, no Jetty INFO lines.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void byDefaultStderrHasTheLifecycleLinesOnly() throws Exception {
        Process process = serve("--port", "0", "--backend", "ejml");
        try {
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = stdout.readLine();
            Matcher m = LISTENING.matcher(line == null ? "" : line);
            assertTrue(m.matches(), () -> "first line: " + line);
            int port = Integer.parseInt(m.group(1));
            assertEquals(200, new ServiceClient(port).get("/health").status());
            process.toHandle().destroy(); // SIGTERM
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "serve did not exit after SIGTERM");
            assertEquals(0, process.exitValue());
            String all = stderr.get(10, TimeUnit.SECONDS);
            List<String> lines = all.lines().filter(l -> !l.isBlank() && !l.startsWith("Picked up ")).toList();
            assertEquals(3, lines.size(), () -> "serving, stopping, stopped:\n" + all);
            assertTrue(lines.get(0).startsWith("INFO GradientService - serving on http://127.0.0.1:" + port + "/ with backend ejml, "), all);
            // The /health exchange above may still be finishing its bookkeeping on the server when the signal arrives
            // (its answer is written before the request stops counting as in flight), so 0 or 1.
            String stopping = "INFO GradientService - stopping http://127.0.0.1:" + port + "/: refusing new connections, waiting up to 10000 ms "
                    + "for ";
            assertTrue(lines.get(1).equals(stopping + "0 requests in flight") || lines.get(1).equals(stopping + "1 requests in flight"),
                    lines.get(1));
            assertEquals("INFO GradientService - stopped", lines.get(2));
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void usageErrorsExitWith2AndOneLineNamingTheOption() throws Exception {
        Map<List<String>, String> cases = Map.of(
                List.of("--port", "70000"), "--port must be between 0 and 65535, was 70000",
                List.of("--request-timeout", "soon"), "'soon' is not a duration; write e.g. 500ms, 30s or 2m",
                List.of("--max-concurrent", "0"), "--max-concurrent must be at least 1, was 0",
                List.of("--max-queued", "-1"), "--max-queued must be at least 0, was -1",
                List.of("--read-timeout", "0"), "--read-timeout must be positive, was PT0S");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            Process process = serve(c.getKey().toArray(new String[0]));
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            String stderr = readAll(process.getErrorStream());
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(2, process.exitValue(), () -> c.getKey() + ": " + stderr);
            List<String> lines = stderr.lines().filter(l -> !l.isBlank() && !l.startsWith("Picked up ")).toList();
            assertEquals(1, lines.size(), () -> c.getKey() + ": " + stderr);
            assertTrue(lines.get(0).startsWith("kronograd: error: ") && lines.get(0).contains(c.getValue()), lines.get(0));
            assertEquals("", stdout.join(), c.getKey() + ": nothing on stdout");
        }
    }

    /** Starts {@code ServeCommand} (what {@code kronograd serve} runs) in a JVM of its own with this JVM's class path. */
    private static Process serve(String... args) throws IOException {
        return serve(List.of(), null, args);
    }

    /** {@link #serve(String...)} with JVM options and a folder put first on the class path (or null). */
    private static Process serve(List<String> jvmOptions, Path classPathFirst, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add((classPathFirst == null ? "" : classPathFirst + java.io.File.pathSeparator) + System.getProperty("java.class.path"));
        command.add(ServeCommand.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("KRONOGRAD_BACKEND");
        builder.environment().remove("KRONOGRAD_PLUGIN_PATH");
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    /** The lines of {@code log} that start with none of {@code prefixes} (JVM notices aside). */
    private static List<String> otherLines(String log, String... prefixes) {
        return log.lines().filter(l -> !l.isBlank() && !l.startsWith("Picked up "))
                .filter(l -> java.util.Arrays.stream(prefixes).noneMatch(l::startsWith)).toList();
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
