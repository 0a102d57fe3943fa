package dev.kronograd.backend;

import com.google.inject.Module;

import java.util.concurrent.atomic.AtomicInteger;

/** A provider with a fixed name, rank and availability, counting availability() calls. */
final class FakeProvider implements BackendProvider {

    private final String name;
    private final int rank;
    private final Availability availability;
    private final Module module = binder -> { };
    final AtomicInteger availabilityCalls = new AtomicInteger();

    FakeProvider(String name, int rank, Availability availability) {
        this.name = name;
        this.rank = rank;
        this.availability = availability;
    }

    static FakeProvider available(String name, int rank) {
        return new FakeProvider(name, rank, Availability.available(name + " loaded"));
    }

    static FakeProvider unavailable(String name, int rank, String reason, Throwable cause) {
        return new FakeProvider(name, rank, Availability.unavailable(reason, cause));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int speedRank() {
        return rank;
    }

    @Override
    public String description() {
        return "fake " + name;
    }

    @Override
    public Availability availability() {
        availabilityCalls.incrementAndGet();
        return availability;
    }

    @Override
    public Module module() {
        return module;
    }
}
