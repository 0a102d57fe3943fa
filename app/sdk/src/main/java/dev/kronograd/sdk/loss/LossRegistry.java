package dev.kronograd.sdk.loss;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The losses found through {@link ServiceLoader} (built-ins: {@code squared-error},
 * {@code softmax-cross-entropy}). Immutable and thread-safe once built. Duplicate or malformed
 * names fail loudly: a loss is a small, trusted extension point.
 */
public final class LossRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(LossRegistry.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+");

    private final Map<String, Loss> byName;

    private LossRegistry(Map<String, Loss> byName) {
        this.byName = Collections.unmodifiableMap(new TreeMap<>(byName));
    }

    /** The losses visible to {@code loader}. */
    public static LossRegistry load(ClassLoader loader) {
        Map<String, Loss> found = new TreeMap<>();
        try {
            for (Loss loss : ServiceLoader.load(Loss.class, loader)) {
                register(found, loss);
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("a loss provider could not be loaded: " + e.getMessage(), e);
        }
        return new LossRegistry(found);
    }

    /** Exactly the given losses (for tests and hosts that assemble their own). */
    public static LossRegistry of(Loss... losses) {
        Map<String, Loss> found = new TreeMap<>();
        for (Loss loss : losses) {
            register(found, loss);
        }
        return new LossRegistry(found);
    }

    private static void register(Map<String, Loss> found, Loss loss) {
        String name = loss.name();
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalStateException("loss " + loss.getClass().getName() + " has name '" + name + "'; names must match [a-z0-9-]+");
        }
        Loss previous = found.putIfAbsent(name, loss);
        if (previous != null && previous.getClass() != loss.getClass()) {
            throw new IllegalStateException("two losses are named '" + name + "': " + previous.getClass().getName() + " and "
                    + loss.getClass().getName());
        }
        LOG.debug("loss '{}' from {}", name, loss.getClass().getName());
    }

    /** The loss called {@code name}. */
    public Loss get(String name) {
        Loss loss = byName.get(name);
        if (loss == null) {
            throw new UnknownLossException("unknown loss '" + name + "'; known losses: " + String.join(", ", byName.keySet()));
        }
        return loss;
    }

    /** Every loss by name, sorted. */
    public Map<String, Loss> all() {
        return byName;
    }
}
