package dev.kronograd.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.sdk.nn.Gradient;
import dev.kronograd.sdk.nn.Network;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tests run on the class path; this one compiles a host module that {@code requires
 * dev.kronograd.sdk} and runs it in a child JVM on the module path alone: the SDK as an exploded module
 * (target/classes) and its runtime dependencies as Maven resolves them for an embedder (surefire passes
 * them in {@value #RUNTIME_DEPENDENCIES}). That proves the descriptors' {@code requires}, {@code uses} and
 * {@code provides} (activations, losses, the EJML backend) and Guice's reflective access work there; the
 * host's gradient must equal the one computed here on the class path and the hand-derived one.
 */
class ModulePathTest {
    private static final String RUNTIME_DEPENDENCIES = "kronograd.test.sdkRuntimeDependencies";
    private static final String HOST_MODULE = "kronograd.smoke.host";
    private static final String HOST_MAIN = "kronograd.smoke.host.Main";
    /** Same code on the same backend in two JVMs: equal up to a few roundings. */
    private static final double SAME_COMPUTATION = 1e-15;
    /** The hand formula evaluates tanh and the products in another order. */
    private static final double HAND_FORMULA = 1e-14;

    private static final double[][] W = {{0.5, -1.0}, {2.0, 0.25}};
    private static final double[] B = {0.1, -0.2};
    private static final double[][] X = {{1.0, -0.5}, {2.0, 0.75}};   // n×B: two samples, one per column
    private static final double[][] Y = {{0.0, 1.0}, {1.0, -1.0}};

    private static final String MODULE_INFO = "module " + HOST_MODULE + " {\n    requires dev.kronograd.sdk;\n}\n";

    /** The host: the README's gradient, printed as key=value lines (Double.toString round-trips exactly). */
    private static final String MAIN = """
            package kronograd.smoke.host;

            import dev.kronograd.core.DenseMatrix;
            import dev.kronograd.core.DenseVector;
            import dev.kronograd.sdk.Kronograd;
            import dev.kronograd.sdk.nn.Gradient;
            import dev.kronograd.sdk.nn.Network;

            public final class Main {
                public static void main(String[] args) {
                    Kronograd k = Kronograd.create();
                    Network net = k.network()
                            .layer(DenseMatrix.ofRows(new double[][] {%s}), DenseVector.of(%s), "tanh")
                            .build();
                    Gradient g = net.gradient(DenseMatrix.ofRows(new double[][] {%s}), k.loss("squared-error"),
                            DenseMatrix.ofRows(new double[][] {%s}));
                    System.out.println("hostModule=" + Main.class.getModule().getName());
                    System.out.println("sdkModule=" + Kronograd.class.getModule().getName());
                    System.out.println("coreModule=" + DenseMatrix.class.getModule().getName());
                    System.out.println("backend=" + k.backendName());
                    System.out.println("loss=" + g.loss());
                    DenseVector flat = g.flat();
                    StringBuilder values = new StringBuilder();
                    for (int i = 0; i < flat.length(); i++) {
                        values.append(i == 0 ? "" : ",").append(flat.get(i));
                    }
                    System.out.println("gradient=" + values);
                }
            }
            """.formatted(rows(W), list(B), rows(X), rows(Y));

    @Test
    void aHostModuleComputesTheGradientOnTheModulePath(@TempDir Path dir) throws Exception {
        String dependencies = System.getProperty(RUNTIME_DEPENDENCIES);
        assertNotNull(dependencies, RUNTIME_DEPENDENCIES + " is not set: run this test through Maven (app/sdk's pom)");
        String modulePath = location(Kronograd.class) + File.pathSeparator + dependencies;
        Path classes = compileHost(dir, modulePath);

        Map<String, String> host = run(dir, "--module-path", classes + File.pathSeparator + modulePath,
                "-m", HOST_MODULE + "/" + HOST_MAIN);

        assertEquals(HOST_MODULE, host.get("hostModule"), host::toString);
        assertEquals("dev.kronograd.sdk", host.get("sdkModule"), host::toString);
        assertEquals("dev.kronograd.core", host.get("coreModule"), host::toString);
        assertEquals("ejml", host.get("backend"), () -> "the SDK's runtime backend, found through `provides`: " + host);

        Kronograd k = Kronograd.builder().backend("ejml").build();
        Network net = k.network().layer(DenseMatrix.ofRows(W), DenseVector.of(B), "tanh").build();
        Gradient expected = net.gradient(DenseMatrix.ofRows(X), k.loss("squared-error"), DenseMatrix.ofRows(Y));
        double[] gradient = Arrays.stream(host.get("gradient").split(",")).mapToDouble(Double::parseDouble).toArray();
        assertEquals(expected.flat().length(), gradient.length, host::toString);
        assertEquals(expected.loss(), Double.parseDouble(host.get("loss")), SAME_COMPUTATION * Math.abs(expected.loss()));
        for (int i = 0; i < gradient.length; i++) {
            double e = expected.flat().get(i);
            assertEquals(e, gradient[i], SAME_COMPUTATION * Math.max(1, Math.abs(e)), "gradient entry " + i);
        }

        // by hand: z = W x + b, f = tanh z, loss = ½ Σ (f − y)², δ = (1 − f²)(f − y), dW = Σ_s δ xᵀ, db = Σ_s δ
        double loss = 0;
        double[][] dW = new double[2][2];
        double[] db = new double[2];
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < 2; i++) {
                double f = Math.tanh(W[i][0] * X[0][s] + W[i][1] * X[1][s] + B[i]);
                double delta = (1 - f * f) * (f - Y[i][s]);
                loss += 0.5 * (f - Y[i][s]) * (f - Y[i][s]);
                dW[i][0] += delta * X[0][s];
                dW[i][1] += delta * X[1][s];
                db[i] += delta;
            }
        }
        assertEquals(loss, Double.parseDouble(host.get("loss")), HAND_FORMULA);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(dW[i][j], expected.weights(0).get(i, j), HAND_FORMULA, "dW" + i + j);
            }
            assertEquals(db[i], expected.bias(0).get(i), HAND_FORMULA, "db" + i);
        }
    }

    /** javac through {@link ToolProvider} (java.base) on the module path; returns the host's class folder. */
    private static Path compileHost(Path dir, String modulePath) throws IOException {
        Path src = dir.resolve("src");
        Path main = src.resolve(HOST_MAIN.replace('.', '/') + ".java");
        Files.createDirectories(main.getParent());
        Files.writeString(src.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(main, MAIN);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        ToolProvider javac = ToolProvider.findFirst("javac")
                .orElseThrow(() -> new IllegalStateException("no javac tool: the tests need a JDK, not a JRE"));
        StringWriter diagnostics = new StringWriter();
        PrintWriter out = new PrintWriter(diagnostics);
        int status = javac.run(out, out, "--release", "17", "-proc:none", "--module-path", modulePath,
                "-d", classes.toString(), src.resolve("module-info.java").toString(), main.toString());
        assertEquals(0, status, () -> "javac failed:\n" + diagnostics);
        return classes;
    }

    /** Runs {@code java args} without KRONOGRAD_* variables, requires exit code 0, returns its key=value lines. */
    private static Map<String, String> run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(args));
        Path stderr = dir.resolve("host.err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("KRONOGRAD_"));
        Process process = builder.start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "host JVM did not finish within 60 s");
        String errors = Files.readString(stderr);
        assertEquals(0, process.exitValue(), () -> "host JVM failed: " + command + "\nstdout:\n" + stdout
                + "\nstderr:\n" + errors);
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : stdout.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static String rows(double[][] a) {
        StringBuilder s = new StringBuilder();
        for (double[] row : a) {
            s.append(s.length() == 0 ? "" : ", ").append('{').append(list(row)).append('}');
        }
        return s.toString();
    }

    private static String list(double[] a) {
        StringBuilder s = new StringBuilder();
        for (double v : a) {
            s.append(s.length() == 0 ? "" : ", ").append(v);
        }
        return s.toString();
    }
}
