package dev.kronograd.activations;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The activations available by name: the built-ins, every {@link Activation} provider that
 * {@link ServiceLoader} finds through a class loader (class path and module path), and every
 * provider in the jars of plugin folders.
 *
 * <pre>{@code
 * try (ActivationRegistry registry = ActivationRegistry.builder()
 *         .pluginFolder(Path.of("plugins"))      // e.g. from --plugin-path
 *         .pluginFoldersFromEnvironment()        // -Dkronograd.plugin.path, KRONOGRAD_PLUGIN_PATH
 *         .build()) {
 *     registry.problems().forEach(p -> log.warn("{}", p));
 *     Activation tanh = registry.get("tanh");
 * }
 * }</pre>
 *
 * <h2>Discovery order and problems</h2>
 * Built-ins come first, then the providers of the class loader (by default the registry's own),
 * then the plugin folders in the order they were added, each folder's {@code *.jar} files in
 * file-name order, each jar in its own {@link URLClassLoader} whose parent is the SDK's loader.
 * When two activations have the same name, the first one found wins. Loading never stops at a
 * bad plugin: a duplicate name, a name breaking {@code [a-z0-9-]+}, a provider that cannot be
 * loaded or whose constructor throws, a file that is not a valid jar, a jar without a service
 * file, a missing plugin folder — each becomes a {@link PluginProblem} naming the jar and class,
 * logged at WARN, and everything else stays usable. Callers list {@link #problems()}, or call
 * {@link #requireNoProblems()} (or build with {@link Builder#strict(boolean) strict(true)}) to
 * make any problem fatal.
 *
 * <h2>Lifetime</h2>
 * A registry is immutable and thread-safe once built. It owns the plugin class loaders, which
 * must stay open while plugin activations are used: {@link #close()} releases the jar files, after
 * which plugin activations may fail when they need a class not yet loaded. Built-ins and class
 * path activations are unaffected by {@code close()}.
 */
public final class ActivationRegistry implements AutoCloseable {
    /** System property holding plugin folders, separated by {@link File#pathSeparator}. */
    public static final String PLUGIN_PATH_PROPERTY = "kronograd.plugin.path";
    /** Environment variable holding plugin folders, separated by {@link File#pathSeparator}. */
    public static final String PLUGIN_PATH_ENVIRONMENT_VARIABLE = "KRONOGRAD_PLUGIN_PATH";
    /** The {@link RegisteredActivation#location()} of the built-ins. */
    public static final String BUILT_IN = "built-in";
    /** The rule for names: lower-case ASCII letters, digits and '-', at least one character. */
    public static final String NAME_RULE = "[a-z0-9-]+";

    private static final Pattern VALID_NAME = Pattern.compile(NAME_RULE);
    private static final Logger LOG = LoggerFactory.getLogger(ActivationRegistry.class);

    private final SortedMap<String, RegisteredActivation> byName;
    private final List<String> names;
    private final List<RegisteredActivation> activations;
    private final List<PluginProblem> problems;
    private final List<URLClassLoader> pluginLoaders;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ActivationRegistry(Discovery discovery) {
        this.byName = Collections.unmodifiableSortedMap(new TreeMap<>(discovery.found));
        this.names = List.copyOf(byName.keySet());
        this.activations = List.copyOf(byName.values());
        this.problems = List.copyOf(discovery.problems);
        this.pluginLoaders = List.copyOf(discovery.loaders);
    }

    /** A new builder: built-ins and the registry's own class loader, no plugin folders. */
    public static Builder builder() {
        return new Builder();
    }

    /** The package of the built-in activations (this module's own providers). */
    static final String BUILT_IN_PACKAGE = "dev.kronograd.activations.builtin";

    /**
     * Fresh instances of the built-in activations, sorted by name: the providers this module
     * registers itself ({@code provides} in its module descriptor, {@code META-INF/services} in its
     * jar) whose classes live in {@value #BUILT_IN_PACKAGE} next to this class. Found through
     * {@link ServiceLoader} so that the registry names none of their classes (the built-ins depend
     * on the SPI, never the other way round). Providers that fail to load are skipped here; the
     * registry's own scan reports them.
     */
    static List<Activation> builtIns() {
        List<Activation> out = new ArrayList<>();
        Iterator<ServiceLoader.Provider<Activation>> providers =
                ServiceLoader.load(Activation.class, ActivationRegistry.class.getClassLoader()).stream().iterator();
        for (int errors = 0; errors < Discovery.MAX_CONSECUTIVE_ERRORS; ) {
            ServiceLoader.Provider<Activation> provider;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                provider = providers.next();
                errors = 0;
            } catch (ServiceConfigurationError | LinkageError e) {
                errors++;
                continue;
            }
            Class<? extends Activation> type = provider.type();
            if (type.getPackageName().equals(BUILT_IN_PACKAGE) && sameOrigin(type, ActivationRegistry.class)) {
                out.add(provider.get());
            }
        }
        out.sort(Comparator.comparing(Activation::name));
        return List.copyOf(out);
    }

    /** The same named module, or on the class path the same jar or class folder. */
    private static boolean sameOrigin(Class<?> a, Class<?> b) {
        if (a.getModule().isNamed() || b.getModule().isNamed()) {
            return a.getModule() == b.getModule();
        }
        CodeSource ca = a.getProtectionDomain().getCodeSource();
        CodeSource cb = b.getProtectionDomain().getCodeSource();
        return ca != null && cb != null && Objects.equals(ca.getLocation(), cb.getLocation());
    }

    /** True if {@code name} follows the naming rule {@value #NAME_RULE}. */
    public static boolean isValidName(String name) {
        return name != null && VALID_NAME.matcher(name).matches();
    }

    /**
     * The activation called {@code name}.
     *
     * @throws UnknownActivationException if there is none; its message lists the available names
     *         and the plugin problems
     */
    public Activation get(String name) {
        return find(name).orElseThrow(() -> new UnknownActivationException(name, names, problems));
    }

    /** The activation called {@code name}, if there is one. */
    public Optional<Activation> find(String name) {
        return registration(name).map(RegisteredActivation::activation);
    }

    /**
     * The activation called {@code name} with its implementation class and location.
     *
     * @throws NullPointerException if {@code name} is null (also for {@link #get} and {@link #find})
     */
    public Optional<RegisteredActivation> registration(String name) {
        Objects.requireNonNull(name, "activation name");
        return Optional.ofNullable(byName.get(name));
    }

    /** All names, sorted. */
    public List<String> names() {
        return names;
    }

    /** All activations with implementation class and location, sorted by name. */
    public List<RegisteredActivation> activations() {
        return activations;
    }

    /** The problems met while loading, in the order they occurred; empty if all went well. */
    public List<PluginProblem> problems() {
        return problems;
    }

    /**
     * Returns this registry if loading met no problems.
     *
     * @throws PluginProblemsException listing every problem otherwise
     */
    public ActivationRegistry requireNoProblems() {
        if (!problems.isEmpty()) {
            throw new PluginProblemsException(problems);
        }
        return this;
    }

    /**
     * Closes the plugin class loaders (idempotent). Plugin activations may stop working
     * afterwards; built-ins and class path activations keep working.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeAll(pluginLoaders);
        }
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public String toString() {
        return "ActivationRegistry[" + names.size() + " activations: " + String.join(", ", names) + "; "
                + problems.size() + " problems]";
    }

    private static void closeAll(List<URLClassLoader> loaders) {
        for (URLClassLoader loader : loaders) {
            try {
                loader.close();
            } catch (IOException e) {
                LOG.warn("cannot close plugin class loader {}: {}", loader.getName(), e.toString());
            }
        }
    }

    /**
     * Collects the sources to load activations from. Not thread-safe; {@link #build()} may be
     * called more than once, each time loading afresh.
     */
    public static final class Builder {
        private ClassLoader classLoader;
        private final Set<Path> pluginFolders = new LinkedHashSet<>();
        private boolean strict;

        private Builder() {
        }

        /**
         * The class loader whose {@link ServiceLoader} providers (class path and module path) are
         * loaded after the built-ins; by default the registry's own. Plugin jars always get the
         * SDK's loader as parent, whatever this is.
         */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "classLoader");
            return this;
        }

        /**
         * Adds a folder whose {@code *.jar} files are loaded as plugins (not recursively). A
         * folder added twice is loaded once; a missing folder becomes a {@link PluginProblem}.
         */
        public Builder pluginFolder(Path folder) {
            pluginFolders.add(folder.toAbsolutePath().normalize());
            return this;
        }

        /**
         * Adds the plugin folders of a list separated by {@link File#pathSeparator} (':' on Unix,
         * ';' on Windows), as given to {@code --plugin-path}; empty entries are ignored.
         */
        public Builder pluginFolders(String pathList) {
            for (String entry : pathList.split(Pattern.quote(File.pathSeparator))) {
                if (!entry.isBlank()) {
                    pluginFolder(Path.of(entry.strip()));
                }
            }
            return this;
        }

        /**
         * Adds the plugin folders named by the system property {@value #PLUGIN_PATH_PROPERTY}
         * and then by the environment variable {@value #PLUGIN_PATH_ENVIRONMENT_VARIABLE}, read
         * from {@link System#getProperties()} and {@link System#getenv()} now.
         */
        public Builder pluginFoldersFromEnvironment() {
            return pluginFoldersFromEnvironment(System.getenv(), System.getProperties());
        }

        /**
         * Adds the plugin folders named by {@value #PLUGIN_PATH_PROPERTY} in
         * {@code systemProperties} and then by {@value #PLUGIN_PATH_ENVIRONMENT_VARIABLE} in
         * {@code environment}; either may be absent.
         */
        public Builder pluginFoldersFromEnvironment(Map<String, String> environment, Properties systemProperties) {
            String property = systemProperties.getProperty(PLUGIN_PATH_PROPERTY);
            if (property != null) {
                pluginFolders(property);
            }
            String variable = environment.get(PLUGIN_PATH_ENVIRONMENT_VARIABLE);
            if (variable != null) {
                pluginFolders(variable);
            }
            return this;
        }

        /** If true, {@link #build()} throws {@link PluginProblemsException} when any problem occurs. */
        public Builder strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        /**
         * Loads the activations.
         *
         * @throws PluginProblemsException in strict mode, if any problem occurred (the plugin class
         *         loaders are closed first)
         */
        public ActivationRegistry build() {
            Discovery discovery = new Discovery();
            discovery.addBuiltIns();
            discovery.scan(ServiceLoader.load(Activation.class,
                    classLoader != null ? classLoader : ActivationRegistry.class.getClassLoader()), null, null);
            for (Path folder : pluginFolders) {
                discovery.scanFolder(folder);
            }
            if (strict && !discovery.problems.isEmpty()) {
                closeAll(discovery.loaders);
                throw new PluginProblemsException(discovery.problems);
            }
            ActivationRegistry registry = new ActivationRegistry(discovery);
            LOG.debug("{}", registry);
            return registry;
        }
    }

    /** The mutable state of one {@link Builder#build()}. */
    private static final class Discovery {
        private static final String SERVICE_FILE = "META-INF/services/" + Activation.class.getName();
        private static final String CLASS_PATH = "class path";
        /** The class in ServiceLoader's messages ("S: Provider a.B not found", "S: a.B not a subtype"). */
        private static final Pattern PROVIDER_IN_MESSAGE =
                Pattern.compile("(?:Provider |: )([A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)+) ");
        /** A broken ServiceLoader iteration that keeps failing is abandoned after this many errors. */
        private static final int MAX_CONSECUTIVE_ERRORS = 100;

        final Map<String, RegisteredActivation> found = new TreeMap<>();
        final List<PluginProblem> problems = new ArrayList<>();
        final List<URLClassLoader> loaders = new ArrayList<>();
        private final Set<Class<?>> builtInTypes = new HashSet<>();

        void addBuiltIns() {
            for (Activation a : builtIns()) {
                builtInTypes.add(a.getClass());
                register(a, a.getClass(), BUILT_IN);
            }
        }

        void scanFolder(Path folder) {
            if (!Files.isDirectory(folder)) {
                problem(folder.toString(), null, Files.exists(folder) ? "the plugin folder is not a directory"
                        : "the plugin folder does not exist", null);
                return;
            }
            List<Path> jars;
            try (Stream<Path> files = Files.list(folder)) {
                jars = files.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar"))
                        .sorted().collect(Collectors.toList());
            } catch (IOException | UncheckedIOException e) {
                problem(folder.toString(), null, "cannot list the plugin folder: " + e, e);
                return;
            }
            LOG.debug("plugin folder {}: {} jar(s)", folder, jars.size());
            for (Path jar : jars) {
                scanJar(jar);
            }
        }

        private void scanJar(Path jar) {
            String where = jar.toString();
            try (JarFile file = new JarFile(jar.toFile())) {
                if (file.getEntry(SERVICE_FILE) == null) {
                    problem(where, null, "the jar registers no activation: it has no " + SERVICE_FILE + " entry", null);
                    return;
                }
            } catch (IOException | SecurityException e) {
                problem(where, null, "not a valid jar file: " + e.getMessage(), e);
                return;
            }
            URL url;
            try {
                url = jar.toUri().toURL();
            } catch (MalformedURLException e) {
                problem(where, null, "cannot turn the jar's path into a URL: " + e.getMessage(), e);
                return;
            }
            PluginClassLoader loader = new PluginClassLoader(jar, url, Activation.class.getClassLoader());
            int problemsBefore = problems.size();
            int registered = scan(ServiceLoader.load(Activation.class, loader), where, loader);
            if (registered > 0) {
                loaders.add(loader);
                return;
            }
            closeAll(List.of(loader));
            if (problems.size() == problemsBefore) {
                problem(where, null, "no activation was loaded: the classes its " + SERVICE_FILE
                        + " names are all found elsewhere first (on the class path or in the SDK)", null);
            }
        }

        /**
         * Registers every provider of {@code serviceLoader}. For a plugin jar, {@code jar} names it
         * and {@code onlyFrom} is its loader (providers from parent loaders are skipped); for a
         * class loader scan both are null and each class's code source is its location.
         *
         * @return how many activations were registered
         */
        int scan(ServiceLoader<Activation> serviceLoader, String jar, ClassLoader onlyFrom) {
            int registered = 0;
            int consecutiveErrors = 0;
            Iterator<ServiceLoader.Provider<Activation>> providers = serviceLoader.stream().iterator();
            while (true) {
                ServiceLoader.Provider<Activation> provider;
                try {
                    if (!providers.hasNext()) {
                        break;
                    }
                    provider = providers.next();
                    consecutiveErrors = 0;
                } catch (ServiceConfigurationError | LinkageError e) {
                    problem(jar != null ? jar : CLASS_PATH, providerClassIn(e), "cannot load the provider: " + e.getMessage(), e);
                    if (++consecutiveErrors >= MAX_CONSECUTIVE_ERRORS) {
                        problem(jar != null ? jar : CLASS_PATH, null, "gave up after " + consecutiveErrors
                                + " consecutive errors", null);
                        break;
                    }
                    continue;
                }
                Class<? extends Activation> type = provider.type();
                if (builtInTypes.contains(type) || onlyFrom != null && type.getClassLoader() != onlyFrom) {
                    continue;
                }
                String location = jar != null ? jar : locationOf(type);
                Activation activation;
                try {
                    activation = provider.get();
                } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                    Throwable cause = e instanceof ServiceConfigurationError && e.getCause() != null ? e.getCause() : e;
                    problem(location, type.getName(), "the provider could not be created, its constructor threw " + cause, cause);
                    continue;
                }
                if (register(activation, type, location)) {
                    registered++;
                }
            }
            return registered;
        }

        private boolean register(Activation activation, Class<?> type, String location) {
            String name;
            try {
                name = activation.name();
            } catch (RuntimeException e) {
                problem(location, type.getName(), "name() threw " + e, e);
                return false;
            }
            if (!isValidName(name)) {
                problem(location, type.getName(), (name == null ? "name() returned null" : "invalid activation name '" + name + "'")
                        + ": names must match " + NAME_RULE + " (lower-case letters, digits and '-')", null);
                return false;
            }
            RegisteredActivation first = found.get(name);
            if (first != null) {
                problem(location, type.getName(), "duplicate activation name '" + name + "': " + type.getName() + " from "
                        + location + " clashes with " + first.implementationClass() + " from " + first.location()
                        + ", which was found first and is kept", null);
                return false;
            }
            found.put(name, new RegisteredActivation(name, activation, type.getName(), location));
            LOG.debug("activation '{}': {} from {}", name, type.getName(), location);
            return true;
        }

        private void problem(String jar, String className, String message, Throwable cause) {
            PluginProblem p = new PluginProblem(jar, className, message, cause);
            problems.add(p);
            LOG.warn("activation plugin problem: {}", p);
            if (cause != null) {
                LOG.debug("cause of the problem with {}", jar, cause);
            }
        }

        private static String providerClassIn(Throwable e) {
            Matcher m = PROVIDER_IN_MESSAGE.matcher(String.valueOf(e.getMessage()));
            return m.find() ? m.group(1) : null;
        }

        private static String locationOf(Class<?> type) {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            URL url = source == null ? null : source.getLocation();
            if (url == null) {
                return "unknown location";
            }
            if ("file".equals(url.getProtocol())) {
                try {
                    return Path.of(url.toURI()).toString();
                } catch (URISyntaxException | IllegalArgumentException e) {
                    return url.toString();
                }
            }
            return url.toString();
        }
    }
}
