package dev.kronograd.cli;

import dev.kronograd.service.testing.TestCases;
import dev.kronograd.service.testing.ServiceClient;
import dev.kronograd.service.testing.TestPlugins;
import dev.kronograd.sdk.Kronograd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
 * {@code kronograd serve} in a child JVM: SIGTERM lets the request in flight finish and the process
 * exits with 0; usage errors exit with 2 before binding anything.
 */
class ServeProcessTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sigtermStopsServeGracefullyWithExitCode0() throws Exception {
        Process process = serve("--port", "0", "--backend", "ejml", "--plugin-path", TestPlugins.folder().toString(), "--log-requests");
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            String line = stdout.readLine();
            Matcher m = LISTENING.matcher(line == null ? "" : line);
            assertTrue(m.matches(), () -> "first line: " + line + "\nstderr: " + (process.isAlive() ? "" : stderr.join()));
            int port = Integer.parseInt(m.group(1));
            CompletableFuture<String> restOfStdout = CompletableFuture.supplyAsync(() -> {
                StringBuilder rest = new StringBuilder();
                try {
                    for (String more = stdout.readLine(); more != null; more = stdout.readLine()) {
                        rest.append(more).append('\n');
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return rest.toString();
            });
            ServiceClient client = new ServiceClient(port);

            assertEquals(TestCases.expectedGradient(Kronograd.builder().backend("ejml").environment(Map.of(), new Properties()).build(),
                    TestCases.twoLayers()), client.post("/v1/gradient", TestCases.twoLayers()).body(), "served before the signal");
            CompletableFuture<ServiceClient.Reply> inFlight = CompletableFuture.supplyAsync(
                    () -> client.post("/v1/gradient", TestCases.single(TestPlugins.SLEEPY)));
            Thread.sleep(TestPlugins.SLEEP_MS / 3); // the request reaches the warm server in milliseconds
            process.toHandle().destroy(); // SIGTERM on Linux; Process.destroy() would also close our ends of the pipes

            ServiceClient.Reply reply = inFlight.get(20, TimeUnit.SECONDS);
            assertEquals(200, reply.status(), "the request in flight finishes: " + reply);
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "serve did not exit after SIGTERM");
            assertEquals(0, process.exitValue(), () -> "exit code after SIGTERM; stderr:\n" + stderr.join());
            assertEquals("", restOfStdout.get(10, TimeUnit.SECONDS), "stdout has the listening line only");
            String log = stderr.join();
            assertTrue(log.contains("POST /v1/gradient 200"), "--log-requests logs each request on stderr:\n" + log);
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
                List.of("--max-concurrent", "0"), "--max-concurrent must be at least 1, was 0");
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
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ServeCommand.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("KRONOGRAD_BACKEND");
        builder.environment().remove("KRONOGRAD_PLUGIN_PATH");
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
