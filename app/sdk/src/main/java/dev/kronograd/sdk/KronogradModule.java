package dev.kronograd.sdk;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import dev.kronograd.activations.ActivationRegistry;
import dev.kronograd.backend.Availability;
import dev.kronograd.backend.BackendStatus;
import dev.kronograd.backend.SelectedBackend;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.operator.Operators;
import dev.kronograd.sdk.loss.LossRegistry;
import dev.kronograd.sdk.nn.NetworkBuilder;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Kronograd's public Guice module, for hosts that install the SDK into their own injector:
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(
 *         new KronogradModule(),          // activations, losses, operators, the Kronograd facade
 *         new EjmlBackendModule());       // the host picks the backend: binds LinearAlgebra
 * Kronograd sdk = injector.getInstance(Kronograd.class);
 * …
 * sdk.close();                            // at shutdown: releases plugin class loaders and jar files
 * }</pre>
 *
 * It needs a binding for {@link LinearAlgebra} from exactly one backend module
 * ({@code EjmlBackendModule}, {@code NetlibNativeBackendModule}, {@code NetlibJavaBackendModule},
 * or the host's own). {@link Kronograd#builder()} does the same wiring with a backend chosen by
 * name. {@code configure()} does no work; everything is built lazily, once, as singletons. The
 * singleton {@link Kronograd} owns the {@link ActivationRegistry} this module provides: closing it
 * closes the registry.
 *
 * <p>The module reads no environment variable or system property unless built with
 * {@link #fromEnvironment()}: plugin jars are loaded only from the folders the host names.
 */
public final class KronogradModule extends AbstractModule {
    private final List<Path> pluginFolders;
    private final Map<String, String> environment;
    private final Properties systemProperties;
    private final ClassLoader classLoader;
    /** ≥ 1: set by the caller; 0: from the environment (when given one), else the default. */
    private final int elementwiseThreads;

    /** Built-in and class-path activations; no plugin folders; reads nothing from the process. */
    public KronogradModule() {
        this(List.of());
    }

    /**
     * Built-in and class-path activations plus the plugin jars in {@code pluginFolders}; reads
     * nothing from the process.
     *
     * @param pluginFolders folders whose jars are loaded as activation plugins
     */
    public KronogradModule(List<Path> pluginFolders) {
        this(pluginFolders, Map.of(), new Properties());
    }

    /**
     * A module configured by this process, as the {@code kronograd} command is: plugin folders from
     * {@code -Dkronograd.plugin.path} and {@code KRONOGRAD_PLUGIN_PATH}, elementwise threads from
     * {@code -Dkronograd.elementwise.threads}, else {@code KRONOGRAD_ELEMENTWISE_THREADS}.
     */
    public static KronogradModule fromEnvironment() {
        return new KronogradModule(List.of(), System.getenv(), System.getProperties());
    }

    /**
     * @param pluginFolders    folders whose jars are loaded as activation plugins
     * @param environment      where {@code KRONOGRAD_PLUGIN_PATH} and {@code KRONOGRAD_ELEMENTWISE_THREADS} are read
     * @param systemProperties where {@code kronograd.plugin.path} and {@code kronograd.elementwise.threads} are read
     */
    public KronogradModule(List<Path> pluginFolders, Map<String, String> environment, Properties systemProperties) {
        this(pluginFolders, environment, systemProperties, KronogradModule.class.getClassLoader());
    }

    /**
     * @param pluginFolders    folders whose jars are loaded as activation plugins
     * @param environment      where {@code KRONOGRAD_PLUGIN_PATH} and {@code KRONOGRAD_ELEMENTWISE_THREADS} are read
     * @param systemProperties where {@code kronograd.plugin.path} and {@code kronograd.elementwise.threads} are read
     * @param classLoader      where {@link java.util.ServiceLoader} looks for activation, loss and
     *                         backend providers (e.g. a container's or Spark executor's context loader,
     *                         which also sees jars added at run time); the parent of plugin-folder loaders
     */
    public KronogradModule(List<Path> pluginFolders, Map<String, String> environment, Properties systemProperties,
                           ClassLoader classLoader) {
        this(pluginFolders, environment, systemProperties, classLoader, 0);
    }

    KronogradModule(List<Path> pluginFolders, Map<String, String> environment, Properties systemProperties,
                    ClassLoader classLoader, int elementwiseThreads) {
        this.pluginFolders = List.copyOf(pluginFolders);
        this.environment = Map.copyOf(environment);
        this.systemProperties = (Properties) systemProperties.clone();
        this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
        this.elementwiseThreads = elementwiseThreads;
    }

    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), SelectedBackend.class);
    }

    @Provides
    @Singleton
    Operators operators(LinearAlgebra la) {
        return Operators.using(la);
    }

    @Provides
    @Singleton
    ActivationRegistry activationRegistry() {
        ActivationRegistry.Builder builder = ActivationRegistry.builder().classLoader(classLoader);
        for (Path folder : pluginFolders) {
            builder.pluginFolder(folder);
        }
        return builder.pluginFoldersFromEnvironment(environment, systemProperties).build();
    }

    @Provides
    @Singleton
    LossRegistry lossRegistry() {
        return LossRegistry.load(classLoader);
    }

    @Provides
    @Singleton
    Kronograd kronograd(Operators ops, ActivationRegistry activations, LossRegistry losses,
                        java.util.Optional<SelectedBackend> backend) {
        SelectedBackend selected = backend.orElseGet(() -> hostBound(ops.linearAlgebra()));
        int threads = elementwiseThreads > 0 ? elementwiseThreads : elementwiseThreads(systemProperties, environment);
        return new Kronograd(ops, activations, losses, selected, threads, classLoader);
    }

    /** The description of a {@code LinearAlgebra} the host bound itself (no selection happened). */
    private static SelectedBackend hostBound(LinearAlgebra la) {
        String reason = "bound by the host application";
        BackendStatus status = new BackendStatus(la.name(), 0, la.getClass().getName(), Availability.available(reason));
        return new SelectedBackend(status, reason, binder -> { });
    }

    /** System property read for the SDK-wide {@code elementwiseThreads} default. */
    static final String THREADS_PROPERTY = "kronograd.elementwise.threads";
    /** Environment variable read when the property is not set. */
    static final String THREADS_ENV = "KRONOGRAD_ELEMENTWISE_THREADS";

    /**
     * {@code -Dkronograd.elementwise.threads}, else {@code KRONOGRAD_ELEMENTWISE_THREADS}, else
     * {@link NetworkBuilder#defaultElementwiseThreads()}.
     *
     * @throws IllegalArgumentException naming the property or variable when its value is not an integer ≥ 1
     */
    static int elementwiseThreads(Properties properties, Map<String, String> env) {
        String property = properties.getProperty(THREADS_PROPERTY);
        if (property != null && !property.isBlank()) {
            return parseThreads(property, "system property " + THREADS_PROPERTY);
        }
        String variable = env.get(THREADS_ENV);
        if (variable != null && !variable.isBlank()) {
            return parseThreads(variable, "environment variable " + THREADS_ENV);
        }
        return NetworkBuilder.defaultElementwiseThreads();
    }

    private static int parseThreads(String value, String source) {
        int threads;
        try {
            threads = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + " is '" + value + "'; expected a whole number of threads ≥ 1 (1 = the caller's thread only)", e);
        }
        if (threads < 1) {
            throw new IllegalArgumentException(source + " is " + threads + "; expected a whole number of threads ≥ 1 (1 = the caller's thread only)");
        }
        return threads;
    }
}
