package dev.kronograd.sdk;

import dev.kronograd.backend.BackendStatus;
import dev.kronograd.core.testing.VectorModuleConfiguration;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The build runs the SDK's tests twice, with {@code jdk.incubator.vector} (as {@code ./kronograd} starts the
 * JVM) and without it (as {@code java -jar} and embedding hosts do): each run has the configuration it
 * claims, and the backend listing names the pure-Java BLAS that configuration gets.
 */
class VectorModuleConfigurationTest {

    @Test
    void theVectorModuleIsInTheBootLayerExactlyWhenThisRunSaysSo() {
        VectorModuleConfiguration.assertAsConfigured();
    }

    @Test
    void theListingNamesThePureJavaBlasOfThisJvm() {
        try (Kronograd sdk = Kronograd.builder().backend("ejml").environment(Map.of(), new Properties()).build()) {
            BackendStatus netlibJava = sdk.backendListing().stream().filter(b -> b.name().equals("netlib-java")).findFirst().orElseThrow();
            String detail = netlibJava.availability().detail();
            assertTrue(detail.startsWith("netlib " + VectorModuleConfiguration.netlibJavaBlas() + " (pure Java)"), detail);
        }
    }
}
