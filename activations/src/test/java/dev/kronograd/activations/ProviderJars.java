package dev.kronograd.activations;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Test fixture (also shipped in the module's test-jar for {@code examples/plugin-test}): builds
 * real plugin jars on the fly — Java sources compiled with the system compiler against the
 * activations classes, packed with {@link JarOutputStream} together with a
 * {@code META-INF/services/dev.kronograd.activations.Activation} file.
 */
public final class ProviderJars {
    private static final String SERVICE_FILE = "META-INF/services/" + Activation.class.getName();

    private ProviderJars() {
    }

    /**
     * Source of a public activation class {@code pkg.className} named {@code name} with the given
     * Java expressions (of {@code z}) for σ, σ', σ'' and the given constructor body.
     */
    public static String activation(String pkg, String className, String name, String value, String derivative,
                                    String secondDerivative, String constructorBody) {
        return "package " + pkg + ";\n"
                + "public final class " + className + " implements dev.kronograd.activations.Activation {\n"
                + "  public " + className + "() { " + constructorBody + " }\n"
                + "  @Override public String name() { return \"" + name + "\"; }\n"
                + "  @Override public double value(double z) { return " + value + "; }\n"
                + "  @Override public double derivative(double z) { return " + derivative + "; }\n"
                + "  @Override public double secondDerivative(double z) { return " + secondDerivative + "; }\n"
                + "}\n";
    }

    /** A correct activation σ = z/2 (σ' = ½, σ'' = 0) called {@code name}. */
    public static String half(String pkg, String className, String name) {
        return activation(pkg, className, name, "0.5 * z", "z == z ? 0.5 : z", "z == z ? 0.0 : z", "");
    }

    /**
     * Compiles {@code sources} (fully qualified class name → source) and writes
     * {@code dir/jarName} containing the classes and a service file listing {@code providers}
     * (which may name classes that are not in the jar); {@code providers} null writes no service
     * file.
     */
    public static Path jar(Path dir, String jarName, Map<String, String> sources, List<String> providers) throws IOException {
        Path work = Files.createTempDirectory(dir, "build-");
        Path src = work.resolve("src");
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-d", classes.toString(),
                "-classpath", activationsLocation().toString()));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        if (!sources.isEmpty()) {
            compile(args);
        }
        Path jar = dir.resolve(jarName);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
            if (providers != null) {
                out.putNextEntry(new JarEntry(SERVICE_FILE));
                out.write((String.join("\n", providers) + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** Writes a file called {@code name} that is not a jar (plain text). */
    public static Path notAJar(Path dir, String name) throws IOException {
        return Files.writeString(dir.resolve(name), "this is not a zip file\n");
    }

    /** The jar or class folder holding the activations classes (the compile class path). */
    public static Path activationsLocation() {
        try {
            return Path.of(Activation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void compile(List<String> args) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no system Java compiler: the tests need a JDK, not a JRE");
        }
        OutputStream diagnostics = new ByteArrayOutputStream();
        int status = compiler.run(null, diagnostics, diagnostics, args.toArray(new String[0]));
        if (status != 0) {
            throw new IllegalStateException("javac failed (" + status + "):\n" + diagnostics);
        }
    }
}
