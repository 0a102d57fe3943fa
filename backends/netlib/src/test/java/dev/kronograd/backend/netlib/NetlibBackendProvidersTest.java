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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

    /** Whether jdk.incubator.vector is in the boot layer: VectorBLAS with it, Java11BLAS without. */
    private static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    @Test
    void javaIsAvailableAndNamesItsImplementation() {
        Availability availability = new NetlibJavaBackendProvider().availability();
        assertTrue(availability.available(), availability::toString);
        String implementation = vectorModulePresent() ? "VectorBLAS" : "Java11BLAS";
        assertEquals(implementation, NetlibLinearAlgebra.javaImplementation());
        assertTrue(availability.detail().startsWith("netlib " + implementation + " (pure Java)"), availability::toString);
        assertEquals(!vectorModulePresent(), availability.detail().contains("run the JVM with --add-modules jdk.incubator.vector"),
                availability::toString);
    }

    /**
     * The build runs these tests, the conformance suites among them, twice: with jdk.incubator.vector (VectorBLAS, as
     * ./kronograd runs) and without it (Java11BLAS, as {@code java -jar} runs); kronograd.test.vectorModule says which.
     */
    @Test
    void thisTestRunGetsThePureJavaBlasItsBuildExecutionSays() {
        String configured = System.getProperty("kronograd.test.vectorModule");
        assumeTrue(configured != null, "run outside the build: no configuration to check");
        assertEquals(configured.equals("present") ? "VectorBLAS" : "Java11BLAS", NetlibLinearAlgebra.javaImplementation(),
                "kronograd.test.vectorModule=" + configured);
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
