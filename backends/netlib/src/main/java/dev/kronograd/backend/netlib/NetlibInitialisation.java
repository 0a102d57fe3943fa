package dev.kronograd.backend.netlib;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.logging.Filter;

/**
 * Initialises netlib-java's instance builders with their messages routed to SLF4J.
 *
 * <p>netlib-java 3.0.4 chooses its implementations once per JVM, in the static initialiser of
 * {@code dev.ludovic.netlib.blas.InstanceBuilder} (and {@code …lapack.InstanceBuilder}), which runs
 * on the first use of any of them — {@code NativeBLAS.getInstance()} as much as
 * {@code JavaBLAS.getInstance()} — and tries native and pure-Java alike. Each expected fall-back
 * (no {@code jdk.incubator.vector} module: "Failed to load implementation from:
 * dev.ludovic.netlib.blas.VectorBLAS"; no system BLAS: "… JNIBLAS") is a java.util.logging
 * WARNING, which a host using SLF4J would see on stderr, outside its logging. The implementations
 * are package-private, so the fall-back itself cannot be bypassed; instead this class runs those
 * initialisers itself, first, with a {@link Filter} on their two java.util.logging loggers that
 * forwards each record to SLF4J ({@code dev.kronograd.backend.netlib.NetlibInitialisation}, DEBUG:
 * the backends' availability already says what loaded and why not) and drops it from
 * java.util.logging. The previous filters (normally none) are restored before it returns, so no
 * logger configuration outlives the initialisation; a host that initialised netlib before is not
 * affected (the initialisers do not run twice).
 */
final class NetlibInitialisation {
    private static final Logger LOG = LoggerFactory.getLogger(NetlibInitialisation.class);
    /** netlib's instance builders: their java.util.logging loggers carry their class names. */
    static final List<String> INSTANCE_BUILDERS = List.of("dev.ludovic.netlib.blas.InstanceBuilder",
            "dev.ludovic.netlib.lapack.InstanceBuilder");
    private static boolean done;

    private NetlibInitialisation() {
    }

    /** Runs netlib's instance builders' initialisers once, routing their messages to SLF4J. */
    static synchronized void initialise() {
        if (done) {
            return;
        }
        done = true;
        for (String builder : INSTANCE_BUILDERS) {
            // Held strongly while the filter is set: java.util.logging keeps loggers only weakly.
            java.util.logging.Logger jul = java.util.logging.Logger.getLogger(builder);
            Filter previous = jul.getFilter();
            jul.setFilter(record -> {
                if (previous == null || previous.isLoggable(record)) {
                    LOG.debug("netlib-java: {}", record.getMessage(), record.getThrown());
                }
                return false;
            });
            try {
                Class.forName(builder, true, NetlibInitialisation.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // The first real use reports it, with the backend's own explanation.
                LOG.debug("netlib-java: cannot initialise {}", builder, e);
            } finally {
                jul.setFilter(previous);
            }
        }
    }
}
