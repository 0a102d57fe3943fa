package dev.kronograd.examples.plugintest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The example plugin jar that Maven copied to target/plugin-jars (system property set by surefire). */
final class ExamplePluginJars {
    static final String PROPERTY = "kronograd.example.plugin.jars";
    static final String MISH_CLASS = "dev.kronograd.examples.activation.Mish";

    private ExamplePluginJars() {
    }

    /** Copies the example plugin jar into {@code folder} and returns the copy. */
    static Path copyInto(Path folder) throws IOException {
        String dir = System.getProperty(PROPERTY);
        if (dir == null) {
            throw new IllegalStateException("system property " + PROPERTY + " is not set; run the tests through Maven");
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).collect(Collectors.toList());
        }
        assertEquals(1, jars.size(), () -> "expected the example plugin jar alone in " + dir + ", found " + jars);
        return Files.copy(jars.get(0), folder.resolve(jars.get(0).getFileName()));
    }
}
