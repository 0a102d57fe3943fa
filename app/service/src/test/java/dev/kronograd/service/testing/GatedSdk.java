package dev.kronograd.service.testing;

import dev.kronograd.activations.Activation;
import dev.kronograd.sdk.Kronograd;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * An SDK (EJML backend, no environment) that also knows {@link GatedActivation} and
 * {@link CountingActivation}, registered through a class loader's {@code META-INF/services} file
 * in {@code folder}: a test holds a computation at the gate for exactly as long as it wants, and
 * counts the computations that ran, with no sleeps. The test reaches the very instances the
 * service uses through {@link #gate(Kronograd)} and {@link #counter(Kronograd)}.
 */
public final class GatedSdk {
    private GatedSdk() {
    }

    /** The SDK, with the two activations registered from a services file written under {@code folder}. */
    public static Kronograd create(Path folder) throws IOException {
        Path serviceFile = folder.resolve("META-INF/services/" + Activation.class.getName());
        Files.createDirectories(serviceFile.getParent());
        Files.writeString(serviceFile, GatedActivation.class.getName() + "\n" + CountingActivation.class.getName() + "\n");
        // The loader lives as long as the SDK (a test's lifetime); the classes come from the parent.
        URLClassLoader loader = new URLClassLoader(new URL[] {folder.toUri().toURL()}, GatedSdk.class.getClassLoader());
        return Kronograd.builder().backend("ejml").classLoader(loader).environment(Map.of(), new Properties()).build();
    }

    /** The SDK's gate. */
    public static GatedActivation gate(Kronograd sdk) {
        return (GatedActivation) sdk.activation(GatedActivation.NAME);
    }

    /** The SDK's counter. */
    public static CountingActivation counter(Kronograd sdk) {
        return (CountingActivation) sdk.activation(CountingActivation.NAME);
    }
}
