package dev.kronograd.backend.ejml;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.kronograd.backend.Availability;
import dev.kronograd.backend.BackendProvider;
import dev.kronograd.core.linalg.LinearAlgebra;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EjmlBackendProviderTest {

    @Test
    void serviceLoaderFindsTheProvider() {
        List<BackendProvider> found = ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("ejml"))
                .collect(Collectors.toList());
        assertEquals(1, found.size(), "exactly one 'ejml' provider registered in META-INF/services");
        assertInstanceOf(EjmlBackendProvider.class, found.get(0));
    }

    @Test
    void availableWithTheEjmlVersion() {
        Availability availability = new EjmlBackendProvider().availability();
        assertTrue(availability.available(), availability::toString);
        assertTrue(availability.detail().contains("EJML 0.46.1"), availability::toString);
        assertTrue(availability.causeIfAny().isEmpty());
    }

    @Test
    void availabilityIsComputedOnce() {
        EjmlBackendProvider provider = new EjmlBackendProvider();
        assertSame(provider.availability(), provider.availability());
    }

    @Test
    void moduleBindsOneEjmlInstancePerInjector() {
        Injector injector = Guice.createInjector(new EjmlBackendProvider().module());
        LinearAlgebra la = injector.getInstance(LinearAlgebra.class);
        assertInstanceOf(EjmlLinearAlgebra.class, la);
        assertEquals("ejml", la.name());
        assertSame(la, injector.getInstance(LinearAlgebra.class), "singleton");
    }

    @Test
    void rankedBelowNetlibJava() {
        BackendProvider provider = new EjmlBackendProvider();
        assertEquals(100, provider.speedRank());
        assertTrue(provider.description().contains("EJML"));
    }
}
