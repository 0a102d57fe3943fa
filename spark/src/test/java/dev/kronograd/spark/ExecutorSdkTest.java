package dev.kronograd.spark;

import dev.kronograd.sdk.Kronograd;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-JVM SDK cache, without Spark: keyed by settings and task loader (with its jars), bounded. */
class ExecutorSdkTest {
    private static <T> T withContextLoader(ClassLoader loader, Callable<T> body) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return body.call();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    @Test
    void oneSdkPerSettingsAndLoader() throws Exception {
        ExecutorSettings ejml = new ExecutorSettings("ejml", List.of());
        try (URLClassLoader loader = new URLClassLoader(new URL[0], getClass().getClassLoader())) {
            Kronograd a = withContextLoader(loader, () -> ExecutorSdk.get(ejml));
            Kronograd b = withContextLoader(loader, () -> ExecutorSdk.get(new ExecutorSettings("ejml", List.of())));
            assertSame(a, b, "equal settings, same loader: the same SDK");
            assertEquals("ejml", a.backendName());
            Kronograd other = withContextLoader(loader, () -> ExecutorSdk.get(ExecutorSettings.defaults()));
            assertNotSame(a, other);
        }
    }

    @Test
    void aJarAddedToTheTaskLoaderGivesAnSdkThatSeesIt() throws Exception {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("kronograd.example.plugin.jars")))) {
            jar = files.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        // Spark's executor loader grows with addJar; model it with an URLClassLoader that gains a URL.
        class Growing extends URLClassLoader {
            Growing(ClassLoader parent) {
                super(new URL[0], parent);
            }

            void add(URL url) {
                addURL(url);
            }
        }
        try (Growing loader = new Growing(getClass().getClassLoader())) {
            ExecutorSettings settings = new ExecutorSettings("ejml", List.of());
            Kronograd before = withContextLoader(loader, () -> ExecutorSdk.get(settings));
            assertFalse(before.activations().names().contains("mish"));
            loader.add(jar.toUri().toURL());
            Kronograd after = withContextLoader(loader, () -> ExecutorSdk.get(settings));
            assertTrue(after.activations().names().contains("mish"), after.activations().names().toString());
        }
    }

    @Test
    void theCacheIsBounded() throws Exception {
        ExecutorSettings settings = new ExecutorSettings("ejml", List.of());
        for (int i = 0; i < ExecutorSdk.CAPACITY + 5; i++) {
            try (URLClassLoader loader = new URLClassLoader(new URL[0], getClass().getClassLoader())) {
                withContextLoader(loader, () -> ExecutorSdk.get(settings));
            }
        }
        assertEquals(ExecutorSdk.CAPACITY, ExecutorSdk.cached());
    }
}
