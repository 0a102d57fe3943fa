package dev.kronograd.sdk.nn;

import dev.kronograd.activations.Activation;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/** The built-in activations by name, loaded as production loads them (ServiceLoader). */
final class TestActivations {
    static final Map<String, Activation> ALL = new TreeMap<>();

    static {
        for (Activation a : ServiceLoader.load(Activation.class)) {
            ALL.put(a.name(), a);
        }
    }

    private TestActivations() {
    }

    static Function<String, Activation> resolver() {
        return name -> {
            Activation a = ALL.get(name);
            if (a == null) {
                throw new IllegalArgumentException("unknown activation " + name);
            }
            return a;
        };
    }
}
