package dev.kronograd.sdk;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import dev.kronograd.activations.ActivationRegistry;
import dev.kronograd.activations.PluginProblemsException;
import dev.kronograd.activations.UnknownActivationException;
import dev.kronograd.backend.Availability;
import dev.kronograd.backend.BackendProvider;
import dev.kronograd.backend.BackendStatus;
import dev.kronograd.backend.BackendUnavailableException;
import dev.kronograd.backend.UnknownBackendException;
import dev.kronograd.backend.ejml.EjmlBackendModule;
import dev.kronograd.core.KronogradException;
import dev.kronograd.core.ShapeMismatchException;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import dev.kronograd.core.operator.MaterializationTooLargeException;
import dev.kronograd.sdk.loss.UnknownLossException;
import dev.kronograd.sdk.nn.NonFiniteInputException;
import dev.kronograd.sdk.train.TrainingDivergedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SDK behaves as a library: it reads the process's configuration only when asked, closes what
 * it opened, lists backends through the caller's class loader, and raises one error base type.
 */
class LibraryBehaviourTest {

    @Test
    void theBuilderReadsNoSystemPropertyUnlessAsked() {
        withProperties(Map.of("kronograd.backend", "no-such-backend", "kronograd.elementwise.threads", "many"), () -> {
            try (Kronograd plain = Kronograd.builder().build()) {
                assertFalse(plain.backendName().isEmpty());
            }
            try (Kronograd created = Kronograd.create()) {
                assertFalse(created.backendName().isEmpty());
            }
            IllegalArgumentException threads = assertThrows(IllegalArgumentException.class,
                    () -> Kronograd.builder().fromEnvironment().build());
            assertTrue(threads.getMessage().contains("kronograd.elementwise.threads"), threads.getMessage());
            UnknownBackendException backend = assertThrows(UnknownBackendException.class,
                    () -> Kronograd.builder().fromEnvironment().elementwiseThreads(1).build());
            assertTrue(backend.getMessage().contains("no-such-backend") && backend.getMessage().contains("kronograd.backend"),
                    backend.getMessage());
            return null;
        });
    }

    @Test
    void theModuleReadsNoSystemPropertyUnlessAsked(@TempDir Path plugins) throws IOException {
        Path notAFolder = Files.writeString(plugins.resolve("file.txt"), "not a folder of jars");
        withProperties(Map.of("kronograd.elementwise.threads", "many", "kronograd.plugin.path", notAFolder.toString()), () -> {
            Kronograd plain = Guice.createInjector(new KronogradModule(), new EjmlBackendModule()).getInstance(Kronograd.class);
            assertTrue(plain.pluginProblems().isEmpty(), plain.pluginProblems()::toString);
            plain.close();
            Injector asked = Guice.createInjector(KronogradModule.fromEnvironment(), new EjmlBackendModule());
            RuntimeException e = assertThrows(RuntimeException.class, () -> asked.getInstance(Kronograd.class));
            assertTrue(String.valueOf(e.getMessage()).contains("kronograd.elementwise.threads"), e::toString);
            return null;
        });
    }

    @Test
    void closeIsIdempotentAndUseAfterwardsIsAClearError() {
        Kronograd sdk = Kronograd.builder().backend("ejml").build();
        assertFalse(sdk.isClosed());
        sdk.close();
        sdk.close();
        assertTrue(sdk.isClosed());
        List<Runnable> uses = List.of(sdk::network, () -> sdk.loss("squared-error"), () -> sdk.activation("tanh"), sdk::operators,
                sdk::linearAlgebra, sdk::activations, sdk::losses, sdk::activationListing, sdk::backendListing, sdk::pluginProblems);
        for (Runnable use : uses) {
            IllegalStateException e = assertThrows(IllegalStateException.class, use::run);
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
        assertEquals("ejml", sdk.backendName(), "what it was stays readable");
        assertTrue(sdk.toString().contains("closed"), sdk.toString());
    }

    @Test
    void closingTheInjectorsSdkClosesTheRegistryItOwns() {
        Injector injector = Guice.createInjector(new KronogradModule(), new EjmlBackendModule());
        Kronograd sdk = injector.getInstance(Kronograd.class);
        assertSame(sdk.activations(), injector.getInstance(ActivationRegistry.class));
        ActivationRegistry registry = sdk.activations();
        assertFalse(registry.isClosed());
        sdk.close();
        assertTrue(registry.isClosed());
    }

    @Test
    void backendListingUsesTheBuildersClassLoader(@TempDir Path dir) throws IOException {
        Path services = Files.writeString(dir.resolve("providers"), ListingProbeProvider.class.getName() + "\n");
        ClassLoader withProbe = new ClassLoader(LibraryBehaviourTest.class.getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                List<URL> urls = new ArrayList<>(Collections.list(super.getResources(name)));
                if (name.equals("META-INF/services/" + BackendProvider.class.getName())) {
                    urls.add(services.toUri().toURL());
                }
                return Collections.enumeration(urls);
            }
        };
        try (Kronograd plain = Kronograd.builder().backend("ejml").build();
             Kronograd probed = Kronograd.builder().backend("ejml").classLoader(withProbe).build()) {
            assertFalse(names(plain.backendListing()).contains(ListingProbeProvider.NAME));
            assertTrue(names(probed.backendListing()).contains(ListingProbeProvider.NAME), probed.backendListing()::toString);
            assertEquals("ejml", probed.backend().name());
            assertTrue(probed.backend().availability().available());
        }
    }

    @Test
    void everyErrorOfTheSdkIsAKronogradException() {
        for (Class<?> type : List.of(ShapeMismatchException.class, MaterializationTooLargeException.class, UnknownActivationException.class,
                PluginProblemsException.class, UnknownBackendException.class, BackendUnavailableException.class, UnknownLossException.class,
                NonFiniteInputException.class, TrainingDivergedException.class)) {
            assertTrue(KronogradException.class.isAssignableFrom(type), type.getName());
        }
        try (Kronograd sdk = Kronograd.builder().backend("ejml").build()) {
            List<Supplier<Object>> errors = List.of(() -> sdk.loss("hinge"), () -> sdk.activation("swish"),
                    () -> Kronograd.builder().backend("fortran").build());
            for (Supplier<Object> error : errors) {
                KronogradException e = assertThrows(KronogradException.class, error::get);
                assertFalse(e.getMessage().isBlank());
            }
        }
    }

    private static List<String> names(List<BackendStatus> listing) {
        return listing.stream().map(BackendStatus::name).toList();
    }

    /** Sets {@code properties} for the duration of {@code body}, then restores the previous values. */
    private static void withProperties(Map<String, String> properties, java.util.concurrent.Callable<Void> body) {
        Properties saved = new Properties();
        properties.keySet().forEach(k -> {
            String old = System.getProperty(k);
            if (old != null) {
                saved.setProperty(k, old);
            }
        });
        properties.forEach(System::setProperty);
        try {
            body.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            properties.keySet().forEach(k -> {
                if (saved.containsKey(k)) {
                    System.setProperty(k, saved.getProperty(k));
                } else {
                    System.clearProperty(k);
                }
            });
        }
    }

    /** A provider found only through the class loader of {@link #backendListingUsesTheBuildersClassLoader}. */
    public static final class ListingProbeProvider implements BackendProvider {
        static final String NAME = "listing-probe";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public int speedRank() {
            return 1;
        }

        @Override
        public String description() {
            return "a test provider visible through one class loader";
        }

        @Override
        public Availability availability() {
            return Availability.available("core's reference kernels");
        }

        @Override
        public Module module() {
            return binder -> binder.bind(LinearAlgebra.class).toInstance(ReferenceLinearAlgebra.INSTANCE);
        }
    }
}
