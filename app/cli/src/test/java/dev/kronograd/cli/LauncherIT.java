package dev.kronograd.cli;

import dev.kronograd.activations.Activation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The {@code ./kronograd} launcher as users run it (an integration test: it needs the packaged
 * {@code target/kronograd.jar}, so failsafe runs it after {@code package}).
 *
 * <p>{@code ./kronograd serve} in the background and {@code kill $!} must reach the JVM: the
 * launcher {@code exec}s java, so its PID is java's; a request in flight when the signal arrives is
 * answered, the process exits 0, and the JVM's stderr still passes through (without the incubator
 * module warning the launcher filters).
 *
 * <p>Synchronisation is on observable state only: a plugin activation ({@code gate}) writes a file
 * when a computation enters it and waits for a file the test writes; the test sends SIGTERM once the
 * request is inside, and releases it once the server has stopped accepting connections.
 */
class LauncherIT {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final String GATE_PROPERTY = "kronograd.test.gate";

    private Path work;
    private Process process;

    @AfterEach
    void cleanUp() throws IOException {
        if (process != null) {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sigtermToTheLaunchersPidAnswersTheRequestInFlightAndExits0() throws Exception {
        Path root = projectRoot();
        Path jar = root.resolve("app/cli/target/kronograd.jar");
        assertTrue(Files.isRegularFile(jar), "the packaged CLI is missing: " + jar);
        work = Files.createTempDirectory("kronograd-launcher-it");
        Path gate = Files.createDirectories(work.resolve("gate"));
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        gatePlugin(plugins.resolve("gate.jar"));

        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("kronograd").toString(),
                "serve", "--port", "0", "--backend", "ejml", "--plugin-path", plugins.toString(), "--log-requests");
        builder.environment().put("KRONOGRAD_JAVA_OPTS", "-D" + GATE_PROPERTY + "=" + gate);
        builder.environment().remove("KRONOGRAD_VECTOR_API"); // the default: with the vector module, so the filter runs
        process = builder.start();
        ProcessHandle launcher = process.toHandle();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = stdout.readLine();
        Matcher listening = LISTENING.matcher(first == null ? "" : first);
        assertTrue(listening.matches(), () -> "first line: " + first + "\nstderr: " + (process.isAlive() ? "" : stderr.join()));
        int port = Integer.parseInt(listening.group(1));

        // exec: the PID the caller holds is the JVM's, not a shell waiting for it.
        String command = launcher.info().command().orElse("");
        assertTrue(command.endsWith("/java") || command.endsWith("java"), "the launcher's PID runs " + command + ", not java");

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest gated = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/gradient"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"layers\": [{\"weights\": [[0.5]], \"bias\": [0.25], \"activation\": \"gate\"}],"
                        + " \"inputs\": [[2.0]], \"loss\": {\"type\": \"squared-error\", \"targets\": [[1.0]]}}"))
                .build();
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(gated, HttpResponse.BodyHandlers.ofString());
        awaitFile(gate.resolve("entered"), inFlight);

        Runtime.getRuntime().exec(new String[] {"kill", "-TERM", Long.toString(launcher.pid())}).waitFor();
        awaitRefused(port);
        Files.writeString(gate.resolve("release"), "");

        HttpResponse<String> reply = inFlight.get(60, TimeUnit.SECONDS);
        assertEquals(200, reply.statusCode(), () -> "the request in flight at SIGTERM: " + reply.body());
        assertTrue(reply.body().contains("\"gradients\""), reply::body);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kronograd serve did not exit after SIGTERM");
        String log = stderr.get(30, TimeUnit.SECONDS);
        assertEquals(0, process.exitValue(), () -> "exit status after SIGTERM; stderr:\n" + log);
        assertTrue(log.contains("POST /v1/gradient 200"), () -> "the JVM's log lines pass through the launcher:\n" + log);
        assertFalse(log.contains("WARNING: Using incubator modules"), () -> "the launcher filters the incubator warning:\n" + log);
        assertFalse(launcher.isAlive());
    }

    /** Polls until {@code file} exists: the computation has entered the gate. */
    private static void awaitFile(Path file, CompletableFuture<?> request) throws InterruptedException {
        while (!Files.exists(file)) {
            if (request.isDone()) {
                fail("the gated request finished before entering the gate: " + request.join());
            }
            Thread.sleep(10);
        }
    }

    /** Polls until the server refuses new connections: it has received the signal and stopped accepting. */
    private static void awaitRefused(int port) throws InterruptedException {
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            } catch (ConnectException refused) {
                return;
            } catch (IOException other) {
                return; // reset or timed out: not accepting either
            }
            Thread.sleep(10);
        }
    }

    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("kronograd")) && Files.isDirectory(d.resolve("app/cli"))) {
                return d;
            }
        }
        throw new IllegalStateException("no ./kronograd launcher above " + dir);
    }

    /**
     * Writes a plugin jar with the activation {@code gate}: the identity, whose σ writes the file
     * {@code entered} in the folder named by {@value #GATE_PROPERTY} and waits for the file {@code release}.
     */
    private static void gatePlugin(Path jar) throws IOException {
        String source = "package test.gate;\n"
                + "import java.nio.file.*;\n"
                + "public final class Gate implements dev.kronograd.activations.Activation {\n"
                + "  @Override public String name() { return \"gate\"; }\n"
                + "  @Override public double value(double z) {\n"
                + "    Path dir = Path.of(System.getProperty(\"" + GATE_PROPERTY + "\"));\n"
                + "    try {\n"
                + "      Files.writeString(dir.resolve(\"entered\"), \"\");\n"
                + "      while (!Files.exists(dir.resolve(\"release\"))) { Thread.sleep(5); }\n"
                + "    } catch (Exception e) { throw new IllegalStateException(e); }\n"
                + "    return z;\n"
                + "  }\n"
                + "  @Override public double derivative(double z) { return 1.0; }\n"
                + "  @Override public double secondDerivative(double z) { return 0.0; }\n"
                + "}\n";
        Path build = Files.createTempDirectory(jar.getParent().getParent(), "build");
        Path file = build.resolve("src/test/gate/Gate.java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        Path classes = Files.createDirectories(build.resolve("classes"));
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow(() -> new IllegalStateException("the test needs a JDK's javac"));
        StringWriter diagnostics = new StringWriter();
        int status = javac.run(new PrintWriter(diagnostics), new PrintWriter(diagnostics), "--release", "17", "-proc:none",
                "-d", classes.toString(), "-classpath", location(Activation.class).toString(), file.toString());
        assertEquals(0, status, diagnostics::toString);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (String name : List.of("test/gate/Gate.class")) {
                out.putNextEntry(new JarEntry(name));
                Files.copy(classes.resolve(name), out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/" + Activation.class.getName()));
            out.write("test.gate.Gate\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
