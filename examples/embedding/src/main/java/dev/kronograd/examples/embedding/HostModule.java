package dev.kronograd.examples.embedding;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import com.google.inject.name.Names;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The host's own bindings: how many worker threads it computes gradients on, and the pool of
 * them. Like Kronograd's modules, it does no work in {@code configure()}: the pool is created
 * lazily, once, by a {@code @Provides @Singleton} method.
 */
public final class HostModule extends AbstractModule {
    /** The name of the worker-count binding. */
    public static final String WORKERS = "gradient.workers";

    private final int workers;

    /** @param workers the number of threads gradients are computed on (≥ 1) */
    public HostModule(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        this.workers = workers;
    }

    @Override
    protected void configure() {
        bindConstant().annotatedWith(Names.named(WORKERS)).to(workers);
    }

    /** The worker pool: daemon threads named {@code gradient-worker-N}; the host shuts it down when done. */
    @Provides
    @Singleton
    ExecutorService workers(@Named(WORKERS) int count) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(count, r -> {
            Thread t = new Thread(r, "gradient-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
