package dev.kronograd.examples.plugintest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronograd.activations.Activation;
import dev.kronograd.activations.ActivationContract;
import dev.kronograd.activations.ActivationRegistry;
import dev.kronograd.activations.RegisteredActivation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry finds mish in a plugin folder, and its derivatives are right. */
class PluginFolderTest {

    @TempDir
    Path plugins;
    private Path jar;

    @BeforeEach
    void copyThePluginJar() throws Exception {
        jar = ExamplePluginJars.copyInto(plugins);
    }

    @Test
    void mishIsNotOnTheTestClassPath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName(ExamplePluginJars.MISH_CLASS));
        assertThrows(ClassNotFoundException.class,
                () -> Class.forName(ExamplePluginJars.MISH_CLASS, false, PluginFolderTest.class.getClassLoader()));
        try (ActivationRegistry withoutFolder = ActivationRegistry.builder().build()) {
            assertTrue(withoutFolder.find("mish").isEmpty());
        }
    }

    @Test
    void registryFindsMishInThePluginFolder() {
        try (ActivationRegistry registry = ActivationRegistry.builder().pluginFolder(plugins).strict(true).build()) {
            RegisteredActivation mish = registry.registration("mish").orElseThrow();
            assertEquals(ExamplePluginJars.MISH_CLASS, mish.implementationClass());
            assertEquals(jar.toAbsolutePath().toString(), mish.location());
            assertTrue(!mish.isBuiltIn());
            ClassLoader loader = mish.activation().getClass().getClassLoader();
            assertNotSame(PluginFolderTest.class.getClassLoader(), loader);
            assertEquals(Activation.class.getClassLoader(), loader.getParent());
            assertEquals(13, registry.names().size(), registry::toString);
            assertEquals(List.of(), registry.problems());
            assertEquals(0.6, registry.get("mish").derivative(0), 1e-15); // tanh(log 2) = 3/5
        }
    }

    @Test
    void pluginFolderFromTheEnvironmentVariableOrTheSystemProperty() {
        Map<String, String> env = Map.of(ActivationRegistry.PLUGIN_PATH_ENVIRONMENT_VARIABLE, plugins.toString());
        try (ActivationRegistry registry = ActivationRegistry.builder().pluginFoldersFromEnvironment(env, new Properties()).build()) {
            assertEquals(ExamplePluginJars.MISH_CLASS, registry.registration("mish").orElseThrow().implementationClass());
        }
        Properties properties = new Properties();
        properties.setProperty(ActivationRegistry.PLUGIN_PATH_PROPERTY, plugins.toString());
        try (ActivationRegistry registry = ActivationRegistry.builder().pluginFoldersFromEnvironment(Map.of(), properties).build()) {
            assertTrue(registry.find("mish").isPresent());
        }
    }

    @Test
    void mishFromThePluginHonoursTheContract() {
        try (ActivationRegistry registry = ActivationRegistry.builder().pluginFolder(plugins).build()) {
            ActivationContract.verify(registry.get("mish")).assertPassed();
        }
    }

    /**
     * A one-unit layer f = σ(w·x + b) with n = 2 inputs and the loss L = ½(f − y)², written out by
     * hand. With z = w·x + b, x̄ = [x; 1], δ = σ'(z)(f − y) and M = σ'(z)² + σ''(z)(f − y):
     * ∇_θ L = δ·x̄ and ∇²_θ L = M·x̄x̄ᵀ (DESIGN.md §2 with m = 1). Both are compared with central
     * differences of L itself.
     */
    @Test
    void layerGradientAndHessianMatchFiniteDifferences() {
        try (ActivationRegistry registry = ActivationRegistry.builder().pluginFolder(plugins).build()) {
            Activation mish = registry.get("mish");
            Random random = new Random(2024);
            for (int trial = 0; trial < 20; trial++) {
                double[] x = {random.nextGaussian(), random.nextGaussian()};
                double[] theta = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()}; // w1, w2, b
                double y = random.nextGaussian();
                ToDoubleFunction<double[]> loss = t -> {
                    double f = mish.value(t[0] * x[0] + t[1] * x[1] + t[2]);
                    return 0.5 * (f - y) * (f - y);
                };

                double z = theta[0] * x[0] + theta[1] * x[1] + theta[2];
                double residual = mish.value(z) - y;
                double delta = mish.derivative(z) * residual;
                double m = mish.derivative(z) * mish.derivative(z) + mish.secondDerivative(z) * residual;
                double[] xBar = {x[0], x[1], 1};

                double h = 1e-5;
                for (int i = 0; i < 3; i++) {
                    double gradient = delta * xBar[i];
                    double difference = (loss.applyAsDouble(shift(theta, i, h, -1, 0)) - loss.applyAsDouble(shift(theta, i, -h, -1, 0)))
                            / (2 * h);
                    assertEquals(gradient, difference, 1e-8 * Math.max(1, Math.abs(gradient)), "dL/dθ" + i);
                }
                double k = 1e-4;
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        double hessian = m * xBar[i] * xBar[j];
                        double difference = (loss.applyAsDouble(shift(theta, i, k, j, k)) - loss.applyAsDouble(shift(theta, i, k, j, -k))
                                - loss.applyAsDouble(shift(theta, i, -k, j, k)) + loss.applyAsDouble(shift(theta, i, -k, j, -k)))
                                / (4 * k * k);
                        assertEquals(hessian, difference, 1e-6 * Math.max(1, Math.abs(hessian)), "d²L/dθ" + i + "dθ" + j);
                    }
                }
            }
        }
    }

    /** theta with θ_i += di and θ_j += dj (j = −1: none). */
    private static double[] shift(double[] theta, int i, double di, int j, double dj) {
        double[] t = theta.clone();
        t[i] += di;
        if (j >= 0) {
            t[j] += dj;
        }
        return t;
    }
}
