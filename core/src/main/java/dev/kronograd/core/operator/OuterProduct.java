package dev.kronograd.core.operator;

import java.util.Locale;
import java.util.Optional;

/**
 * The overwriting outer product C (m×n, column-major, leading dimension ldc ≥ m) = u·wᵀ, u
 * contiguous, w with increment {@code incw}; C is written without being read, and entries of
 * its storage outside the m×n block (the rows m..ldc−1 of each column) are left untouched.
 *
 * <p>Two kernels compute it with the same products, rounded the same way (one multiplication per
 * element, no fused multiply-add), so their results are bit-identical:
 * <ul>
 *   <li>{@link VectorKernels}: explicit vectors of the incubating Vector API
 *       ({@code jdk.incubator.vector}), ≈ 1.8× faster at m = n = 64;</li>
 *   <li>{@link #scalar}: per column a copy of u scaled in place, which C2 vectorises.</li>
 * </ul>
 * The vector kernel is chosen once, when this class initialises, if the JVM resolved the module
 * {@code jdk.incubator.vector} in its boot layer ({@code --add-modules jdk.incubator.vector}, as
 * the {@code ./kronograd} launcher does) and the system property {@value #PROPERTY} is not
 * {@code false}. Without the module, with {@code -Dkronograd.vectorApi=false}, when the
 * widest vector species holds a single double, or when the vector class fails to load (the
 * cause is logged as a warning), the scalar kernel runs. The choice is logged once at DEBUG level
 * through {@link System.Logger}.
 *
 * <p>The vector kernel is fast only in C2-compiled code: interpreted and C1 code box every vector.
 * Its first calls are therefore slower than the scalar kernel and allocate short-lived garbage,
 * and a JVM without C2 ({@code -XX:TieredStopAtLevel=1}, {@code -Xint}) should run with
 * {@code -Dkronograd.vectorApi=false} (there the vector kernel measured ≈ 20× slower).
 */
final class OuterProduct {

    /** The system property that, set to {@code false}, keeps the scalar kernel even with the module present. */
    static final String PROPERTY = "kronograd.vectorApi";

    /** The incubating module the vector kernel needs. */
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    private static final System.Logger LOG = System.getLogger(OuterProduct.class.getName());

    /** Which kernel runs and why, e.g. "Vector API, 8 lanes of double". */
    static final String SELECTION;

    /** True when {@link VectorKernels} runs; a constant, so the JIT drops the other branch. */
    static final boolean VECTOR_API;

    static {
        Selection selection = select();
        VECTOR_API = selection.vectorApi();
        SELECTION = selection.reason();
        LOG.log(System.Logger.Level.DEBUG, "outer product kernel: {0}", SELECTION);
    }

    private OuterProduct() {
    }

    /** C = u·wᵀ with the kernel chosen at start-up; see the class comment for the storage. */
    static void overwrite(int m, int n, double[] u, int uOff, double[] w, int wOff, int incw,
                          double[] c, int cOff, int ldc) {
        if (VECTOR_API) {
            VectorKernels.outerProduct(m, n, u, uOff, w, wOff, incw, c, cOff, ldc);
        } else {
            scalar(m, n, u, uOff, w, wOff, incw, c, cOff, ldc);
        }
    }

    /**
     * The kernel without the Vector API. Each column is a copy of u scaled in place: C2 (JDK 17)
     * does not vectorise {@code c[col + i] = u[uOff + i]·w_j} (u and c may be one array at other
     * offsets), but it does vectorise the in-place scaling, and the column is in L1 between the
     * two steps (≈ 2× faster at m = n = 64 than the scalar loop; docs/BENCHMARKS.md).
     */
    static void scalar(int m, int n, double[] u, int uOff, double[] w, int wOff, int incw,
                       double[] c, int cOff, int ldc) {
        for (int j = 0; j < n; j++) {
            double wj = w[wOff + j * incw];
            int col = cOff + j * ldc;
            System.arraycopy(u, uOff, c, col, m);
            for (int i = col; i < col + m; i++) {
                c[i] *= wj;
            }
        }
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
            // A named core reads the module through "requires static" when the boot layer has it;
            // in a layer that did not resolve it, reading it here is still allowed (our own module).
            Module self = OuterProduct.class.getModule();
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
            Selection scalar = new Selection(false, "scalar (" + VECTOR_MODULE + " is present but the vector kernel failed to load: " + e + ")");
            LOG.log(System.Logger.Level.WARNING, "outer product kernel: " + scalar.reason(), e);
            return scalar;
        }
    }
}
