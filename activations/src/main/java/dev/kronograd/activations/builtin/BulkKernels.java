package dev.kronograd.activations.builtin;

import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses, once, whether the bulk σ-and-σ' kernels of {@link Tanh} and {@link Sigmoid} run on
 * {@link VectorKernels} (the incubating Vector API) or on their scalar loops; both give the same
 * results, bit for bit. The vector kernels are chosen if the JVM resolved the module
 * {@code jdk.incubator.vector} in its boot layer ({@code --add-modules jdk.incubator.vector}, as the
 * {@code ./kronograd} launcher does) and the system property {@value #PROPERTY} (shared with core's
 * vector kernels) is not {@code false}. Without the module, with {@code -Dkronograd.vectorApi=false},
 * when the widest vector species holds a single double, or when the vector class fails to load
 * (logged as a warning), the scalar loops run. The choice is logged once at DEBUG level.
 *
 * <p>The vector kernels are fast only in C2-compiled code (interpreted and C1 code box every
 * vector); a JVM without C2 ({@code -XX:TieredStopAtLevel=1}, {@code -Xint}) should run with
 * {@code -Dkronograd.vectorApi=false}.
 */
final class BulkKernels {
    /** The system property that, set to {@code false}, keeps the scalar loops even with the module present. */
    static final String PROPERTY = "kronograd.vectorApi";

    /** The incubating module the vector kernels need. */
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    private static final Logger LOG = LoggerFactory.getLogger(BulkKernels.class);

    /** Which kernels run and why, e.g. "Vector API, 8 lanes of double". */
    static final String SELECTION;

    /** True when {@link VectorKernels} runs; a constant, so the JIT drops the other branch. */
    static final boolean VECTOR_API;

    static {
        Selection selection = select();
        VECTOR_API = selection.vectorApi();
        SELECTION = selection.reason();
        LOG.debug("tanh and sigmoid bulk kernels: {}", SELECTION);
    }

    private BulkKernels() {
    }

    private record Selection(boolean vectorApi, String reason) {
    }

    private static Selection select() {
        String property = System.getProperty(PROPERTY);
        if (property != null && property.trim().toLowerCase(Locale.ROOT).equals("false")) {
            return new Selection(false, "scalar (" + PROPERTY + "=false)");
        }
        Optional<Module> vector = ModuleLayer.boot().findModule(VECTOR_MODULE);
        if (vector.isEmpty()) {
            return new Selection(false, "scalar (module " + VECTOR_MODULE + " not in the boot layer; add --add-modules "
                    + VECTOR_MODULE + ")");
        }
        try {
            // A named module reads it through "requires static" when the boot layer has it; in a layer
            // that did not resolve it, adding the read edge here is still allowed (our own module).
            Module self = BulkKernels.class.getModule();
            if (self.isNamed() && !self.canRead(vector.get())) {
                self.addReads(vector.get());
            }
            int lanes = VectorKernels.lanes();
            if (lanes < 2) {
                // A one-lane species (e.g. -XX:MaxVectorSize=8) is not intrinsified: every "vector" is boxed.
                return new Selection(false, "scalar (vectors of " + lanes + " double only)");
            }
            return new Selection(true, "Vector API, " + lanes + " lanes of double");
        } catch (LinkageError e) {
            Selection scalar = new Selection(false, "scalar (" + VECTOR_MODULE
                    + " is present but the vector kernel failed to load: " + e + ")");
            LOG.warn("tanh and sigmoid bulk kernels: {}", scalar.reason(), e);
            return scalar;
        }
    }
}
