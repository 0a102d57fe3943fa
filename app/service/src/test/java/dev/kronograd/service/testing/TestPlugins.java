package dev.kronograd.service.testing;

import dev.kronograd.activations.Activation;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Activation plugin jars built at run time — Java sources compiled with javac (the JDK's tool) and
 * packed with {@link JarOutputStream} with their {@code META-INF/services} file — in one plugin
 * folder shared by the service tests (compiled once per JVM):
 * <ul>
 *   <li>{@code half.jar}: a correct activation {@value #HALF}, σ(z) = z/2;</li>
 *   <li>{@code sleepy.jar}: {@value #SLEEPY}, the identity that sleeps {@value #SLEEP_MS} ms per
 *       value (one value per request on a 1×1 network, batch 1): a slow computation on demand;</li>
 *   <li>{@code explodes.jar}: {@value #EXPLODES}, whose σ throws — an internal fault;</li>
 *   <li>{@code broken-constructor.jar}: a provider whose constructor throws — a plugin problem;</li>
 *   <li>{@code duplicate-tanh.jar}: a second activation named {@code tanh} — a plugin problem.</li>
 * </ul>
 */
public final class TestPlugins {
    public static final String HALF = "half";
    public static final String SLEEPY = "sleepy";
    public static final String EXPLODES = "explodes";
    public static final long SLEEP_MS = 1000;
    public static final String BROKEN_CLASS = "test.broken.BrokenConstructor";
    public static final String DUPLICATE_CLASS = "test.duplicate.SecondTanh";

    private static Path folder;

    private TestPlugins() {
    }

    /** The plugin folder, built on first use and deleted when the JVM exits. */
    public static synchronized Path folder() {
        if (folder == null) {
            try {
                Path dir = Files.createTempDirectory("kronograd-service-plugins");
                jar(dir, "half.jar", "test.half.Half", activation("test.half", "Half", HALF, "0.5 * z", "0.5", "0.0", ""));
                jar(dir, "sleepy.jar", "test.sleepy.Sleepy", activation("test.sleepy", "Sleepy", SLEEPY,
                        "sleepThen(z)", "1.0", "0.0", "")
                        .replace("  @Override public String name()",
                                "  private static double sleepThen(double z) {\n"
                                        + "    try { Thread.sleep(" + SLEEP_MS + "L); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }\n"
                                        + "    return z;\n  }\n  @Override public String name()"));
                jar(dir, "explodes.jar", "test.explodes.Explodes", activation("test.explodes", "Explodes", EXPLODES,
                        "explode(z)", "1.0", "0.0", "")
                        .replace("  @Override public String name()",
                                "  private static double explode(double z) {\n"
                                        + "    throw new IllegalStateException(\"the explodes activation always fails\");\n"
                                        + "  }\n  @Override public String name()"));
                jar(dir, "broken-constructor.jar", BROKEN_CLASS, activation("test.broken", "BrokenConstructor", "broken", "z", "1.0", "0.0",
                        "if (true) throw new IllegalStateException(\"this plugin cannot start\");"));
                jar(dir, "duplicate-tanh.jar", DUPLICATE_CLASS, activation("test.duplicate", "SecondTanh", "tanh", "Math.tanh(z)",
                        "1 - Math.tanh(z) * Math.tanh(z)", "-2 * Math.tanh(z) * (1 - Math.tanh(z) * Math.tanh(z))", ""));
                folder = dir;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return folder;
    }

    private static String activation(String pkg, String className, String name, String value, String derivative,
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

    /** Compiles one class and writes {@code dir/jarName} with it and a service file naming it. */
    private static void jar(Path dir, String jarName, String className, String source) throws IOException {
        Path work = Files.createTempDirectory("kronograd-plugin-build");
        try {
            Path file = work.resolve("src").resolve(className.replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source);
            Path classes = Files.createDirectories(work.resolve("classes"));
            compile(List.of("--release", "17", "-proc:none", "-d", classes.toString(), "-classpath", activationsLocation().toString(),
                    file.toString()));
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(dir.resolve(jarName)), manifest);
                 Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
                out.putNextEntry(new JarEntry("META-INF/services/" + Activation.class.getName()));
                out.write((className + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        } finally {
            deleteTree(work);
        }
    }

    /** javac through {@link ToolProvider} (java.base), in this JVM. */
    private static void compile(List<String> args) {
        ToolProvider javac = ToolProvider.findFirst("javac")
                .orElseThrow(() -> new IllegalStateException("no javac tool: the tests need a JDK, not a JRE"));
        StringWriter diagnostics = new StringWriter();
        PrintWriter out = new PrintWriter(diagnostics);
        int status = javac.run(out, out, args.toArray(new String[0]));
        if (status != 0) {
            throw new IllegalStateException("javac failed (" + status + "):\n" + diagnostics);
        }
    }

    private static Path activationsLocation() {
        try {
            return Path.of(Activation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
