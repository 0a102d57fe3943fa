package dev.kronograd.backend;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Chooses the linear-algebra backend — the one place where that happens. Backends are
 * {@link BackendProvider}s found with {@link ServiceLoader}; a {@link BackendRequest} names one or
 * asks for {@code auto}.
 *
 * <ul>
 *   <li>{@code auto}: the available backend with the highest speed rank. Higher-ranked ones that
 *       are unavailable are named in the reason, with why.</li>
 *   <li>a name: that backend, or {@link BackendUnavailableException} saying why it cannot run
 *       (never a silent fallback), or {@link UnknownBackendException} listing the known names.</li>
 * </ul>
 * Each {@link #select} logs its outcome once at INFO (name and reason; for a native backend the
 * library file loaded). The selector holds no static state; availability is cached by each
 * provider. Immutable and thread-safe.
 */
public final class BackendSelector {

    private static final Logger LOG = LoggerFactory.getLogger(BackendSelector.class);

    private static final Comparator<BackendProvider> FASTEST_FIRST =
            Comparator.comparingInt(BackendProvider::speedRank).reversed().thenComparing(BackendProvider::name);

    /** By name, fastest first. */
    private final Map<String, BackendProvider> providers;
    private final Consumer<String> announcer;

    /**
     * A selector over the given providers (e.g. the discovered ones, or a host's own).
     *
     * @throws IllegalStateException when two providers share a name (naming both classes)
     */
    public BackendSelector(List<? extends BackendProvider> providers) {
        this(providers, LOG::info);
    }

    /** With the INFO announcement redirected, so tests can count it. */
    BackendSelector(List<? extends BackendProvider> providers, Consumer<String> announcer) {
        Map<String, BackendProvider> byName = new LinkedHashMap<>();
        providers.stream().sorted(FASTEST_FIRST).forEach(p -> {
            BackendProvider previous = byName.putIfAbsent(p.name(), p);
            if (previous != null) {
                throw new IllegalStateException("two backends are named '" + p.name() + "': " + describe(previous)
                        + " and " + describe(p) + "; remove one of the jars");
            }
        });
        this.providers = Map.copyOf(byName);
        this.announcer = Objects.requireNonNull(announcer, "announcer");
        byName.values().forEach(p -> LOG.debug("found backend {} (rank {}): {}", p.name(), p.speedRank(), describe(p)));
    }

    /**
     * The backends registered with {@link ServiceLoader} visible from {@code loader}
     * ({@code META-INF/services/dev.kronograd.backend.BackendProvider} on the class path,
     * {@code provides} on the module path).
     */
    public static BackendSelector discover(ClassLoader loader) {
        List<BackendProvider> found = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, loader).forEach(found::add);
        return new BackendSelector(found);
    }

    /** Every backend, fastest first, with its availability and detail. Loads native libraries if not yet done. */
    public List<BackendStatus> list() {
        return fastestFirst().stream().map(BackendSelector::statusOf).collect(Collectors.toList());
    }

    /** The names a request may use: {@code auto}, then every backend, fastest first. */
    public List<String> knownNames() {
        List<String> names = new ArrayList<>();
        names.add(BackendRequest.AUTO);
        fastestFirst().forEach(p -> names.add(p.name()));
        return names;
    }

    /**
     * Resolves {@code request} to a backend and logs the outcome once at INFO.
     *
     * @throws UnknownBackendException     when no backend has the requested name
     * @throws BackendUnavailableException when the named backend (or, for auto, every backend) cannot run here
     */
    public SelectedBackend select(BackendRequest request) {
        SelectedBackend selected = request.isAuto() ? selectAuto() : selectNamed(request);
        announcer.accept("BLAS backend: " + selected.name() + " — " + selected.reason());
        return selected;
    }

    private SelectedBackend selectAuto() {
        List<String> skipped = new ArrayList<>();
        for (BackendProvider p : fastestFirst()) {
            Availability availability = availabilityOf(p);
            if (availability.available()) {
                String reason = "auto: " + (skipped.isEmpty() ? "highest-ranked available backend"
                        : "next-ranked available backend, since " + String.join("; ", skipped))
                        + " (rank " + p.speedRank() + "); " + availability.detail();
                return new SelectedBackend(statusOf(p, availability), reason, p.module());
            }
            skipped.add(p.name() + " is unavailable: " + availability.detail());
        }
        throw new BackendUnavailableException(BackendRequest.AUTO, "no backend is available"
                + (skipped.isEmpty() ? " (none was found: put kronograd-backend-netlib or kronograd-backend-ejml on the class path)"
                : ": " + String.join("; ", skipped)), null);
    }

    private SelectedBackend selectNamed(BackendRequest request) {
        BackendProvider p = providers.get(request.name());
        if (p == null) {
            throw new UnknownBackendException(request, knownNames());
        }
        Availability availability = availabilityOf(p);
        if (!availability.available()) {
            throw new BackendUnavailableException(p.name(), "backend '" + p.name() + "' was requested by " + request.source()
                    + " but is unavailable: " + availability.detail()
                    + availability.causeIfAny().map(c -> " [cause: " + c + "]").orElse(""), availability.cause());
        }
        return new SelectedBackend(statusOf(p, availability), "requested by " + request.source() + "; " + availability.detail(), p.module());
    }

    private List<BackendProvider> fastestFirst() {
        return providers.values().stream().sorted(FASTEST_FIRST).collect(Collectors.toList());
    }

    private static BackendStatus statusOf(BackendProvider p) {
        return statusOf(p, availabilityOf(p));
    }

    private static BackendStatus statusOf(BackendProvider p, Availability availability) {
        return new BackendStatus(p.name(), p.speedRank(), p.description(), availability);
    }

    /** A provider's availability; one that breaks its never-throw contract is reported unavailable with the error. */
    private static Availability availabilityOf(BackendProvider p) {
        try {
            return Objects.requireNonNull(p.availability(), "availability() returned null");
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable(p.getClass().getName() + ".availability() failed", e);
        }
    }

    private static String describe(BackendProvider p) {
        CodeSource source = p.getClass().getProtectionDomain().getCodeSource();
        return p.getClass().getName() + " from " + (source == null || source.getLocation() == null ? "an unknown location" : source.getLocation());
    }
}
