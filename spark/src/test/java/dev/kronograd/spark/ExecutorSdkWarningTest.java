package dev.kronograd.spark;

import dev.kronograd.sdk.Kronograd;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The executors' WARN when OpenBLAS runs multi-threaded beside Spark's parallel tasks (README, "Spark"; docs/BENCHMARKS.md,
 * "Spark"): logged once per SDK built for netlib-native on a multi-core executor unless {@code OPENBLAS_NUM_THREADS=1},
 * never for a pure-Java backend. Spark's tests log through log4j2 (log4j-slf4j2-impl, on the class path with Spark);
 * {@code log4j2-test.properties} also writes ExecutorSdk's lines to a file, and this test reads what a build appended to it.
 * It changes no environment variable, property or logging configuration: which of the two outcomes it asserts follows
 * from this JVM's own {@code OPENBLAS_NUM_THREADS}.
 */
class ExecutorSdkWarningTest {
    private static final String ADVICE = "set spark.executorEnv.OPENBLAS_NUM_THREADS=1";

    @Test
    void netlibNativeOnSeveralCoresWarnsOnceUnlessOpenBlasIsSingleThreaded() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "a single-core executor has no parallel tasks to compete with");
        if (System.getenv("KRONOGRAD_REQUIRE_NATIVE") != null && !System.getenv("KRONOGRAD_REQUIRE_NATIVE").isBlank()) {
            assertTrue(nativeAvailable(), "KRONOGRAD_REQUIRE_NATIVE is set (CI installs OpenBLAS) but netlib-native is unavailable");
        }
        assumeTrue(nativeAvailable(), "netlib-native (a system BLAS) is not available here; KRONOGRAD_REQUIRE_NATIVE=1 makes this a failure");
        String threads = System.getenv("OPENBLAS_NUM_THREADS");
        List<String> lines = linesLoggedWhileBuilding("netlib-native");
        List<String> warnings = lines.stream().filter(l -> l.startsWith("WARN ") && l.contains("OpenBLAS")).toList();
        if ("1".equals(threads)) {
            assertEquals(List.of(), warnings, "OPENBLAS_NUM_THREADS=1: nothing to warn about");
        } else {
            String count = threads == null ? "its default number of" : threads;
            assertEquals(List.of("WARN OpenBLAS runs with " + count + " threads per call while Spark runs tasks in parallel on this "
                    + "executor; " + ADVICE), warnings, lines::toString);
        }
    }

    @Test
    void aPureJavaBackendNeverWarnsAboutOpenBlas() throws Exception {
        List<String> lines = linesLoggedWhileBuilding("ejml");
        assertEquals(1, lines.stream().filter(l -> l.startsWith("INFO Kronograd on this executor: backend ejml")).count(), lines::toString);
        assertEquals(List.of(), lines.stream().filter(l -> l.contains("OpenBLAS")).toList());
    }

    private static boolean nativeAvailable() {
        try (Kronograd probe = Kronograd.builder().backend("ejml").environment(Map.of(), new Properties()).build()) {
            return probe.backendListing().stream()
                    .anyMatch(b -> b.name().equals("netlib-native") && b.availability().available());
        }
    }

    /** What ExecutorSdk logged while building a new SDK for {@code backend} (a fresh task loader: never a cached one). */
    private static List<String> linesLoggedWhileBuilding(String backend) throws IOException {
        Path log = executorSdkLog();
        long before = Files.size(log);
        int built = ExecutorSdk.built();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[0], ExecutorSdkWarningTest.class.getClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            ExecutorSdk.get(new ExecutorSettings(backend, List.of()));
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        assertEquals(built + 1, ExecutorSdk.built(), "a new SDK was built");
        byte[] all = Files.readAllBytes(log);
        String appended = new String(Arrays.copyOfRange(all, (int) before, all.length), StandardCharsets.UTF_8);
        return appended.lines().toList();
    }

    /** The file of the {@code executorSdk} appender declared in log4j2-test.properties (read from the configuration, not changed). */
    private static Path executorSdkLog() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        FileAppender appender = context.getConfiguration().getAppender("executorSdk");
        assertNotNull(appender, "log4j2-test.properties declares the executorSdk appender");
        return Path.of(appender.getFileName());
    }
}
