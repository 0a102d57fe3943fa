package dev.kronograd.backend.netlib;

import dev.kronograd.backend.Availability;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.Transpose;
import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.lapack.JavaLAPACK;
import dev.ludovic.netlib.lapack.LAPACK;
import dev.ludovic.netlib.lapack.NativeLAPACK;
import org.netlib.util.intW;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Objects;

/**
 * {@link LinearAlgebra} on {@code dev.ludovic.netlib:blas} 3.0.4, whose BLAS interface takes arrays
 * with offsets, leading dimensions and increments — a direct fit: every kernel is one call
 * (gemm → dgemm, gemv → dgemv, ger → dger, axpy → daxpy, dot → ddot, scal → dscal).
 *
 * <p>Two flavours:
 * <ul>
 *   <li>{@link #nativeBlas()} ({@code netlib-native}): JNI to the system BLAS (e.g. OpenBLAS).
 *       Each JNI call costs ≈ 70–130 ns, and a multi-threaded OpenBLAS also wakes its threads for
 *       mid-sized level-1/2 calls, which costs microseconds; so calls below the measured
 *       {@link Thresholds} run netlib's pure-Java BLAS instead, and the native backend never
 *       loses to pure Java. Measured with JMH on a 2-core AMD EPYC, OpenBLAS 0.3.21
 *       (docs/backends.md): gemm goes native from m·n·k ≥ 12³; gemv from m·n ≥ 48² when OpenBLAS
 *       runs one thread ({@code OPENBLAS_NUM_THREADS=1}) and never when it runs several; ger and
 *       level 1 (memory-bound) never.</li>
 *   <li>{@link #javaBlas()} ({@code netlib-java}): netlib's pure-Java BLAS —
 *       {@code VectorBLAS} when the JVM runs with {@code --add-modules jdk.incubator.vector},
 *       otherwise {@code Java11BLAS}.</li>
 * </ul>
 * copy always runs in Java ({@code System.arraycopy} when contiguous).
 *
 * <p>Stateless and thread-safe. During a native call the JVM cannot move the arrays (JNI
 * critical section), which holds back garbage collection in other threads for the call's
 * duration.
 */
public final class NetlibLinearAlgebra extends LinearAlgebra {
    static {
        NetlibInitialisation.initialise(); // before any use of netlib: its fall-back messages go to SLF4J
    }


    /**
     * Problem sizes from which {@code netlib-native} calls the native BLAS; smaller ones run
     * netlib's Java BLAS. Work is m·n·k for gemm, m·n for gemv and ger, n for axpy, dot and scal;
     * {@link #NEVER} keeps an operation in Java.
     *
     * @param gemmMinWork     gemm with m·n·k at least this goes native
     * @param gemvMinWork     gemv with m·n at least this goes native
     * @param gerMinWork      ger with m·n at least this goes native
     * @param level1MinLength axpy, dot and scal with n at least this go native
     */
    public record Thresholds(long gemmMinWork, long gemvMinWork, long gerMinWork, long level1MinLength) {

        /** A threshold no call reaches: the operation always runs in Java. */
        public static final long NEVER = Long.MAX_VALUE;

        /**
         * For a single-threaded native BLAS (OpenBLAS with {@code OPENBLAS_NUM_THREADS=1}, the
         * reference BLAS): gemm from 12³ (JNI overhead repaid; 1.9× faster at n = 16, 6× at 64),
         * gemv from 48² (2.2× faster at n = 64, 2.8× at 1024); ger and level 1 never (memory-bound:
         * Java was as fast or faster, 1.4–1.7× at n ≥ 512 for ger).
         */
        public static final Thresholds SINGLE_THREADED_BLAS = new Thresholds(12L * 12 * 12, 48L * 48, NEVER, NEVER);

        /**
         * For a multi-threaded OpenBLAS (its default: one thread per core): gemm from 12³ as above;
         * gemv, ger and level 1 never — OpenBLAS threads them from n ≈ 96, and waking its threads
         * made native 2–13× slower than Java up to n = 512 and no faster at 1024–2048.
         */
        public static final Thresholds MULTI_THREADED_BLAS = new Thresholds(12L * 12 * 12, NEVER, NEVER, NEVER);

        /**
         * No routing by size: every call goes to the backend's primary BLAS — for
         * {@code netlib-native} the native library, however small the call (for measuring and
         * testing the native path alone).
         */
        public static final Thresholds NONE = new Thresholds(0, 0, 0, 0);

        /**
         * The measured thresholds for the native BLAS this JVM loaded:
         * {@link #MULTI_THREADED_BLAS} for OpenBLAS running more than one thread
         * ({@code OPENBLAS_NUM_THREADS}, else {@code GOTO_NUM_THREADS}, else
         * {@code OMP_NUM_THREADS}, else one per processor), {@link #SINGLE_THREADED_BLAS} otherwise.
         */
        public static Thresholds measured() {
            return NativeBlasLibrary.get().multiThreaded() ? MULTI_THREADED_BLAS : SINGLE_THREADED_BLAS;
        }
    }

    private final String name;
    /** The BLAS for calls at or above the thresholds. */
    private final BLAS large;
    /** The BLAS for calls below the thresholds (pure Java). */
    private final BLAS small;
    private final Thresholds thresholds;
    private final boolean largeIsNative;

    private NetlibLinearAlgebra(String name, BLAS large, BLAS small, Thresholds thresholds, boolean largeIsNative) {
        this.name = name;
        this.large = large;
        this.small = small;
        this.thresholds = thresholds;
        this.largeIsNative = largeIsNative;
    }

    /**
     * The {@code netlib-native} backend with the measured thresholds ({@link Thresholds#measured()}).
     *
     * @throws IllegalStateException when the system BLAS cannot be loaded; the message says which
     *                               library was tried and how to install one, the cause is the
     *                               underlying error
     */
    public static NetlibLinearAlgebra nativeBlas() {
        return nativeBlas(Thresholds.measured());
    }

    /**
     * The {@code netlib-native} backend with explicit thresholds, e.g. tuned for other hardware
     * or {@link Thresholds#NONE} (every call native).
     *
     * @throws IllegalStateException when the system BLAS cannot be loaded (see {@link #nativeBlas()})
     */
    public static NetlibLinearAlgebra nativeBlas(Thresholds thresholds) {
        Objects.requireNonNull(thresholds, "thresholds");
        NativeBlasLibrary library = NativeBlasLibrary.get();
        BLAS blas = library.blas().orElseThrow(() -> {
            Availability a = library.availability();
            return new IllegalStateException("netlib-native is unavailable: " + a.detail(), a.cause());
        });
        return new NetlibLinearAlgebra("netlib-native", blas, JavaBLAS.getInstance(), thresholds, true);
    }

    /** The {@code netlib-java} backend: netlib's pure-Java BLAS for every call. */
    public static NetlibLinearAlgebra javaBlas() {
        BLAS java = JavaBLAS.getInstance();
        return new NetlibLinearAlgebra("netlib-java", java, java, Thresholds.NONE, false);
    }

    /** Whether the native BLAS loads here, and if so which file; if not, why and how to fix it. Never throws. */
    public static Availability nativeAvailability() {
        return NativeBlasLibrary.get().availability();
    }

    /** The simple name of netlib's pure-Java implementation in use: {@code VectorBLAS} or {@code Java11BLAS}. */
    public static String javaImplementation() {
        return JavaBLAS.getInstance().getClass().getSimpleName();
    }

    @Override
    public String name() {
        return name;
    }

    /** The thresholds below which calls run netlib's Java BLAS (all zero for {@code netlib-java}). */
    public Thresholds thresholds() {
        return thresholds;
    }

    @Override
    protected void gemmKernel(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                              double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                              double beta, double[] c, int cOff, int ldc) {
        BLAS blas = (long) m * n * k < thresholds.gemmMinWork() ? small : large;
        blas.dgemm(transA.blas(), transB.blas(), m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    protected void gemvKernel(Transpose trans, int m, int n, double alpha, double[] a, int aOff, int lda,
                              double[] x, int xOff, int incx, double beta, double[] y, int yOff, int incy) {
        BLAS blas = (long) m * n < thresholds.gemvMinWork() ? small : large;
        if (beta == 0 && blas == large && largeIsNative) {
            // BLAS says y need not be set when β = 0, but some OpenBLAS releases apply β through
            // dscal, where 0·NaN = NaN. Zeroing y costs O(len y) against the O(m·n) product.
            int lenY = trans == Transpose.T ? n : m;
            if (incy == 1) {
                Arrays.fill(y, yOff, yOff + lenY, 0.0);
            } else {
                for (int i = 0; i < lenY; i++) {
                    y[yOff + i * incy] = 0.0;
                }
            }
        }
        blas.dgemv(trans.blas(), m, n, alpha, a, aOff, lda, x, xOff, incx, beta, y, yOff, incy);
    }

    @Override
    protected void gerKernel(int m, int n, double alpha, double[] x, int xOff, int incx,
                             double[] y, int yOff, int incy, double[] a, int aOff, int lda) {
        BLAS blas = (long) m * n < thresholds.gerMinWork() ? small : large;
        if ((long) aOff + (long) n * lda <= a.length) {
            blas.dger(m, n, alpha, x, xOff, incx, y, yOff, incy, a, aOff, lda);
            return;
        }
        // netlib 3.0.4's dger checks index aOff + n·lda − 1 instead of aOff + (n−1)·lda + m − 1, so
        // it rejects a valid A whose array ends right after the last column's m rows when lda > m
        // (a sub-matrix view at the end of its array). Update the last column here instead, with
        // the same arithmetic as dger: a(:,j) += (α·y_j)·x.
        if (n > 1) {
            blas.dger(m, n - 1, alpha, x, xOff, incx, y, yOff, incy, a, aOff, lda);
        }
        double s = alpha * y[yOff + (n - 1) * incy];
        int last = aOff + (n - 1) * lda;
        for (int i = 0; i < m; i++) {
            a[last + i] += s * x[xOff + i * incx];
        }
    }

    @Override
    protected void axpyKernel(int n, double alpha, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        (n < thresholds.level1MinLength() ? small : large).daxpy(n, alpha, x, xOff, incx, y, yOff, incy);
    }

    @Override
    protected double dotKernel(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        return (n < thresholds.level1MinLength() ? small : large).ddot(n, x, xOff, incx, y, yOff, incy);
    }

    @Override
    protected void scalKernel(int n, double alpha, double[] x, int xOff, int incx) {
        (n < thresholds.level1MinLength() ? small : large).dscal(n, alpha, x, xOff, incx);
    }

    @Override
    protected void copyKernel(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        if (incx == 1 && incy == 1) {
            System.arraycopy(x, xOff, y, yOff, n);
        } else {
            small.dcopy(n, x, xOff, incx, y, yOff, incy);
        }
    }

    /**
     * Cholesky solve through LAPACK's {@code dposv}: the system LAPACK ({@code liblapack.so.3},
     * which Debian's OpenBLAS provides) next to native BLAS when it loads, netlib's Java LAPACK
     * otherwise.
     */
    @Override
    protected void posvKernel(int n, int nrhs, double[] a, int aOff, int lda, double[] b, int bOff, int ldb) {
        LAPACK lapack = largeIsNative && Lapack.NATIVE != null ? Lapack.NATIVE : Lapack.JAVA;
        intW info = new intW(0);
        lapack.dposv("L", n, nrhs, a, aOff, lda, b, bOff, ldb, info);
        if (info.val > 0) {
            throw new ArithmeticException("posv: the matrix is not positive definite (pivot " + (info.val - 1) + ")");
        }
        if (info.val < 0) {
            throw new IllegalStateException("posv: LAPACK dposv rejected its argument " + (-info.val));
        }
    }

    /** LAPACK implementations, loaded on first use of {@code posv}. */
    private static final class Lapack {
        private static final Logger LOG = LoggerFactory.getLogger(NetlibLinearAlgebra.class);
        static final LAPACK JAVA = JavaLAPACK.getInstance();
        static final LAPACK NATIVE = loadNative();

        private static LAPACK loadNative() {
            try {
                return NativeLAPACK.getInstance();
            } catch (RuntimeException | LinkageError e) {
                LOG.info("native LAPACK did not load ({}); posv uses netlib's Java LAPACK", e.toString());
                return null;
            }
        }
    }
}
