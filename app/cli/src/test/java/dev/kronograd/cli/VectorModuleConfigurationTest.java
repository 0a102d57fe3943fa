package dev.kronograd.cli;

import dev.kronograd.core.testing.VectorModuleConfiguration;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The build runs the CLI's tests twice, with {@code jdk.incubator.vector} (as {@code ./kronograd} starts the
 * JVM) and without it (as {@code java -jar kronograd.jar} does): each run has the configuration it claims,
 * and {@code kronograd backends} tells the user which pure-Java BLAS that configuration gets, and how to get
 * VectorBLAS where it is Java11BLAS.
 */
class VectorModuleConfigurationTest {

    @Test
    void theVectorModuleIsInTheBootLayerExactlyWhenThisRunSaysSo() {
        VectorModuleConfiguration.assertAsConfigured();
    }

    @Test
    void backendsNamesThePureJavaBlasOfThisJvm() {
        CliRun run = CliRun.of("backends", "--backend", "ejml");
        assertEquals(0, run.code(), run::toString);
        String line = run.out().lines().filter(l -> l.contains("netlib-java ")).findFirst().orElseThrow(() -> new AssertionError(run.out()));
        assertTrue(line.contains("available: netlib " + VectorModuleConfiguration.netlibJavaBlas() + " (pure Java)"), line);
        assertEquals(!VectorModuleConfiguration.present(), line.contains("run the JVM with --add-modules jdk.incubator.vector"), line);
    }
}
