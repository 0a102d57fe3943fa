package dev.kronograd.examples.plugintest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronograd.activations.ActivationContract;
import dev.kronograd.activations.ActivationRegistry;
import dev.kronograd.activations.PluginProblem;
import dev.kronograd.activations.PluginProblemsException;
import dev.kronograd.activations.ProviderJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin folder with the real mish jar next to broken plugins built on the fly: each broken one
 * becomes a problem naming its jar and class, and mish and the built-ins keep working.
 */
class BrokenPluginsTest {

    @TempDir
    Path plugins;

    @Test
    void brokenPluginsAreReportedAndTheRestWorks() throws Exception {
        Path mishJar = ExamplePluginJars.copyInto(plugins);
        Path throwing = ProviderJars.jar(plugins, "throwing.jar", Map.of("broken.Boom", ProviderJars.activation("broken", "Boom",
                "boom", "z", "1", "0", "throw new IllegalStateException(\"cannot start\");")), List.of("broken.Boom"));
        Path secondMish = ProviderJars.jar(plugins, "z-second-mish.jar",
                Map.of("other.Mish", ProviderJars.half("other", "Mish", "mish")), List.of("other.Mish"));
        Path badName = ProviderJars.jar(plugins, "bad-name.jar",
                Map.of("broken.BadName", ProviderJars.half("broken", "BadName", "Bad_Name")), List.of("broken.BadName"));
        Path broken = ProviderJars.notAJar(plugins, "broken.jar");
        Path sameJarTwice = Files.copy(mishJar, plugins.resolve("zz-mish-copy.jar"));

        try (ActivationRegistry registry = ActivationRegistry.builder().pluginFolder(plugins).build()) {
            List<PluginProblem> problems = registry.problems();
            assertEquals(5, problems.size(), problems::toString);

            PluginProblem p = problemWith(problems, throwing);
            assertEquals("broken.Boom", p.className());
            assertTrue(p.message().contains("constructor threw java.lang.IllegalStateException: cannot start"), p::message);

            p = problemWith(problems, secondMish);
            assertEquals("other.Mish", p.className());
            assertEquals("duplicate activation name 'mish': other.Mish from " + secondMish + " clashes with "
                    + ExamplePluginJars.MISH_CLASS + " from " + mishJar + ", which was found first and is kept", p.message());

            p = problemWith(problems, sameJarTwice);
            assertEquals(ExamplePluginJars.MISH_CLASS, p.className());
            assertTrue(p.message().startsWith("duplicate activation name 'mish'"), p::message);
            assertTrue(p.message().contains(mishJar.toString()) && p.message().contains(sameJarTwice.toString()), p::message);

            p = problemWith(problems, badName);
            assertEquals("broken.BadName", p.className());
            assertTrue(p.message().contains("invalid activation name 'Bad_Name'"), p::message);

            p = problemWith(problems, broken);
            assertNull(p.className());
            assertTrue(p.message().startsWith("not a valid jar file"), p::message);

            // the rest is usable: mish from its own jar, the built-ins
            assertEquals(mishJar.toString(), registry.registration("mish").orElseThrow().location());
            ActivationContract.verify(registry.get("mish")).assertPassed();
            assertEquals(0.5, registry.get("sigmoid").value(0));
            assertEquals(13, registry.names().size(), registry::toString);

            PluginProblemsException e = assertThrows(PluginProblemsException.class, registry::requireNoProblems);
            assertTrue(e.getMessage().startsWith("5 problems while loading activations:"), e::getMessage);
        }
    }

    private static PluginProblem problemWith(List<PluginProblem> problems, Path jar) {
        List<PluginProblem> matching = problems.stream().filter(p -> p.jar().equals(jar.toString())).collect(Collectors.toList());
        assertEquals(1, matching.size(), () -> "problems with " + jar + " in " + problems);
        return matching.get(0);
    }
}
