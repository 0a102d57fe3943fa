package dev.kronograd.sdk;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import dev.kronograd.activations.Activation;
import dev.kronograd.activations.ActivationRegistry;
import dev.kronograd.activations.PluginProblem;
import dev.kronograd.activations.RegisteredActivation;
import dev.kronograd.backend.BackendRequest;
import dev.kronograd.backend.BackendSelector;
import dev.kronograd.backend.BackendStatus;
import dev.kronograd.backend.BackendUnavailableException;
import dev.kronograd.backend.SelectedBackend;
import dev.kronograd.backend.UnknownBackendException;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.operator.Operators;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.loss.LossRegistry;
import dev.kronograd.sdk.nn.NetworkBuilder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The assembled SDK: a linear-algebra backend, the activation and loss registries, and the
 * operator algebra, wired with Guice. Safe to share between threads.
 *
 * <pre>{@code
 * try (Kronograd k = Kronograd.create()) {                  // backend "auto", built-in activations
 *     Network net = k.network().layer(w, b, "tanh").build();
 *     Gradient g = net.gradient(x, k.loss("squared-error"), y);
 *     DenseMatrix dW = g.weights(0);  DenseVector db = g.bias(0);
 * }
 * }</pre>
 *
 * <h2>Configuration comes from the caller</h2>
 * The SDK reads no environment variable and no system property unless asked:
 * {@link Builder#fromEnvironment()} (or {@link KronogradModule#fromEnvironment()}) opts in to
 * {@code kronograd.backend}/{@code KRONOGRAD_BACKEND}, {@code kronograd.plugin.path}/{@code
 * KRONOGRAD_PLUGIN_PATH} and {@code kronograd.elementwise.threads}/{@code
 * KRONOGRAD_ELEMENTWISE_THREADS}, as the {@code kronograd} command does. Plugin jars are loaded only
 * from the folders the caller names.
 *
 * <h2>Lifecycle</h2>
 * The SDK owns its activation registry, whose plugin class loaders keep their jar files open:
 * {@link #close()} releases them. Close it when the application stops using it (networks built from
 * it may fail to load plugin classes afterwards); using a closed SDK is an
 * {@link IllegalStateException}. Hosts with their own injector install {@link KronogradModule}
 * and close the injector's {@code Kronograd} when they shut down.
 */
public final class Kronograd implements AutoCloseable {
    private final Operators ops;
    private final ActivationRegistry activations;
    private final LossRegistry losses;
    private final SelectedBackend backend;
    private final int elementwiseThreads;
    private final ClassLoader classLoader;
    private final AtomicBoolean closed = new AtomicBoolean();

    Kronograd(Operators ops, ActivationRegistry activations, LossRegistry losses, SelectedBackend backend,
              int elementwiseThreads, ClassLoader classLoader) {
        this.ops = ops;
        this.activations = activations;
        this.losses = losses;
        this.backend = backend;
        this.elementwiseThreads = elementwiseThreads;
        this.classLoader = classLoader;
    }

    /**
     * The SDK on the fastest available backend ({@code auto}) with the built-in and class-path
     * activations; reads no environment variable or property. {@code builder().fromEnvironment().build()}
     * is the configurable equivalent of the {@code kronograd} command.
     */
    public static Kronograd create() {
        return builder().build();
    }

    /** A builder for choosing the backend, plugin folders and threads. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder for a network computing on this SDK's backend, resolving activations by name here. */
    public NetworkBuilder network() {
        requireOpen();
        return new NetworkBuilder(ops, activations::get).elementwiseThreads(elementwiseThreads);
    }

    /**
     * The {@link NetworkBuilder#elementwiseThreads(int) elementwiseThreads} of this SDK's networks:
     * {@link Builder#elementwiseThreads(int)}, else (when asked with {@link Builder#fromEnvironment()})
     * {@code -Dkronograd.elementwise.threads}, else {@code KRONOGRAD_ELEMENTWISE_THREADS}, else
     * {@link NetworkBuilder#defaultElementwiseThreads()}.
     */
    public int elementwiseThreads() {
        return elementwiseThreads;
    }

    /**
     * The loss called {@code name} ({@code squared-error}, {@code softmax-cross-entropy}, {@code sigmoid-cross-entropy}, …).
     *
     * @throws dev.kronograd.sdk.loss.UnknownLossException listing the known names
     */
    public Loss loss(String name) {
        requireOpen();
        return losses.get(name);
    }

    /**
     * The activation called {@code name}.
     *
     * @throws dev.kronograd.activations.UnknownActivationException listing the known names
     */
    public Activation activation(String name) {
        requireOpen();
        return activations.get(name);
    }

    /** The operator factory on this SDK's backend. */
    public Operators operators() {
        requireOpen();
        return ops;
    }

    /** The backend every computation goes through. */
    public LinearAlgebra linearAlgebra() {
        requireOpen();
        return ops.linearAlgebra();
    }

    /** The activation registry (built-ins, class path, plugin folders); closed with this SDK. */
    public ActivationRegistry activations() {
        requireOpen();
        return activations;
    }

    /** The loss registry. */
    public LossRegistry losses() {
        requireOpen();
        return losses;
    }

    /** The backend this SDK computes with: name, rank, description, availability (the library loaded). */
    public BackendStatus backend() {
        return backend.backend();
    }

    /** The backend's name, e.g. {@code ejml}. */
    public String backendName() {
        return backend.name();
    }

    /** Why this backend was chosen, and for a native one which library was loaded. */
    public String backendDetail() {
        return backend.reason();
    }

    /** Every activation (name, instance, class, source jar or {@code built-in}), sorted by name. */
    public List<RegisteredActivation> activationListing() {
        requireOpen();
        return activations.activations();
    }

    /** One line per plugin problem (jar, class, reason); the working activations stay usable. */
    public List<String> pluginProblems() {
        requireOpen();
        List<String> out = new ArrayList<>();
        for (PluginProblem p : activations.problems()) {
            out.add(p.toString());
        }
        return out;
    }

    /**
     * Every backend visible from this SDK's class loader ({@link Builder#classLoader(ClassLoader)}),
     * fastest first, with availability; the one this SDK computes with is {@link #backendName()}.
     */
    public List<BackendStatus> backendListing() {
        requireOpen();
        return BackendSelector.discover(classLoader).list();
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Releases what the SDK opened: the activation registry's plugin class loaders and their jar
     * files. Idempotent; afterwards every method that reaches the registries, the backend or the
     * networks' builder throws {@link IllegalStateException}.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            activations.close();
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this Kronograd SDK (" + backend.name() + ") is closed; build a new one with Kronograd.builder()");
        }
    }

    @Override
    public String toString() {
        return "Kronograd[backend=" + backend.name() + ", elementwiseThreads=" + elementwiseThreads + ", activations="
                + activations.names().size() + ", losses=" + losses.all().size() + (closed.get() ? ", closed" : "") + "]";
    }

    /**
     * Chooses the backend, plugin folders and threads, then assembles the SDK with Guice. Without
     * {@link #fromEnvironment()} or {@link #environment(Map, Properties)} it reads nothing from the
     * process: {@code auto}, no plugin folders, the default threads.
     */
    public static final class Builder {
        private String backend;
        private String backendSource = "Kronograd.Builder.backend";
        private final List<Path> pluginFolders = new ArrayList<>();
        private Map<String, String> environment = Map.of();
        private Properties systemProperties = new Properties();
        private ClassLoader classLoader = Kronograd.class.getClassLoader();
        private int elementwiseThreads;

        private Builder() {
        }

        /**
         * The most threads one network call may use for its elementwise work on large batches
         * (see {@link NetworkBuilder#elementwiseThreads(int)}); 1 keeps it on the caller's thread,
         * the right setting where the host already runs one computation per core. 0 (the default)
         * falls back to the environment when asked ({@code kronograd.elementwise.threads}, then
         * {@code KRONOGRAD_ELEMENTWISE_THREADS}), then {@link NetworkBuilder#defaultElementwiseThreads()}.
         *
         * @throws IllegalArgumentException if {@code threads} &lt; 0
         */
        public Builder elementwiseThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("elementwiseThreads must be ≥ 1, or 0 for the property/environment/default, was " + threads);
            }
            this.elementwiseThreads = threads;
            return this;
        }

        /**
         * The backend by name ({@code auto}, {@code ejml}, {@code netlib-native}, {@code netlib-java});
         * null falls back to the environment when asked ({@code kronograd.backend}, then
         * {@code KRONOGRAD_BACKEND}), then {@code auto}.
         */
        public Builder backend(String name) {
            return backend(name, "Kronograd.Builder.backend");
        }

        /**
         * {@link #backend(String)}, saying where the name came from for messages and the log line
         * (an application passes its own option, e.g. the CLI's {@code --backend}).
         */
        public Builder backend(String name, String source) {
            this.backend = name;
            this.backendSource = Objects.requireNonNull(source, "source");
            return this;
        }

        /** Adds a folder of activation plugin jars (null is ignored); only named folders are loaded. */
        public Builder pluginPath(Path folder) {
            if (folder != null) {
                pluginFolders.add(folder);
            }
            return this;
        }

        /**
         * Where backend, activation and loss providers are discovered with {@link java.util.ServiceLoader}
         * (default: the loader of Kronograd's own classes), for {@link #build()} and for
         * {@link Kronograd#backendListing()}. Pass a thread's context loader where jars are added at
         * run time, as Spark executors do with {@code --jars}.
         */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "classLoader");
            return this;
        }

        /**
         * Reads the configuration of this process, as the {@code kronograd} command does: the
         * backend from {@code -Dkronograd.backend}, else {@code KRONOGRAD_BACKEND}; plugin folders
         * from {@code -Dkronograd.plugin.path} and {@code KRONOGRAD_PLUGIN_PATH} (in addition to
         * {@link #pluginPath}); threads from {@code -Dkronograd.elementwise.threads}, else
         * {@code KRONOGRAD_ELEMENTWISE_THREADS}. Explicit settings on this builder win. The values are
         * read when {@link #build()} runs.
         */
        public Builder fromEnvironment() {
            return environment(System.getenv(), System.getProperties());
        }

        /**
         * Like {@link #fromEnvironment()}, from the given variables and properties instead of this
         * process's (for tests and hosts that keep their own configuration).
         */
        public Builder environment(Map<String, String> env, Properties properties) {
            this.environment = Objects.requireNonNull(env, "environment");
            this.systemProperties = Objects.requireNonNull(properties, "properties");
            return this;
        }

        /**
         * Selects the backend (logging the choice once) and assembles the SDK.
         *
         * @throws UnknownBackendException     when no backend has the requested name (the message lists the known ones)
         * @throws BackendUnavailableException when the named backend cannot run here (the message says why and how to fix it)
         * @throws IllegalArgumentException    when {@code kronograd.elementwise.threads} or {@code KRONOGRAD_ELEMENTWISE_THREADS}
         *                                     is read and is not a whole number ≥ 1 (the message names which)
         */
        public Kronograd build() {
            // Resolved first so that a bad property or variable fails with its own message, not Guice's wrapper,
            // before anything is opened; the explicit setting wins over both.
            int threads = elementwiseThreads > 0 ? elementwiseThreads : KronogradModule.elementwiseThreads(systemProperties, environment);
            BackendRequest request = backend != null && !backend.isBlank() ? new BackendRequest(backend, backendSource)
                    : BackendRequest.resolve(null, systemProperties, environment);
            SelectedBackend selected = BackendSelector.discover(classLoader).select(request);
            Module bindSelection = new AbstractModule() {
                @Override
                protected void configure() {
                    OptionalBinder.newOptionalBinder(binder(), SelectedBackend.class).setBinding().toInstance(selected);
                }
            };
            KronogradModule module = new KronogradModule(pluginFolders, environment, systemProperties, classLoader, threads);
            return Guice.createInjector(module, selected.module(), bindSelection).getInstance(Kronograd.class);
        }
    }
}
