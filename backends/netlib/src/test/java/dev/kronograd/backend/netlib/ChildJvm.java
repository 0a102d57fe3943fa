package dev.kronograd.backend.netlib;

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
 * Runs a test main class in a fresh JVM with this JVM's class path. netlib loads its native
 * library in a static initialiser, once per JVM, so a different {@code -Ddev.ludovic.netlib…}
 * setting needs its own JVM. The child reports {@code key=value} lines on stdout.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    /** Runs {@code main} with {@code jvmArgs}, requires exit code 0, and returns its key=value lines. */
    static Map<String, String> run(Class<?> main, String... jvmArgs) throws IOException, InterruptedException {
        return run(main, Map.of(), jvmArgs);
    }

    /** The key under which {@link #runWithStderr} returns the child's stderr. */
    static final String STDERR = "<stderr>";

    /** As {@link #run(Class, String...)}, with the child's stderr under the key {@link #STDERR}. */
    static Map<String, String> runWithStderr(Class<?> main, String... jvmArgs) throws IOException, InterruptedException {
        return run(main, Map.of(), true, jvmArgs);
    }

    /** As {@link #run(Class, String...)}, with extra environment variables for the child. */
    static Map<String, String> run(Class<?> main, Map<String, String> env, String... jvmArgs) throws IOException, InterruptedException {
        return run(main, env, false, jvmArgs);
    }

    private static Map<String, String> run(Class<?> main, Map<String, String> env, boolean withStderr, String... jvmArgs)
            throws IOException, InterruptedException {
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
            if (withStderr) {
                values.put(STDERR, errors);
            }
            return values;
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
