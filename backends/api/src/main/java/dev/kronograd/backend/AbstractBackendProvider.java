package dev.kronograd.backend;

import java.util.Objects;

/**
 * The common part of a {@link BackendProvider}: fixed name, rank and description, and the
 * availability probed once and cached. Subclasses supply {@link #probe()} and
 * {@link #module()}, and the public no-arg constructor {@link java.util.ServiceLoader} needs.
 */
public abstract class AbstractBackendProvider implements BackendProvider {
    private final String name;
    private final int speedRank;
    private final String description;
    private volatile Availability availability;

    /**
     * @param name        the backend's name, {@code [a-z0-9-]+}
     * @param speedRank   higher is faster
     * @param description one line for listings
     */
    protected AbstractBackendProvider(String name, int speedRank, String description) {
        this.name = Objects.requireNonNull(name, "name");
        this.speedRank = speedRank;
        this.description = Objects.requireNonNull(description, "description");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int speedRank() {
        return speedRank;
    }

    @Override
    public final String description() {
        return description;
    }

    /**
     * The result of {@link #probe()}, computed on first use and cached (a race probes twice,
     * harmlessly). Never throws: a probe that throws makes the backend unavailable with that cause.
     */
    @Override
    public final Availability availability() {
        Availability result = availability;
        if (result == null) {
            try {
                result = Objects.requireNonNull(probe(), "probe() returned null");
            } catch (RuntimeException | LinkageError e) {
                result = Availability.unavailable("the " + name + " backend could not be probed: " + e, e);
            }
            availability = result;
        }
        return result;
    }

    /** Whether this backend can run here, and why not if it cannot. Called at most a few times. */
    protected abstract Availability probe();

    @Override
    public String toString() {
        return "BackendProvider[" + name + "]";
    }
}
