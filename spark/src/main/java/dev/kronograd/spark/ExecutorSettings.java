package dev.kronograd.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * How each executor JVM assembles its SDK: the backend name ({@code null}: the executor's own
 * {@code kronograd.backend} / {@code KRONOGRAD_BACKEND}, else {@code auto} — native BLAS where the
 * worker has OpenBLAS) and plugin folders that exist on every worker. Activation plugins shipped
 * with {@code --jars} / {@code spark.jars} need no folder: executors discover them through their
 * task class loader.
 *
 * @param backend       backend name, or null for the executor's default
 * @param pluginFolders folders (paths on the workers) of activation plugin jars
 */
public record ExecutorSettings(String backend, List<String> pluginFolders) implements Serializable {
    /** Copies the folder list. */
    public ExecutorSettings {
        pluginFolders = List.copyOf(Objects.requireNonNull(pluginFolders, "pluginFolders"));
    }

    /** The executors' defaults: their own backend choice, no plugin folders. */
    public static ExecutorSettings defaults() {
        return new ExecutorSettings(null, List.of());
    }
}
