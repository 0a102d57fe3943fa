package dev.kronograd.sdk;

/**
 * Which backend the SDK computes with and why it was chosen (for a native backend: the library
 * file actually loaded).
 *
 * @param name   the backend's name, e.g. {@code ejml}
 * @param detail why it was chosen, or what was loaded
 */
public record BackendDescription(String name, String detail) {
}
