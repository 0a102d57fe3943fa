package dev.kronograd.sdk;

import dev.kronograd.backend.BackendRequest;
import dev.kronograd.backend.SelectedBackend;
import dev.kronograd.backend.BackendStatus;
import dev.kronograd.backend.BackendSelector;
import com.google.inject.Guice;
import dev.kronograd.backend.Availability;
import dev.kronograd.core.linalg.LinearAlgebra;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real backends, discovered through ServiceLoader as the application does. */
class BackendDiscoveryTest {

    private final BackendSelector selector = BackendSelector.discover(BackendDiscoveryTest.class.getClassLoader());

    @Test
    void discoversTheThreeBuiltInBackendsFastestFirst() {
        assertEquals(List.of("auto", "netlib-native", "netlib-java", "ejml"), selector.knownNames());
        List<BackendStatus> list = selector.list();
        assertTrue(list.get(1).availability().available(), "netlib-java is pure Java: " + list.get(1));
        assertTrue(list.get(2).availability().available(), "ejml is pure Java: " + list.get(2));
    }

    @Test
    void autoTakesNativeWhenItLoadsAndPureJavaOtherwise() {
        Availability nativeBlas = selector.list().get(0).availability();
        SelectedBackend selected = selector.select(BackendRequest.resolve(null, new Properties(), Map.of()));
        if (nativeBlas.available()) {
            assertEquals("netlib-native", selected.name());
            assertTrue(selected.reason().contains("native BLAS /"), "names the loaded file: " + selected.reason());
        } else {
            assertEquals("netlib-java", selected.name());
            assertTrue(selected.reason().contains("netlib-native is unavailable"), selected.reason());
        }
    }

    @Test
    void theSelectedModuleBindsThatBackend() {
        for (String name : List.of("netlib-java", "ejml")) {
            SelectedBackend selected = selector.select(new BackendRequest(name, "test"));
            LinearAlgebra la = Guice.createInjector(selected.module()).getInstance(LinearAlgebra.class);
            assertEquals(name, la.name());
        }
    }
}
