package dev.kronograd.backend.netlib;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.kronograd.backend.Availability;
import dev.kronograd.backend.BackendProvider;
import dev.kronograd.core.linalg.LinearAlgebra;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetlibBackendProvidersTest {

    private static Map<String, BackendProvider> discovered() {
        return ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(BackendProvider::name, Function.identity()));
    }

    @Test
    void serviceLoaderFindsBothProviders() {
        Map<String, BackendProvider> providers = discovered();
        assertInstanceOf(NetlibNativeBackendProvider.class, providers.get("netlib-native"));
        assertInstanceOf(NetlibJavaBackendProvider.class, providers.get("netlib-java"));
    }

    @Test
    void nativeOutranksJava() {
        assertEquals(300, new NetlibNativeBackendProvider().speedRank());
        assertEquals(200, new NetlibJavaBackendProvider().speedRank());
    }

    @Test
    void javaIsAvailableAndNamesItsImplementation() {
        Availability availability = new NetlibJavaBackendProvider().availability();
        assertTrue(availability.available(), availability::toString);
        // surefire runs with --add-modules jdk.incubator.vector
        assertEquals("VectorBLAS", NetlibLinearAlgebra.javaImplementation());
        assertTrue(availability.detail().contains("VectorBLAS"), availability::toString);
    }

    @Test
    void javaModuleBindsASingletonNetlibJava() {
        Injector injector = Guice.createInjector(new NetlibJavaBackendProvider().module());
        LinearAlgebra la = injector.getInstance(LinearAlgebra.class);
        assertEquals("netlib-java", la.name());
        assertSame(la, injector.getInstance(LinearAlgebra.class));
    }

    @Test
    void nativeAvailabilityNamesTheLoadedFile() {
        NativeBlasRequirement.requireNativeBlas();
        Availability availability = new NetlibNativeBackendProvider().availability();
        assertTrue(availability.available());
        // e.g. "native BLAS /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3, …/libopenblasp-r0.3.21.so (requested …)"
        assertTrue(availability.detail().matches("native BLAS /\\S*blas\\S*.*"), availability::toString);
        assertTrue(availability.detail().contains("libblas.so.3"), availability::toString);
        assertSame(availability, new NetlibNativeBackendProvider().availability(), "computed once per JVM");
    }

    @Test
    void nativeModuleBindsASingletonNetlibNative() {
        NativeBlasRequirement.requireNativeBlas();
        Injector injector = Guice.createInjector(new NetlibNativeBackendProvider().module());
        LinearAlgebra la = injector.getInstance(LinearAlgebra.class);
        assertEquals("netlib-native", la.name());
        assertEquals(NetlibLinearAlgebra.Thresholds.measured(), ((NetlibLinearAlgebra) la).thresholds());
        assertSame(la, injector.getInstance(LinearAlgebra.class));
    }
}
