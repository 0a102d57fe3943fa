package dev.kronograd.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The tests run on the class path; this one puts the compiled module, core and slf4j on a module path
 * (a fresh {@link ModuleLayer}) to prove that {@code provides ... with} and {@code uses} work.
 */
class ModulePathTest {

    @Test
    void builtInsAreFoundThroughModuleInfoProvides() throws Exception {
        Path slf4jApi = Path.of(org.slf4j.LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path slf4jSimple = Path.of(Class.forName("org.slf4j.simple.SimpleLogger").getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        Path core = Path.of(dev.kronograd.core.KronogradException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleFinder finder = ModuleFinder.of(ProviderJars.activationsLocation(), core, slf4jApi, slf4jSimple);
        ModuleLayer boot = ModuleLayer.boot();
        Configuration configuration = boot.configuration().resolveAndBind(finder, ModuleFinder.of(),
                Set.of("dev.kronograd.activations"));
        ModuleLayer layer = boot.defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
        Module module = layer.findModule("dev.kronograd.activations").orElseThrow();
        assertTrue(module.isNamed());
        assertFalse(module.isExported("dev.kronograd.activations.builtin"));

        ClassLoader loader = layer.findLoader("dev.kronograd.activations");
        Class<?> service = loader.loadClass(Activation.class.getName());
        Set<String> providers = ServiceLoader.load(layer, service).stream()
                .map(p -> p.type().getName()).collect(Collectors.toSet());
        assertEquals(ActivationRegistry.builtIns().stream().map(a -> a.getClass().getName()).collect(Collectors.toSet()),
                providers);
        for (ServiceLoader.Provider<?> p : ServiceLoader.load(layer, service).stream().collect(Collectors.toList())) {
            assertEquals(module, p.type().getModule());
        }

        // the registry itself works inside the named module (it needs `uses`)
        Class<?> registryClass = loader.loadClass(ActivationRegistry.class.getName());
        Object builder = registryClass.getMethod("builder").invoke(null);
        Object registry = builder.getClass().getMethod("build").invoke(builder);
        assertEquals(ActivationRegistry.builder().build().names(), registryClass.getMethod("names").invoke(registry));
        assertEquals(List.of(), registryClass.getMethod("problems").invoke(registry));
    }
}
