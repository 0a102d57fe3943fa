package dev.kronograd.examples.embedding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kronograd.activations.ProviderJars;
import dev.kronograd.cli.KronogradCli;
import dev.kronograd.sdk.Kronograd;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SDK as a host meets it: {@link HostChecks} runs in a JVM of its own on the host's run-time
 * class path only (kronograd-sdk, EJML, Guice, logback — no CLI, no test dependency), with
 * {@code KRONOGRAD_PLUGIN_PATH} naming a folder with a working activation plugin and
 * {@code KRONOGRAD_ELEMENTWISE_THREADS} set to a value the SDK would reject if it read it. Its
 * gradient must equal the CLI's on the same case.
 */
class EmbeddingTest {
    /** The gradient of the host and of the CLI agree to rounding (the same code computes both). */
    private static final double TOLERANCE = 1e-12;
    private static final String PLUGIN = "halve";

    @TempDir
    static Path work;
    private static Path plugins;
    private static Map<String, String> report;
    private static String stderr;
    private static int exitCode;

    @BeforeAll
    static void runTheHost() throws Exception {
        plugins = Files.createDirectories(work.resolve("plugins"));
        ProviderJars.jar(plugins, "halve.jar", Map.of("host.plugin.Halve", ProviderJars.half("host.plugin", "Halve", PLUGIN)),
                List.of("host.plugin.Halve"));
        String classPath = System.getProperty("kronograd.example.host.classes") + File.pathSeparator
                + Files.readString(Path.of(System.getProperty("kronograd.example.host.classpath"))).strip();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, HostChecks.class.getName());
        builder.environment().put("KRONOGRAD_PLUGIN_PATH", plugins.toString());
        builder.environment().put("KRONOGRAD_ELEMENTWISE_THREADS", "not-a-number");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        String out = readAll(process.getInputStream());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the host did not finish within 60 s");
        exitCode = process.exitValue();
        stderr = err.get(10, TimeUnit.SECONDS);
        report = new LinkedHashMap<>();
        for (String line : out.lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                report.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
    }

    @Test
    void theHostRanOnTheBackendItChose() {
        assertEquals(0, exitCode, () -> "exit code; stderr:\n" + stderr);
        assertEquals("ejml", report.get("backend"), report::toString);
    }

    @Test
    void slf4jPrintsNoWarningAndTheSdksLogLinesReachLogback() {
        assertFalse(stderr.contains("SLF4J"), () -> "SLF4J complained:\n" + stderr);
        // The pattern of the host's logback.xml: "%-5level %logger - %msg".
        assertTrue(stderr.lines().anyMatch(l -> l.startsWith("INFO  dev.kronograd.backend.BackendSelector - BLAS backend: ejml")),
                () -> "the SDK's backend line, formatted by logback:\n" + stderr);
        assertTrue(stderr.lines().anyMatch(l -> l.startsWith("INFO  dev.kronograd.examples.embedding.HostChecks - host computed")),
                () -> "the host's own line:\n" + stderr);
    }

    @Test
    void theGradientEqualsTheClis() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = json.createObjectNode();
        ArrayNode layers = c.putArray("layers");
        layer(layers, HostChecks.W0, HostChecks.B0, "tanh");
        layer(layers, HostChecks.W1, HostChecks.B1, "identity");
        c.set("inputs", json.valueToTree(HostChecks.INPUTS));
        c.putObject("loss").put("type", "squared-error").set("targets", json.valueToTree(HostChecks.TARGETS));
        Path file = work.resolve("case.json");
        Files.writeString(file, json.writeValueAsString(c));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KronogradCli.run(new String[]{"gradient", "--input", file.toString(), "--backend", "ejml"},
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err::toString);
        JsonNode cli = json.readTree(out.toString());

        double[] host = Arrays.stream(report.get("gradient").split(",")).mapToDouble(Double::parseDouble).toArray();
        assertEquals(cli.get("loss").asDouble(), Double.parseDouble(report.get("loss")), TOLERANCE);
        // θ = [vec W_0; b_0; vec W_1; b_1], vec stacking columns; the CLI writes W as rows.
        int offset = 0;
        for (JsonNode g : cli.get("gradients")) {
            JsonNode w = g.get("weights");
            int m = w.size();
            int n = w.get(0).size();
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    assertEquals(w.get(i).get(j).asDouble(), host[offset + j * m + i], TOLERANCE, "dW[" + i + "][" + j + "]");
                }
            }
            offset += m * n;
            for (int i = 0; i < m; i++) {
                assertEquals(g.get("bias").get(i).asDouble(), host[offset + i], TOLERANCE, "db[" + i + "]");
            }
            offset += m;
        }
        assertEquals(host.length, offset, "every parameter compared");
    }

    @Test
    void aPluginOnlyTheEnvironmentNamesIsNotLoaded() {
        List<String> known = List.of(report.get("activations").split(","));
        assertTrue(known.contains("tanh"), known::toString);
        assertFalse(known.contains(PLUGIN), () -> "the SDK read KRONOGRAD_PLUGIN_PATH on its own: " + known);
        // The jar itself works: named by the caller, or read from the environment on request, it is loaded.
        try (Kronograd named = Kronograd.builder().backend("ejml").pluginPath(plugins).build()) {
            assertTrue(named.activations().names().contains(PLUGIN));
        }
        try (Kronograd asked = Kronograd.builder().backend("ejml")
                .environment(Map.of("KRONOGRAD_PLUGIN_PATH", plugins.toString()), new Properties()).build()) {
            assertTrue(asked.activations().names().contains(PLUGIN));
        }
    }

    @Test
    void theSdkClosesAndRefusesUseAfterwards() {
        assertEquals("true", report.get("closed"));
        assertTrue(report.get("after-close").startsWith("IllegalStateException: ") && report.get("after-close").contains("closed"),
                report.get("after-close"));
    }

    @Test
    void noJvmWidePropertyWasSet() {
        assertEquals("null", report.get("java.awt.headless"));
        assertEquals("null", report.get("sun.net.httpserver.nodelay"));
    }

    private static void layer(ArrayNode layers, double[][] w, double[] b, String activation) {
        ObjectNode layer = layers.addObject();
        ObjectMapper json = new ObjectMapper();
        layer.set("weights", json.valueToTree(w));
        layer.set("bias", json.valueToTree(b));
        layer.put("activation", activation);
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
