package dev.kronograd.cli;

import dev.kronograd.backend.BackendRequest;
import dev.kronograd.sdk.Kronograd;
import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The options every command shares (a picocli mixin): {@code --backend}, {@code --plugin-path},
 * {@code --elementwise-threads} and {@code --verbose}. A command declares {@code @Mixin SdkOptions sdk;} and calls
 * {@link #kronograd()} to get the SDK assembled as asked.
 */
public final class SdkOptions {
    @Option(names = "--backend", paramLabel = "NAME",
            description = "Linear-algebra backend: auto, ejml, netlib-native, netlib-java, … (see 'kronograd backends'). "
                    + "Default: -Dkronograd.backend, else $KRONOGRAD_BACKEND, else auto. A named backend that is unavailable is an error.")
    private String backend;

    @Option(names = "--plugin-path", paramLabel = "DIR",
            description = "A folder of activation plugin jars (repeatable; also a list separated by '${sys:path.separator}'), "
                    + "in addition to -Dkronograd.plugin.path and $KRONOGRAD_PLUGIN_PATH.")
    private List<String> pluginPaths = new ArrayList<>();

    @Option(names = "--elementwise-threads", paramLabel = "N",
            description = "Threads one computation may use for its elementwise work (σ, σ', the loss) on large batches; "
                    + "1 = the calling thread only. Default: -Dkronograd.elementwise.threads, else $KRONOGRAD_ELEMENTWISE_THREADS, "
                    + "else the available processors (at most the common fork/join pool's parallelism + 1).")
    private Integer elementwiseThreads;

    /**
     * {@code --verbose}. {@link KronogradCli#main} has already set the process's log level from it
     * (logging is configured before anything is parsed); here it serves the error reporting.
     */
    @Option(names = {"-v", "--verbose"},
            description = "Log backend selection and plugin loading at INFO on stderr, and print the stack trace of internal errors.")
    private boolean verbose;

    /** Whether {@code --verbose} was given. */
    public boolean verbose() {
        return verbose;
    }

    /** The {@code --backend} value, or null to use the property, the environment variable or {@code auto}. */
    public String backend() {
        return backend;
    }

    /**
     * The SDK with the requested backend and plugin folders.
     *
     * @throws dev.kronograd.backend.UnknownBackendException     for an unknown backend name
     * @throws dev.kronograd.backend.BackendUnavailableException for a named backend that cannot run here
     * @throws UserInputException if a {@code --plugin-path} entry is not an existing folder
     */
    public Kronograd kronograd() {
        return kronograd(backend);
    }

    /**
     * The SDK with the given backend (null: property, environment, {@code auto}) and the requested
     * plugin folders. The CLI is an application: it asks the SDK to read this process's
     * {@code kronograd.*} properties and {@code KRONOGRAD_*} variables.
     */
    Kronograd kronograd(String backendName) {
        Kronograd.Builder builder = Kronograd.builder().fromEnvironment().backend(backendName, BackendRequest.FLAG);
        if (elementwiseThreads != null) {
            if (elementwiseThreads < 1) {
                throw new UserInputException("--elementwise-threads must be ≥ 1 (1 = the calling thread only), was " + elementwiseThreads);
            }
            builder.elementwiseThreads(elementwiseThreads);
        }
        for (Path folder : pluginFolders()) {
            builder.pluginPath(folder);
        }
        return builder.build();
    }

    /** The {@code --plugin-path} folders, each checked to exist: an explicit option deserves an error, not a warning. */
    List<Path> pluginFolders() {
        List<Path> folders = new ArrayList<>();
        for (String option : pluginPaths) {
            for (String entry : option.split(Pattern.quote(File.pathSeparator))) {
                if (entry.isBlank()) {
                    continue;
                }
                Path folder;
                try {
                    folder = Path.of(entry.strip());
                } catch (InvalidPathException e) {
                    throw new UserInputException("--plugin-path '" + entry + "' is not a valid path: " + e.getReason(), e);
                }
                if (!Files.isDirectory(folder)) {
                    throw new UserInputException("--plugin-path " + folder + ": "
                            + (Files.exists(folder) ? "not a folder" : "no such folder") + "; give a folder that holds activation plugin jars");
                }
                folders.add(folder);
            }
        }
        return folders;
    }
}
