package dev.kronograd.backend;

import java.util.Objects;

/**
 * A backend, described: its name, rank and availability (when available, what was loaded — the
 * native library file; when not, why and how to fix it). The one value type for a backend: listings
 * ({@link BackendSelector#list()}), the outcome of a selection ({@link SelectedBackend#backend()})
 * and the SDK's own backend all use it. Immutable.
 *
 * @param name         the name to select it by
 * @param speedRank    higher is faster; {@code auto} takes the highest available
 * @param description  what the backend is
 * @param availability whether it can run here, and the detail
 */
public record BackendStatus(String name, int speedRank, String description, Availability availability) {

    public BackendStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(availability, "availability");
    }

    @Override
    public String toString() {
        return name + " (rank " + speedRank + ", " + description + "): " + availability;
    }
}
