package dev.kronograd.spark;

import dev.kronograd.backend.BackendRequest;
import dev.kronograd.sdk.Kronograd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@link Kronograd} per executor JVM (per settings and task class loader with its jars), built on first use
 * and shared by every task after it: the backend is selected and plugins are scanned once per JVM,
 * not once per partition or record. {@code Kronograd} is immutable and thread-safe, so concurrent
 * tasks share it.
 */
final class ExecutorSdk {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorSdk.class);

    /** The loader's URLs are part of the key: jars added at run time (SparkContext.addJar) give a new SDK that sees them. */
    private record Key(ExecutorSettings settings, ClassLoader loader, List<String> urls) { // strings: URL.equals may resolve host names
    }

    /**
     * The 16 most recently used are kept: Spark gives each SparkSession's SQL jobs their own task
     * loader, so a long-running executor serving many sessions must not keep every loader alive.
     * An evicted SDK is closed, which releases its plugin class loaders and jar files: it belongs to
     * the least recently used task loader, 16 loaders ago (in practice a finished session's). A task
     * still running with it keeps its network, whose classes are loaded.
     */
    static final int CAPACITY = 16;

    private static final Map<Key, Kronograd> SDKS = new LinkedHashMap<>(CAPACITY, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Kronograd> eldest) {
            if (size() <= CAPACITY) {
                return false;
            }
            LOG.debug("closing the least recently used executor SDK ({} cached): {}", CAPACITY, eldest.getValue());
            eldest.getValue().close();
            return true;
        }
    };

    private static final AtomicInteger BUILT = new AtomicInteger();

    private ExecutorSdk() {
    }

    /**
     * The SDK for {@code settings} in this JVM. Providers are discovered through the calling
     * thread's context class loader: on an executor that is the task loader, which also sees the
     * jars given with {@code --jars}.
     */
    static Kronograd get(ExecutorSettings settings) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = ExecutorSdk.class.getClassLoader();
        }
        List<String> urls = loader instanceof URLClassLoader u ? Arrays.stream(u.getURLs()).map(URL::toString).toList() : List.of();
        Key key = new Key(settings, loader, urls);
        // Built under the lock: concurrent first tasks wait for the one SDK instead of building their own.
        synchronized (SDKS) {
            return SDKS.computeIfAbsent(key, ExecutorSdk::build);
        }
    }

    private static Kronograd build(Key key) {
        // Spark already runs one task per core: each task's elementwise work stays on its own thread.
        Kronograd.Builder b = Kronograd.builder().backend(key.settings().backend()).classLoader(key.loader()).elementwiseThreads(1);
        if (key.settings().backend() == null) {
            // Documented executor configuration: without a backend from the driver, each executor's own
            // -Dkronograd.backend / KRONOGRAD_BACKEND (spark.executorEnv.…) decides. Only that is read.
            b.environment(only(System.getenv(), BackendRequest.ENV), only(System.getProperties(), BackendRequest.PROPERTY));
        }
        for (String folder : key.settings().pluginFolders()) {
            b.pluginPath(Path.of(folder));
        }
        Kronograd sdk = b.build();
        BUILT.incrementAndGet();
        LOG.info("Kronograd on this executor: backend {} ({}), activations {}", sdk.backendName(), sdk.backendDetail(),
                sdk.activations().names());
        String threads = System.getenv("OPENBLAS_NUM_THREADS");
        if ("netlib-native".equals(sdk.backendName()) && !"1".equals(threads) && Runtime.getRuntime().availableProcessors() > 1) {
            // Spark runs a task per core; each multi-threaded OpenBLAS call then competes with the other tasks for the
            // same cores (local[2] on 2 cores measured 1.9× slower than local[1]: docs/BENCHMARKS.md, "Spark").
            LOG.warn("OpenBLAS runs with {} threads per call while Spark runs tasks in parallel on this executor; set "
                    + "spark.executorEnv.OPENBLAS_NUM_THREADS=1", threads == null ? "its default number of" : threads);
        }
        for (String problem : sdk.pluginProblems()) {
            LOG.warn("activation plugin problem on this executor: {}", problem);
        }
        return sdk;
    }

    private static Map<String, String> only(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null ? Map.of() : Map.of(name, value);
    }

    private static Properties only(Properties properties, String name) {
        Properties out = new Properties();
        String value = properties.getProperty(name);
        if (value != null) {
            out.setProperty(name, value);
        }
        return out;
    }

    /** How many SDKs this JVM has built so far (for tests). */
    static int built() {
        return BUILT.get();
    }

    /** How many SDKs this JVM holds (for tests). */
    static int cached() {
        synchronized (SDKS) {
            return SDKS.size();
        }
    }
}
