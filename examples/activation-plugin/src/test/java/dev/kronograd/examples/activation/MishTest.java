package dev.kronograd.examples.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronograd.activations.Activation;
import dev.kronograd.activations.ActivationContract;
import dev.kronograd.activations.ActivationRegistry;
import dev.kronograd.activations.ContractOptions;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MishTest {

    /** The one call every plugin author should make: σ' and σ'' against finite differences, bulk forms, names. */
    @Test
    void honoursTheActivationContract() {
        ActivationContract.verify(new Mish()).assertPassed();
        ActivationContract.verify(new Mish(), ContractOptions.defaults().withSeed(42).withPoints(1000)).assertPassed();
    }

    /** Found the way Kronograd finds it: through ServiceLoader and META-INF/services. */
    @Test
    void isRegisteredAsAService() {
        List<String> providers = ServiceLoader.load(Activation.class).stream()
                .map(p -> p.type().getName()).collect(Collectors.toList());
        assertTrue(providers.contains(Mish.class.getName()), providers::toString);
        try (ActivationRegistry registry = ActivationRegistry.builder().build()) {
            assertEquals(List.of(), registry.problems());
            assertInstanceOf(Mish.class, registry.get(new Mish().name()));
        }
    }

    /** Against the textbook formula z·tanh(log(1 + e^z)) where that is accurate (moderate z). */
    @Test
    void matchesTheDefinition() {
        Mish mish = new Mish();
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            double z = -20 + 40 * random.nextDouble();
            double expected = z * Math.tanh(Math.log1p(Math.exp(z)));
            assertEquals(expected, mish.value(z), 1e-14 * Math.max(1e-300, Math.abs(expected)), "mish(" + z + ")");
        }
        assertEquals(0.0, mish.value(0.0));
        assertEquals(0.6, mish.derivative(0.0), 1e-15); // tanh(log 2) = 3/5
    }

    @Test
    void limits() {
        Mish mish = new Mish();
        assertEquals(Double.POSITIVE_INFINITY, mish.value(Double.POSITIVE_INFINITY));
        assertEquals(0.0, mish.value(Double.NEGATIVE_INFINITY));
        assertEquals(1.0, mish.derivative(Double.POSITIVE_INFINITY));
        assertEquals(0.0, mish.derivative(Double.NEGATIVE_INFINITY));
        assertEquals(1e308, mish.value(1e308));
        assertEquals(1.0, mish.derivative(1e308));
    }
}
