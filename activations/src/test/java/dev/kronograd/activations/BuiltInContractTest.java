package dev.kronograd.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in honours the SPI contract, and is registered both ways. */
class BuiltInContractTest {

    static Stream<Activation> builtIns() {
        return ActivationRegistry.builtIns().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builtIns")
    void passesTheContractChecker(Activation a) {
        ContractReport report = ActivationContract.verify(a).assertPassed();
        assertTrue(report.checks() > 2000, report::toString);
        assertEquals(a.name(), report.activationName());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builtIns")
    void passesWithOtherSeedsAndMorePoints(Activation a) {
        for (long seed = 1; seed <= 3; seed++) {
            ActivationContract.verify(a, ContractOptions.defaults().withSeed(seed).withPoints(500)).assertPassed();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builtIns")
    void bulkFormsRejectBadRangesBeforeWriting(Activation a) {
        double[] z = {1, 2, 3};
        double[] out = {7, 7, 7};
        assertThrows(IndexOutOfBoundsException.class, () -> a.values(z, 1, out, 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> a.derivatives(z, 0, out, 1, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> a.secondDerivatives(z, 0, out, 0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> a.valuesAndDerivatives(z, 0, out, 0, new double[2], 0, 3));
        assertThrows(NullPointerException.class, () -> a.values(null, 0, out, 0, 0));
        assertEquals(List.of(7.0, 7.0, 7.0), List.of(out[0], out[1], out[2]));
    }

    @Test
    void serviceFileListsEveryBuiltIn() {
        Set<String> found = ServiceLoader.load(Activation.class, Activation.class.getClassLoader()).stream()
                .map(p -> p.type().getName()).collect(Collectors.toSet());
        assertEquals(builtInClassNames(), found);
    }

    @Test
    void moduleDescriptorProvidesEveryBuiltInAndExportsOnlyTheApi() throws Exception {
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(ProviderJars.activationsLocation().resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        assertEquals("dev.kronograd.activations", descriptor.name());
        assertEquals(Set.of("dev.kronograd.activations"),
                descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertEquals(Set.of(Activation.class.getName()), descriptor.uses());
        assertTrue(descriptor.requires().stream().anyMatch(r -> r.name().equals("org.slf4j")));
        ModuleDescriptor.Provides provides = descriptor.provides().stream()
                .filter(p -> p.service().equals(Activation.class.getName())).findFirst().orElseThrow();
        assertEquals(builtInClassNames(), Set.copyOf(provides.providers()));
    }

    private static Set<String> builtInClassNames() {
        return builtIns().map(a -> a.getClass().getName()).collect(Collectors.toSet());
    }
}
