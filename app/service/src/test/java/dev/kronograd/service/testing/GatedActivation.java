package dev.kronograd.service.testing;

import dev.kronograd.activations.Activation;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The identity, {@value #NAME}, whose σ blocks until the test opens it: a computation that holds its
 * compute thread exactly as long as the test wants, with no sleeps. Registered through a test class
 * loader's {@code META-INF/services} file (see {@code QueuedTimeoutTest}); the test reaches the very
 * instance the service uses through {@code Kronograd.activation(NAME)}, so the latches are per instance.
 */
public final class GatedActivation implements Activation {
    public static final String NAME = "gated";
    /** How long σ waits for the gate before failing: a hang guard only. */
    private static final long GUARD_SECONDS = 30;

    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch open = new CountDownLatch(1);
    private final AtomicInteger calls = new AtomicInteger();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double value(double z) {
        calls.incrementAndGet();
        entered.countDown();
        try {
            if (!open.await(GUARD_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the gate was not opened within " + GUARD_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted at the gate", e);
        }
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

    /** Waits until a computation is inside σ (and so holds a compute thread); false if none came within the wait. */
    public boolean awaitEntered(long timeout, TimeUnit unit) throws InterruptedException {
        return entered.await(timeout, unit);
    }

    /** Lets every computation at the gate, and every later one, through. */
    public void open() {
        open.countDown();
    }

    /** Evaluations of σ so far. */
    public int calls() {
        return calls.get();
    }
}
