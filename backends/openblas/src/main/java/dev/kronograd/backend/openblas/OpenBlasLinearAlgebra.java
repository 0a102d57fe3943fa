package dev.kronograd.backend.openblas;

import dev.kronograd.backend.Availability;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.Transpose;
import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * {@link LinearAlgebra} on the bundled OpenBLAS ({@code openblas-bundled}): CBLAS {@code dgemm}
 * (zero-copy through this module's JNI shim, else through JavaCPP) for products large enough to
 * repay the call, netlib's pure-Java BLAS for
 * everything else (the routing idea of {@code netlib-native}).
 *
 * <p><b>Zero-copy gemm.</b> Where this module's JNI shim loads ({@code CriticalGemm}: built for
 * linux-x86_64), a native gemm reads and writes the Java arrays in place: the shim pins them with
 * {@code GetPrimitiveArrayCritical} and calls the bundled OpenBLAS's {@code cblas_dgemm} (or, when
 * netlib's system BLAS was loaded into the process first and interposes it, the {@code cblas_dgemm}
 * that JavaCPP's own calls reach: see {@code BundledOpenBlas}), as netlib's JNI does for
 * {@code netlib-native}. {@link #availability()} says which route this JVM uses and, for
 * the staging one, why. {@code -Dkronograd.openblas.zeroCopy=false} forces the staging route.
 *
 * <p><b>Staging copies (the fallback).</b> JavaCPP's {@code double[]} overloads copy the <em>whole</em>
 * array in and out on every call ({@code Get/ReleaseDoubleArrayElements}; measured: a {@code ddot} of
 * 10 elements on a 10⁶-element array took 1 ms), and they take no offset. So without the shim this
 * backend stages the operands in off-heap buffers kept per thread: only the region a matrix occupies
 * is copied in (and C is copied in only when β ≠ 0), then C is copied out. That is
 * O(m·k + k·n + m·n) against the O(m·n·k) of the product: ≈ 5–10 % at n = 512–1024 and ≈ 10–20 % at
 * n = 64–128 (measured, docs/backends.md). gemv, ger and level 1 (memory-bound) always run in Java,
 * and gemm below {@link Settings#gemmMinWork()} too, on either route.
 *
 * <p><b>Threads.</b> OpenBLAS's thread count ({@code openblas_set_num_threads}) is global to the
 * process. This backend keeps it at 1 and raises it to {@link Settings#threads()} only for a
 * gemm with m·n·k ≥ {@link Settings#multiThreadMinWork()}, then sets it back: mid-size products
 * run single-threaded, where OpenBLAS's worker threads cost more than they bring (waking them
 * after a Java phase made a 64×64×256 product several times slower on 2 cores, docs/BENCHMARKS.md).
 * Because the count is process-global, changing it is serialised: a multi-threaded gemm holds a
 * write lock (no other native call runs while the count is raised), every single-threaded native
 * call a read lock (they run concurrently, each on the calling thread). Concurrent callers thus
 * never see the count change under a running call; a large multi-threaded gemm waits for the
 * native calls in flight and makes new ones wait for it. Other code in the same process that uses
 * this OpenBLAS through JavaCPP (and sets its threads) is outside this lock.
 *
 * <p>Thread-safe: the zero-copy route keeps no state; the staging buffers are per thread (off-heap,
 * grown to the largest call that thread made, freed by JavaCPP when the thread's buffers become
 * unreachable).
 */
public final class OpenBlasLinearAlgebra extends LinearAlgebra {

    /** The system property that sets {@link Settings#threads()}: a positive integer or {@code auto}. */
    public static final String THREADS_PROPERTY = "kronograd.openblasThreads";

    private static final Logger LOG = LoggerFactory.getLogger(OpenBlasLinearAlgebra.class);
    private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();

    /** Serialises changes of OpenBLAS's process-global thread count against every native call. */
    private static final ReentrantReadWriteLock THREAD_COUNT = new ReentrantReadWriteLock();

    private static final int COL_MAJOR = openblas_nolapack.CblasColMajor;
    private static final int NO_TRANS = openblas_nolapack.CblasNoTrans;
    private static final int TRANS = openblas_nolapack.CblasTrans;

    /**
     * How the backend uses OpenBLAS.
     *
     * @param threads            OpenBLAS threads for a gemm of at least {@code multiThreadMinWork} (≥ 1; 1 keeps every call single-threaded)
     * @param multiThreadMinWork gemm with m·n·k at least this runs on {@code threads} threads; smaller ones on one
     * @param gemmMinWork        gemm with m·n·k at least this goes native; smaller ones run netlib's Java BLAS
     */
    public record Settings(int threads, long multiThreadMinWork, long gemmMinWork) {

        /**
         * Multi-threaded from m·n·k ≥ 256³ (≈ 34 MFLOP: a second OpenBLAS thread paid off from n ≈ 256 on an idle
         * 2-core machine, docs/backends.md; below it the wake-up costs more than the second core brings).
         */
        public static final long DEFAULT_MULTI_THREAD_MIN_WORK = 256L * 256 * 256;

        /**
         * Native gemm from m·n·k ≥ 12³, as {@code netlib-native}: below, the JNI call costs more than netlib's Java BLAS
         * (measured single-threaded: 10³ took 0.6 µs native on either route against 0.4 µs in Java, 12³ 0.3 µs against
         * 0.5 µs, 16³ 0.4–0.5 µs against 1.3 µs).
         */
        public static final long DEFAULT_GEMM_MIN_WORK = 12L * 12 * 12;

        public Settings {
            if (threads < 1) {
                throw new IllegalArgumentException("openblasThreads must be ≥ 1, got " + threads);
            }
            if (multiThreadMinWork < 0 || gemmMinWork < 0) {
                throw new IllegalArgumentException("multiThreadMinWork and gemmMinWork must be ≥ 0, got "
                        + multiThreadMinWork + " and " + gemmMinWork);
            }
        }

        /** {@code threads} for large gemm (the defaults for the thresholds). */
        public static Settings withThreads(int threads) {
            return new Settings(threads, DEFAULT_MULTI_THREAD_MIN_WORK, DEFAULT_GEMM_MIN_WORK);
        }

        /**
         * From {@code -D}{@value #THREADS_PROPERTY}: a positive integer, or {@code auto} (the default) for one
         * thread per available processor on large gemm.
         *
         * @throws IllegalArgumentException naming the property when its value is neither
         */
        public static Settings fromProperties(Properties properties) {
            String value = properties.getProperty(THREADS_PROPERTY);
            if (value == null || value.isBlank() || value.trim().toLowerCase(Locale.ROOT).equals("auto")) {
                return withThreads(Runtime.getRuntime().availableProcessors());
            }
            try {
                int threads = Integer.parseInt(value.trim());
                if (threads >= 1) {
                    return withThreads(threads);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("-D" + THREADS_PROPERTY + "=" + value
                    + ": expected a positive number of OpenBLAS threads for large gemm, or 'auto' (one per processor)");
        }
    }

    private final Settings settings;
    private final BLAS java = JavaBLAS.getInstance();
    /** The zero-copy shim, or null for the staging route. */
    private final CriticalGemm zeroCopy;
    private final ThreadLocal<Staging> staging = ThreadLocal.withInitial(Staging::new);

    private OpenBlasLinearAlgebra(Settings settings, CriticalGemm zeroCopy) {
        this.settings = settings;
        this.zeroCopy = zeroCopy;
    }

    /**
     * The backend with settings from the system properties ({@link Settings#fromProperties}).
     *
     * @throws IllegalStateException    when the bundled OpenBLAS cannot be loaded; the message says why
     *                                  (platform without natives, failed extraction) and the fix
     * @throws IllegalArgumentException when {@value #THREADS_PROPERTY}, {@code kronograd.openblas.zeroCopy},
     *                                  {@code kronograd.openblas.workers} or {@code kronograd.openblas.spinMicros} is malformed
     */
    public static OpenBlasLinearAlgebra create() {
        Settings settings = Settings.fromProperties(System.getProperties());
        CriticalGemm.zeroCopyRequested(System.getProperties());
        CriticalGemm.workersRequested(System.getProperties());
        return create(settings);
    }

    /**
     * The backend with explicit settings.
     *
     * @throws IllegalStateException when the bundled OpenBLAS cannot be loaded (see {@link #create()})
     */
    public static OpenBlasLinearAlgebra create(Settings settings) {
        return create(settings, true);
    }

    /**
     * The backend with explicit settings, on the staging route when {@code allowZeroCopy} is false (for tests
     * and comparison), else zero-copy when the shim loaded in this JVM.
     */
    static OpenBlasLinearAlgebra create(Settings settings, boolean allowZeroCopy) {
        Objects.requireNonNull(settings, "settings");
        BundledOpenBlas library = BundledOpenBlas.get();
        if (!library.loaded()) {
            Availability a = library.availability();
            throw new IllegalStateException("openblas-bundled is unavailable: " + a.detail(), a.cause());
        }
        CriticalGemm shim = CriticalGemm.get();
        CriticalGemm zeroCopy = allowZeroCopy && shim.loaded() ? shim : null;
        String policy = "openblas-bundled: OpenBLAS threads " + settings.threads() + " for gemm with m·n·k ≥ "
                + settings.multiThreadMinWork() + ", 1 below (-D" + THREADS_PROPERTY + "); native gemm from m·n·k ≥ "
                + settings.gemmMinWork() + ", gemv/ger/level 1 in Java; "
                + (zeroCopy == null && !allowZeroCopy ? "gemm through staging copies (zero-copy not allowed for this instance)" : shim.detail());
        if (ANNOUNCED.compareAndSet(false, true)) {
            LOG.info(policy);
        } else {
            LOG.debug(policy);
        }
        OpenBlasLinearAlgebra la = new OpenBlasLinearAlgebra(settings, zeroCopy);
        // One thread until a call asks for more (the thread policy), in the library this instance computes with.
        THREAD_COUNT.writeLock().lock();
        try {
            la.setThreads(1);
        } finally {
            THREAD_COUNT.writeLock().unlock();
        }
        return la;
    }

    /**
     * Whether the bundled OpenBLAS loads here, and if so which file and which gemm route (zero-copy through the
     * JNI shim, or staging copies and why); if not, why and how to fix it. Never throws.
     */
    public static Availability availability() {
        Availability library = BundledOpenBlas.get().availability();
        if (!library.available()) {
            return library;
        }
        return Availability.available(library.detail() + "; " + CriticalGemm.get().detail());
    }

    /** Whether this instance's native gemm runs zero-copy through the JNI shim (else through staging copies). */
    boolean zeroCopy() {
        return zeroCopy != null;
    }

    /** The settings this instance runs with. */
    public Settings settings() {
        return settings;
    }

    @Override
    public String name() {
        return "openblas-bundled";
    }

    @Override
    protected void gemmKernel(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                              double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                              double beta, double[] c, int cOff, int ldc) {
        long work = (long) m * n * k;
        if (work < settings.gemmMinWork()) {
            java.dgemm(transA.blas(), transB.blas(), m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        boolean ta = transA == Transpose.T;
        boolean tb = transB == Transpose.T;
        boolean multi = settings.threads() > 1 && work >= settings.multiThreadMinWork();
        if (zeroCopy != null) {
            underThreadPolicy(multi, () -> zeroCopy.dgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc));
            return;
        }
        int aRows = ta ? k : m;
        int aCols = ta ? m : k;
        int bRows = tb ? n : k;
        int bCols = tb ? k : n;
        Staging s = staging.get();
        DoublePointer pa = s.a(a, aOff, aRows, aCols, lda);
        int sa = s.lastLd;
        DoublePointer pb = s.b(b, bOff, bRows, bCols, ldb);
        int sb = s.lastLd;
        DoublePointer pc = s.c(c, cOff, m, n, ldc, beta != 0);
        int sc = s.lastLd;
        underThreadPolicy(multi, () -> openblas_nolapack.cblas_dgemm(COL_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS,
                m, n, k, alpha, pa, sa, pb, sb, beta, pc, sc));
        s.copyOut(pc, sc, c, cOff, m, n, ldc);
    }

    /**
     * Runs a native call under the thread policy: single-threaded under the read lock, or under the write lock with
     * OpenBLAS's count raised to {@link Settings#threads()} for the call and set back to 1 after it.
     */
    private void underThreadPolicy(boolean multi, Runnable call) {
        Lock lock = multi ? THREAD_COUNT.writeLock() : THREAD_COUNT.readLock();
        lock.lock();
        try {
            if (multi) {
                setThreads(settings.threads());
            }
            try {
                call.run();
            } finally {
                if (multi) {
                    setThreads(1);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** OpenBLAS's thread count now, in the library this instance computes with (for tests). */
    int currentThreads() {
        return zeroCopy != null ? zeroCopy.threads() : openblas_nolapack.blas_get_num_threads();
    }

    /** OpenBLAS's thread count in the library this instance computes with: the shim's private copy, or JavaCPP's. */
    private void setThreads(int threads) {
        if (zeroCopy != null) {
            zeroCopy.setThreads(threads);
        } else {
            openblas_nolapack.blas_set_num_threads(threads);
        }
    }

    @Override
    protected void gemvKernel(Transpose trans, int m, int n, double alpha, double[] a, int aOff, int lda,
                              double[] x, int xOff, int incx, double beta, double[] y, int yOff, int incy) {
        java.dgemv(trans.blas(), m, n, alpha, a, aOff, lda, x, xOff, incx, beta, y, yOff, incy);
    }

    @Override
    protected void gerKernel(int m, int n, double alpha, double[] x, int xOff, int incx,
                             double[] y, int yOff, int incy, double[] a, int aOff, int lda) {
        if ((long) aOff + (long) n * lda <= a.length) {
            java.dger(m, n, alpha, x, xOff, incx, y, yOff, incy, a, aOff, lda);
            return;
        }
        // netlib 3.0.4's dger over-checks the array length by lda − m (see NetlibLinearAlgebra): the last column here.
        if (n > 1) {
            java.dger(m, n - 1, alpha, x, xOff, incx, y, yOff, incy, a, aOff, lda);
        }
        double s = alpha * y[yOff + (n - 1) * incy];
        int last = aOff + (n - 1) * lda;
        for (int i = 0; i < m; i++) {
            a[last + i] += s * x[xOff + i * incx];
        }
    }

    @Override
    protected void axpyKernel(int n, double alpha, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        java.daxpy(n, alpha, x, xOff, incx, y, yOff, incy);
    }

    @Override
    protected double dotKernel(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        return java.ddot(n, x, xOff, incx, y, yOff, incy);
    }

    @Override
    protected void scalKernel(int n, double alpha, double[] x, int xOff, int incx) {
        java.dscal(n, alpha, x, xOff, incx);
    }

    @Override
    protected void copyKernel(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        if (incx == 1 && incy == 1) {
            System.arraycopy(x, xOff, y, yOff, n);
        } else {
            java.dcopy(n, x, xOff, incx, y, yOff, incy);
        }
    }

    /**
     * One thread's off-heap copies of A, B and C. A matrix whose columns are contiguous or nearly so
     * (ld ≤ 2·rows) is copied as the one span it occupies, with its ld; a sparser view is packed
     * column by column (ld = rows).
     */
    private static final class Staging {
        private DoublePointer a = new DoublePointer(0L);
        private DoublePointer b = new DoublePointer(0L);
        private DoublePointer c = new DoublePointer(0L);
        /** The leading dimension of the matrix staged last. */
        int lastLd;

        DoublePointer a(double[] src, int off, int rows, int cols, int ld) {
            a = fit(a, rows, cols, ld);
            copyIn(a, src, off, rows, cols, ld);
            return a;
        }

        DoublePointer b(double[] src, int off, int rows, int cols, int ld) {
            b = fit(b, rows, cols, ld);
            copyIn(b, src, off, rows, cols, ld);
            return b;
        }

        DoublePointer c(double[] src, int off, int rows, int cols, int ld, boolean read) {
            c = fit(c, rows, cols, ld);
            if (read) {
                copyIn(c, src, off, rows, cols, ld);
            } else {
                lastLd = packed(rows, ld) ? rows : ld;
            }
            return c;
        }

        private static boolean packed(int rows, int ld) {
            return ld > 2L * rows;
        }

        private static DoublePointer fit(DoublePointer p, int rows, int cols, int ld) {
            long need = packed(rows, ld) ? (long) rows * cols : (long) (cols - 1) * ld + rows;
            if (p.capacity() >= need) {
                return p;
            }
            p.close();
            // Grow by half again, so that a thread calling with slowly rising sizes does not reallocate every time.
            return new DoublePointer(Math.max(need, p.capacity() + p.capacity() / 2));
        }

        private void copyIn(DoublePointer p, double[] src, int off, int rows, int cols, int ld) {
            if (packed(rows, ld)) {
                for (int j = 0; j < cols; j++) {
                    p.position((long) j * rows).put(src, off + j * ld, rows);
                }
                p.position(0);
                lastLd = rows;
            } else {
                p.position(0).put(src, off, (cols - 1) * ld + rows);
                lastLd = ld;
            }
        }

        void copyOut(DoublePointer p, int pLd, double[] dst, int off, int rows, int cols, int ld) {
            if (pLd == ld && ld == rows) {
                p.position(0).get(dst, off, rows * cols);
                return;
            }
            // Column by column: the gaps between the columns of C (ld > rows) belong to someone else.
            for (int j = 0; j < cols; j++) {
                p.position((long) j * pLd).get(dst, off + j * ld, rows);
            }
            p.position(0);
        }
    }
}
