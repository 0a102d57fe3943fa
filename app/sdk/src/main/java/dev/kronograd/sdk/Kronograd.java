package dev.kronograd.sdk;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Module;
import dev.kronograd.activations.Activation;
import dev.kronograd.activations.ActivationRegistry;
import dev.kronograd.activations.PluginProblem;
import dev.kronograd.activations.RegisteredActivation;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.loss.LossRegistry;
import dev.kronograd.sdk.nn.NetworkBuilder;
import dev.kronograd.backend.BackendRequest;
import dev.kronograd.backend.BackendSelector;
import dev.kronograd.backend.BackendStatus;
import dev.kronograd.backend.BackendUnavailableException;
import dev.kronograd.backend.SelectedBackend;
import dev.kronograd.backend.UnknownBackendException;
import dev.kronograd.backend.Availability;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.operator.Operators;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The assembled SDK: a linear-algebra backend, the activation and loss registries, and the
 * operator algebra, wired with Guice. Immutable and safe to share between threads.
 *
 * <pre>{@code
 * Kronograd k = Kronograd.create();                       // backend "auto", built-in activations
 * Network net = k.network().layer(w, b, "tanh").build();
 * Gradient g = net.gradient(x, k.loss("squared-error"), y);
 * DenseMatrix dW = g.weights(0);  DenseVector db = g.bias(0);
 * }</pre>
 *
 * Hosts with their own injector install {@link KronogradModule} instead.
 */
public final class Kronograd {
    private final Operators ops;
    private final ActivationRegistry activations;
    private final LossRegistry losses;
    private final BackendDescription backend;
    private final int elementwiseThreads;

    Kronograd(Operators ops, ActivationRegistry activations, LossRegistry losses, BackendDescription backend,
              int elementwiseThreads) {
        this.ops = ops;
        this.activations = activations;
        this.losses = losses;
        this.backend = backend;
        this.elementwiseThreads = elementwiseThreads;
    }

    /** The SDK on the backend chosen by {@code kronograd.backend} / {@code KRONOGRAD_BACKEND}, else {@code auto}. */
    public static Kronograd create() {
        return builder().build();
    }

    /** A builder for choosing the backend and plugin folders. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder for a network computing on this SDK's backend, resolving activations by name here. */
    public NetworkBuilder network() {
        return new NetworkBuilder(ops, activations::get).elementwiseThreads(elementwiseThreads);
    }

    /**
     * The {@link NetworkBuilder#elementwiseThreads(int) elementwiseThreads} of this SDK's networks:
     * {@link Builder#elementwiseThreads(int)}, else {@code -Dkronograd.elementwise.threads}, else
     * {@code KRONOGRAD_ELEMENTWISE_THREADS}, else {@link NetworkBuilder#defaultElementwiseThreads()}.
     */
    public int elementwiseThreads() {
        return elementwiseThreads;
    }

    /** The loss called {@code name} ({@code squared-error}, {@code softmax-cross-entropy}, …). */
    public Loss loss(String name) {
        return losses.get(name);
    }

    /** The activation called {@code name}. */
    public Activation activation(String name) {
        return activations.get(name);
    }

    /** The operator factory on this SDK's backend. */
    public Operators operators() {
        return ops;
    }

    /** The backend every computation goes through. */
    public LinearAlgebra linearAlgebra() {
        return ops.linearAlgebra();
    }

    /** The activation registry (built-ins, class path, plugin folders). */
    public ActivationRegistry activations() {
        return activations;
    }

    /** The loss registry. */
    public LossRegistry losses() {
        return losses;
    }

    /** The backend's name, e.g. {@code ejml}. */
    public String backendName() {
        return backend.name();
    }

    /** Why this backend was chosen, or which native library was loaded. */
    public String backendDetail() {
        return backend.detail();
    }

    /**
     * One registered activation for listings.
     *
     * @param name                its name
     * @param implementationClass the class
     * @param source              the jar it came from, or {@code built-in}
     */
    public record ActivationInfo(String name, String implementationClass, String source) {
    }

    /** Every activation with class and source, sorted by name. */
    public List<ActivationInfo> activationListing() {
        List<ActivationInfo> out = new ArrayList<>();
        for (RegisteredActivation r : activations.activations()) {
            out.add(new ActivationInfo(r.name(), r.implementationClass(), r.location()));
        }
        return out;
    }

    /** One line per plugin problem (jar, class, reason); the working activations stay usable. */
    public List<String> pluginProblems() {
        List<String> out = new ArrayList<>();
        for (PluginProblem p : activations.problems()) {
            out.add(p.toString());
        }
        return out;
    }

    /**
     * One backend for listings.
     *
     * @param name      its name
     * @param speedRank higher is faster
     * @param available whether it can run here
     * @param detail    the library loaded, or why it is unavailable and how to fix it
     * @param selected  whether this SDK computes with it
     */
    public record BackendInfo(String name, int speedRank, boolean available, String detail, boolean selected) {
    }

    /** Every backend this class path provides, with availability. */
    public List<BackendInfo> backendListing() {
        List<BackendInfo> out = new ArrayList<>();
        for (BackendStatus s : BackendSelector.discover(Kronograd.class.getClassLoader()).list()) {
            Availability a = s.availability();
            out.add(new BackendInfo(s.name(), s.speedRank(), a.available(), a.toString(), s.name().equals(backend.name())));
        }
        return out;
    }

    @Override
    public String toString() {
        return "Kronograd[backend=" + backend.name() + ", elementwiseThreads=" + elementwiseThreads + ", activations=" + activations.names().size() + ", losses=" + losses.all().size() + "]";
    }

    /** Chooses the backend and plugin folders, then assembles the SDK with Guice. */
    public static final class Builder {
        private String backend;
        private final List<Path> pluginFolders = new ArrayList<>();
        private Map<String, String> environment = System.getenv();
        private Properties systemProperties = System.getProperties();
        private ClassLoader classLoader = Kronograd.class.getClassLoader();
        private int elementwiseThreads;

        private Builder() {
        }

        /**
         * The most threads one network call may use for its elementwise work on large batches
         * (see {@link NetworkBuilder#elementwiseThreads(int)}); 1 keeps it on the caller's thread,
         * the right setting where the host already runs one computation per core. 0 (the default)
         * falls back to {@code kronograd.elementwise.threads}, then {@code KRONOGRAD_ELEMENTWISE_THREADS},
         * then {@link NetworkBuilder#defaultElementwiseThreads()}.
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
         * The backend by name ({@code auto}, {@code ejml}, {@code netlib-native}, {@code netlib-java}),
         * as from {@code --backend}; null falls back to {@code kronograd.backend}, then
         * {@code KRONOGRAD_BACKEND}, then {@code auto}.
         */
        public Builder backend(String name) {
            this.backend = name;
            return this;
        }

        /** Adds a folder of activation plugin jars (null is ignored). */
        public Builder pluginPath(Path folder) {
            if (folder != null) {
                pluginFolders.add(folder);
            }
            return this;
        }

        /**
         * Where backend, activation and loss providers are discovered with {@link java.util.ServiceLoader}
         * (default: the loader of Kronograd's own classes). Pass a thread's context loader where jars
         * are added at run time, as Spark executors do with {@code --jars}.
         */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "classLoader");
            return this;
        }

        /** Where {@code KRONOGRAD_*} variables and {@code kronograd.*} properties are read (default: this process's). */
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
         *                                     is not a whole number ≥ 1 (the message names which)
         */
        public Kronograd build() {
            SelectedBackend selected = BackendSelector.discover(classLoader)
                    .select(BackendRequest.resolve(backend, systemProperties, environment));
            BackendDescription description = new BackendDescription(selected.name(), selected.reason());
            Module bindDescription = new AbstractModule() {
                @Override
                protected void configure() {
                    com.google.inject.multibindings.OptionalBinder.newOptionalBinder(binder(), BackendDescription.class)
                            .setBinding().toInstance(description);
                }
            };
            // Resolved here so that a bad property or variable fails with its own message, not Guice's wrapper;
            // the explicit setting wins over both.
            int threads = elementwiseThreads > 0 ? elementwiseThreads : KronogradModule.elementwiseThreads(systemProperties, environment);
            Properties properties = (Properties) systemProperties.clone();
            properties.setProperty(KronogradModule.THREADS_PROPERTY, Integer.toString(threads));
            return Guice.createInjector(new KronogradModule(pluginFolders, environment, properties, classLoader),
                    selected.module(), bindDescription).getInstance(Kronograd.class);
        }
    }
}
