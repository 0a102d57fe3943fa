package dev.kronograd.activations;

import dev.kronograd.core.KronogradException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationRegistryTest {
    private static final List<String> BUILT_INS = List.of("elu", "gelu", "gelu-tanh", "identity", "leaky-relu", "relu",
            "selu", "sigmoid", "silu", "softplus", "softsign", "tanh");

    @TempDir
    Path tmp;

    @Test
    void loadsTheBuiltInsWithoutProblems() {
        try (ActivationRegistry registry = ActivationRegistry.builder().build()) {
            assertEquals(BUILT_INS, registry.names());
            assertEquals(List.of(), registry.problems());
            assertSame(registry, registry.requireNoProblems());
            for (RegisteredActivation r : registry.activations()) {
                assertTrue(r.isBuiltIn(), r::toString);
                assertEquals(ActivationRegistry.BUILT_IN, r.location());
                assertEquals(r.activation().getClass().getName(), r.implementationClass());
                assertEquals(r.name(), r.activation().name());
                assertTrue(r.implementationClass().startsWith("dev.kronograd.activations.builtin."), r::toString);
            }
            assertEquals(0.5, registry.get("sigmoid").value(0.0));
            assertTrue(registry.find("tanh").isPresent());
            assertTrue(registry.find("nope").isEmpty());
            assertTrue(registry.toString().contains("12 activations"), registry::toString);
        }
    }

    @Test
    void listsAreImmutable() {
        ActivationRegistry registry = ActivationRegistry.builder().build();
        assertThrows(UnsupportedOperationException.class, () -> registry.names().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> registry.activations().clear());
        assertThrows(UnsupportedOperationException.class, () -> registry.problems().clear());
    }

    @Test
    void unknownNameListsTheAvailableNamesSorted() {
        ActivationRegistry registry = ActivationRegistry.builder().build();
        UnknownActivationException e = assertThrows(UnknownActivationException.class, () -> registry.get("swish"));
        assertInstanceOf(KronogradException.class, e, "one catch handles every Kronograd error");
        assertEquals("unknown activation 'swish'; available: " + String.join(", ", BUILT_INS), e.getMessage());
        assertEquals("swish", e.name());
        assertEquals(BUILT_INS, e.available());
        assertThrows(NullPointerException.class, () -> registry.get(null));
    }

    @Test
    void nameRule() {
        assertTrue(ActivationRegistry.isValidName("gelu-tanh"));
        assertTrue(ActivationRegistry.isValidName("x2"));
        assertFalse(ActivationRegistry.isValidName("Bad_Name"));
        assertFalse(ActivationRegistry.isValidName(""));
        assertFalse(ActivationRegistry.isValidName("tänh"));
        assertFalse(ActivationRegistry.isValidName(null));
    }

    @Test
    void pluginFoldersComeFromThePropertyThenTheEnvironmentVariable() {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Path c = tmp.resolve("c");
        Properties properties = new Properties();
        properties.setProperty(ActivationRegistry.PLUGIN_PATH_PROPERTY, c.toString());
        Map<String, String> env = Map.of(ActivationRegistry.PLUGIN_PATH_ENVIRONMENT_VARIABLE,
                a + File.pathSeparator + File.pathSeparator + b + File.pathSeparator + " ");
        ActivationRegistry registry = ActivationRegistry.builder().pluginFoldersFromEnvironment(env, properties).build();
        // none of the folders exists: each one becomes a problem, in lookup order, empty entries ignored
        assertEquals(List.of(c.toString(), a.toString(), b.toString()),
                registry.problems().stream().map(PluginProblem::jar).collect(Collectors.toList()));
        for (PluginProblem p : registry.problems()) {
            assertEquals("the plugin folder does not exist", p.message());
        }
        assertEquals(BUILT_INS, registry.names());
    }

    @Test
    void noEnvironmentMeansNoFolders() {
        ActivationRegistry registry = ActivationRegistry.builder().pluginFoldersFromEnvironment(Map.of(), new Properties()).build();
        assertEquals(List.of(), registry.problems());
    }

    @Test
    void aFolderAddedTwiceIsLoadedOnce() throws Exception {
        Path plugins = Files.createDirectory(tmp.resolve("plugins"));
        ProviderJars.jar(plugins, "square.jar", Map.of("p.Square", ProviderJars.half("p", "Square", "half")),
                List.of("p.Square"));
        try (ActivationRegistry registry = ActivationRegistry.builder().pluginFolder(plugins)
                .pluginFolders(plugins + File.pathSeparator + plugins.resolve(".")).build()) {
            assertEquals(List.of(), registry.problems());
            assertTrue(registry.names().contains("half"));
        }
    }

    @Test
    void loadsAPluginJarFromAFolder() throws Exception {
        Path plugins = Files.createDirectory(tmp.resolve("plugins"));
        Path jar = ProviderJars.jar(plugins, "square.jar",
                Map.of("p.Square", ProviderJars.half("p", "Square", "half")), List.of("p.Square"));
        try (ActivationRegistry registry = ActivationRegistry.builder().pluginFolder(plugins).strict(true).build()) {
            RegisteredActivation r = registry.registration("half").orElseThrow();
            assertEquals("p.Square", r.implementationClass());
            assertEquals(jar.toAbsolutePath().toString(), r.location());
            assertFalse(r.isBuiltIn());
            assertEquals(1.5, r.activation().value(3));
            assertEquals("kronograd-plugin:square.jar", r.activation().getClass().getClassLoader().getName());
            ActivationContract.verify(r.activation()).assertPassed();
        }
    }

    @Test
    void callerChosenClassLoaderIsScannedWithItsCodeSourceAsLocation() throws Exception {
        Path jar = ProviderJars.jar(tmp, "cp.jar", Map.of("q.Square", ProviderJars.half("q", "Square", "cp-half")),
                List.of("q.Square"));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, Activation.class.getClassLoader())) {
            ActivationRegistry registry = ActivationRegistry.builder().classLoader(loader).build();
            RegisteredActivation r = registry.registration("cp-half").orElseThrow();
            assertEquals(jar.toString(), r.location());
            assertEquals(List.of(), registry.problems());
            assertEquals(13, registry.names().size());
        }
    }

    @Test
    void brokenPluginsBecomeProblemsAndTheRestStaysUsable() throws Exception {
        Path plugins = Files.createDirectory(tmp.resolve("plugins"));
        Path good = ProviderJars.jar(plugins, "a-good.jar",
                Map.of("g.Square", ProviderJars.half("g", "Square", "half")), List.of("g.Square"));
        Path throwing = ProviderJars.jar(plugins, "b-throwing.jar", Map.of("t.Boom", ProviderJars.activation("t", "Boom",
                "boom", "z", "1", "0", "throw new IllegalStateException(\"boom in constructor\");")), List.of("t.Boom"));
        Path duplicate = ProviderJars.jar(plugins, "c-duplicate.jar",
                Map.of("d.Tanh", ProviderJars.half("d", "Tanh", "tanh")), List.of("d.Tanh"));
        Path badName = ProviderJars.jar(plugins, "d-bad-name.jar",
                Map.of("n.Bad", ProviderJars.half("n", "Bad", "Bad_Name")), List.of("n.Bad"));
        Path broken = ProviderJars.notAJar(plugins, "broken.jar");
        Path noServices = ProviderJars.jar(plugins, "e-no-services.jar",
                Map.of("s.Square", ProviderJars.half("s", "Square", "unlisted")), null);
        Path missing = ProviderJars.jar(plugins, "f-missing-class.jar", Map.of(), List.of("m.Missing"));
        Path notActivation = ProviderJars.jar(plugins, "g-not-an-activation.jar",
                Map.of("x.Plain", "package x; public class Plain { }"), List.of("x.Plain"));
        Files.writeString(plugins.resolve("README.txt"), "not a jar, not looked at");

        try (ActivationRegistry registry = ActivationRegistry.builder().pluginFolder(plugins).build()) {
            List<PluginProblem> problems = registry.problems();
            assertEquals(7, problems.size(), problems::toString);

            PluginProblem p = problemWith(problems, throwing);
            assertEquals("t.Boom", p.className());
            assertTrue(p.message().contains("constructor threw java.lang.IllegalStateException: boom in constructor"), p::message);
            assertInstanceOf(IllegalStateException.class, p.cause());

            p = problemWith(problems, duplicate);
            assertEquals("d.Tanh", p.className());
            assertEquals("duplicate activation name 'tanh': d.Tanh from " + duplicate + " clashes with "
                    + "dev.kronograd.activations.builtin.Tanh from built-in, which was found first and is kept", p.message());

            p = problemWith(problems, badName);
            assertEquals("n.Bad", p.className());
            assertTrue(p.message().startsWith("invalid activation name 'Bad_Name': names must match [a-z0-9-]+"), p::message);

            p = problemWith(problems, broken);
            assertEquals(null, p.className());
            assertTrue(p.message().startsWith("not a valid jar file"), p::message);
            assertNotNull(p.cause());

            p = problemWith(problems, noServices);
            assertTrue(p.message().contains("has no META-INF/services/dev.kronograd.activations.Activation entry"), p::message);

            p = problemWith(problems, missing);
            assertEquals("m.Missing", p.className());
            assertTrue(p.message().contains("not found"), p::message);

            p = problemWith(problems, notActivation);
            assertEquals("x.Plain", p.className());
            assertTrue(p.message().contains("not a subtype"), p::message);

            // everything else still works
            assertEquals(good.toString(), registry.registration("half").orElseThrow().location());
            assertEquals(2.0, registry.get("half").value(4));
            assertTrue(registry.registration("tanh").orElseThrow().isBuiltIn());
            assertEquals(0.0, registry.get("tanh").value(0.0));
            assertEquals(13, registry.names().size());

            UnknownActivationException unknown = assertThrows(UnknownActivationException.class, () -> registry.get("boom"));
            assertTrue(unknown.getMessage().contains("7 plugin problems while loading activations:\n  " + throwing + " [t.Boom]"),
                    unknown::getMessage);

            PluginProblemsException all = assertThrows(PluginProblemsException.class, registry::requireNoProblems);
            assertEquals(problems, all.problems());
            for (PluginProblem problem : problems) {
                assertTrue(all.getMessage().contains(problem.toString()), problem::toString);
            }
            assertTrue(all.getMessage().startsWith("7 problems while loading activations:"), all::getMessage);
        }
    }

    /** The one problem about {@code jar}. */
    static PluginProblem problemWith(List<PluginProblem> problems, Path jar) {
        List<PluginProblem> matching = problems.stream().filter(p -> p.jar().equals(jar.toString())).collect(Collectors.toList());
        assertEquals(1, matching.size(), () -> "problems with " + jar + " in " + problems);
        return matching.get(0);
    }

    @Test
    void strictModeFailsTheBuild() throws Exception {
        Path plugins = Files.createDirectory(tmp.resolve("plugins"));
        ProviderJars.notAJar(plugins, "broken.jar");
        PluginProblemsException e = assertThrows(PluginProblemsException.class,
                () -> ActivationRegistry.builder().pluginFolder(plugins).strict(true).build());
        assertEquals(1, e.problems().size());
        assertTrue(e.getMessage().contains("broken.jar: not a valid jar file"), e::getMessage);
    }

    @Test
    void aPluginFolderThatIsAFileIsAProblem() throws Exception {
        Path file = ProviderJars.notAJar(tmp, "plugins.txt");
        ActivationRegistry registry = ActivationRegistry.builder().pluginFolder(file).build();
        assertEquals(List.of(new PluginProblem(file.toString(), null, "the plugin folder is not a directory", null)),
                registry.problems());
    }

    @Test
    void builtInsKeepWorkingAfterClose() throws Exception {
        Path plugins = Files.createDirectory(tmp.resolve("plugins"));
        ProviderJars.jar(plugins, "square.jar", Map.of("p.Square", ProviderJars.half("p", "Square", "half")),
                List.of("p.Square"));
        ActivationRegistry registry = ActivationRegistry.builder().pluginFolder(plugins).build();
        Activation square = registry.get("half");
        URLClassLoader loader = (URLClassLoader) square.getClass().getClassLoader();
        registry.close();
        registry.close();
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("p.NotThere"));
        assertEquals(0.5, registry.get("sigmoid").value(0));
        assertEquals(1.0, square.value(2.0));
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        ActivationRegistry registry = ActivationRegistry.builder().build();
        List<Thread> threads = new java.util.ArrayList<>();
        double[] sums = new double[4];
        for (int t = 0; t < sums.length; t++) {
            int id = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    sums[id] += registry.get(BUILT_INS.get(i % BUILT_INS.size())).derivative(0.25);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        for (double s : sums) {
            assertEquals(sums[0], s);
        }
    }
}
