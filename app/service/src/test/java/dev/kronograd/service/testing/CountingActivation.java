package dev.kronograd.service.testing;

import dev.kronograd.activations.Activation;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The identity, {@value #NAME}, counting its evaluations: whether a computation ran at all is
 * observable. Registered and reached like {@link GatedActivation}.
 */
public final class CountingActivation implements Activation {
    public static final String NAME = "counted";

    private final AtomicInteger calls = new AtomicInteger();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double value(double z) {
        calls.incrementAndGet();
        return z;
    }

    @Override
    public double derivative(double z) {
        return 1;
    }

    @Override
    public double secondDerivative(double z) {
        return 0;
    }

    /** Evaluations of σ so far. */
    public int calls() {
        return calls.get();
    }
}
