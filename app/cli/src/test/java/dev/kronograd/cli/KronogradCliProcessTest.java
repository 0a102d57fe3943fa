package dev.kronograd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.kronograd.cli.CliRun.caseFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KronogradCli#main} in a JVM of its own, as the {@code kronograd} script runs it: the
 * process exit code, stdout carrying nothing but the JSON (logging goes to stderr, WARN by
 * default), and a named backend made unavailable through netlib's library-path property.
 */
class KronogradCliProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param code the process exit code
     * @param out  stdout
     * @param err  stderr, without the JVM's own "Picked up JAVA_TOOL_OPTIONS" notices
     */
    private record ProcessRun(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private static ProcessRun kronograd(List<String> jvmOptions, String... args) throws IOException, InterruptedException, ExecutionException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(KronogradCli.class.getName());
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("KRONOGRAD_BACKEND");
        builder.environment().remove("KRONOGRAD_PLUGIN_PATH");
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kronograd " + String.join(" ", args) + " did not finish in 60 s");
        }
        String stderr = err.get().lines().filter(l -> !l.startsWith("Picked up ")).map(l -> l + "\n").reduce("", String::concat);
        return new ProcessRun(process.exitValue(), out.get(), stderr);
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void stdoutIsOnlyJsonAndStderrIsQuietByDefault() throws Exception {
        ProcessRun run = kronograd(List.of(), "gradient", "--input", caseFile("identity-one-layer.json"));
        assertEquals(0, run.code(), run::toString);
        assertEquals("", run.err(), "no log lines at the default level");
        JsonNode result = JSON.readTree(run.out());
        assertEquals(10.2453125, result.get("loss").doubleValue(), 1e-12);
    }

    @Test
    void verboseLogsTheBackendChoiceOnStderrAndKeepsStdoutClean() throws Exception {
        ProcessRun run = kronograd(List.of(), "gradient", "--input", caseFile("identity-one-layer.json"), "--backend", "ejml",
                "--verbose", "--compact");
        assertEquals(0, run.code(), run::toString);
        assertTrue(run.err().contains("BLAS backend: ejml"), "INFO line about the backend: " + run);
        assertEquals(1, run.out().lines().count(), run::toString);
        JSON.readTree(run.out());
    }

    @Test
    void aNamedBackendThatCannotLoadIsOneErrorLineWithExit2() throws Exception {
        ProcessRun run = kronograd(List.of("-Ddev.ludovic.netlib.blas.nativeLibPath=/nonexistent/libblas.so.3"),
                "gradient", "--input", caseFile("identity-one-layer.json"), "--backend", "netlib-native");
        assertEquals(2, run.code(), run::toString);
        assertEquals("", run.out());
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().startsWith("kronograd: error: "), run::toString);
        assertTrue(run.err().contains("netlib-native") && run.err().contains("unavailable"), run::toString);
        assertTrue(run.err().contains("/nonexistent/libblas.so.3"), "says which library failed: " + run);
    }

    @Test
    void aBrokenPluginIsReportedOnceByActivationsAndOnStderrByTheOtherCommands(@TempDir Path plugins) throws Exception {
        Files.writeString(plugins.resolve("broken.jar"), "not a zip file");
        ProcessRun listing = kronograd(List.of(), "activations", "--plugin-path", plugins.toString());
        assertEquals(0, listing.code(), listing::toString);
        assertEquals(1, listing.out().lines().filter(l -> l.contains("broken.jar")).count(), listing::toString);
        assertEquals("", listing.err(), "the listing names the problem; no WARN line repeats it: " + listing);

        ProcessRun gradient = kronograd(List.of(), "gradient", "--input", caseFile("identity-one-layer.json"),
                "--plugin-path", plugins.toString(), "--compact");
        assertEquals(0, gradient.code(), gradient::toString);
        assertEquals(1, gradient.errLines().size(), gradient::toString);
        assertTrue(gradient.err().contains("WARN") && gradient.err().contains("broken.jar"),
                "without a listing, the problem is one WARN line on stderr: " + gradient);
    }

    @Test
    void aUsageErrorExitsTheProcessWith2() throws Exception {
        ProcessRun run = kronograd(List.of(), "gradient", "--no-such-option");
        assertEquals(2, run.code(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
    }
}
