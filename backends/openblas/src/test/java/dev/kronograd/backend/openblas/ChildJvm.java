package dev.kronograd.backend.openblas;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a test main class in a fresh JVM with this JVM's class path (as backends/netlib's tests do):
 * JavaCPP and netlib load their native libraries once per JVM, so different {@code -D} settings
 * need their own JVM. The child reports {@code key=value} lines on stdout.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    /** Runs {@code main} with {@code jvmArgs}, requires exit code 0, and returns its key=value lines. */
    static Map<String, String> run(Class<?> main, String... jvmArgs) throws IOException, InterruptedException {
        return run(main, Map.of(), jvmArgs);
    }

    /** As {@link #run(Class, String...)}, with extra environment variables for the child. */
    static Map<String, String> run(Class<?> main, Map<String, String> env, String... jvmArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmArgs));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        Path stderr = Files.createTempFile("kronograd-child-jvm", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish within 60 s");
            String errors = Files.readString(stderr);
            assertEquals(0, process.exitValue(), () -> "child JVM failed.\nstdout:\n" + stdout + "\nstderr:\n" + errors);
            Map<String, String> values = new LinkedHashMap<>();
            for (String line : stdout.split("\\R")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return values;
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
