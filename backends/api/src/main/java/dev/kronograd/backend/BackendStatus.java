package dev.kronograd.backend;


/**
 * One line of the {@code backends} listing: a discovered backend with its rank and availability
 * (when available, what was loaded — the native library file; when not, why and how to fix it).
 *
 * @param name         the name to select it by
 * @param speedRank    higher is faster; {@code auto} takes the highest available
 * @param description  what the backend is
 * @param availability whether it can run here, and the detail
 */
public record BackendStatus(String name, int speedRank, String description, Availability availability) {

    @Override
    public String toString() {
        return name + " (rank " + speedRank + ", " + description + "): " + availability;
    }
}
