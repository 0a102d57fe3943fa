package dev.kronograd.backend.openblas;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * Zero-copy {@code cblas_dgemm} on the bundled OpenBLAS: a small JNI library of this module
 * ({@code libkronograd-openblas.so}, C source in {@code src/main/c}) that pins the Java arrays with
 * {@code GetPrimitiveArrayCritical} and calls OpenBLAS on them in place, as netlib's JNI does for
 * {@code netlib-native}, instead of JavaCPP's staging copies.
 *
 * <p><b>Loading.</b> Once per JVM, after {@link BundledOpenBlas} has loaded OpenBLAS through JavaCPP:
 * the shim for {@code Loader.getPlatform()} is read from the class path
 * ({@code dev/kronograd/backend/openblas/<platform>/libkronograd-openblas.so}; the build compiles it
 * on linux-x86_64 when {@code /usr/bin/gcc} exists), written to JavaCPP's cache directory under a
 * name that contains its SHA-256 (so versions never collide, and concurrent JVMs write it atomically),
 * and loaded with {@code System.load}. Its {@code init0} then opens a <em>private copy</em> of the
 * OpenBLAS file JavaCPP extracted (written beside it, {@value #PRIVATE_SUFFIX}) with
 * {@code RTLD_LOCAL | RTLD_DEEPBIND} and keeps its {@code cblas_dgemm} and thread-count functions.
 *
 * <p><b>Why a private copy.</b> A BLAS loaded into the process's global scope first — netlib's
 * system {@code libblas.so.3} and the system {@code libopenblas.so.0} it needs, which
 * {@link BundledOpenBlas} lets load first — interposes every symbol it shares with the bundled
 * library: the copy JavaCPP loaded then runs the <em>system</em> OpenBLAS's {@code cblas_dgemm}
 * (and its own internals bind to the system library's tables), and its
 * {@code openblas_set_num_threads} sets the system library's threads, under {@code netlib-native}'s
 * feet. The deep-bound private copy resolves its own symbols first: it runs the bundled code with its
 * own tables and thread pool whatever was loaded before, and, loaded locally, interposes nothing.
 *
 * <p>If any step fails (no shim for this platform, no /proc/self/maps to name the OpenBLAS file, the
 * copy cannot be written, a load or symbol error), {@link #loaded()} is false and {@link #detail()}
 * says why: the backend then runs its staging path. Never throws.
 *
 * <p><b>Whose threads.</b> The shim also takes over the private copy's parallel work
 * ({@code openblas_set_threads_callback_function}): a multi-threaded gemm runs its jobs on the
 * caller and on this shim's worker threads, which spin for {@value #DEFAULT_SPIN_MICROS} µs after a
 * job (so a gemm right after another finds them awake) and then sleep. OpenBLAS's own workers spin for
 * 2<sup>28</sup> cycles (≈ 0.1 s) after every parallel call, taking a core from the JVM threads that run
 * between two GEMMs (a gradient's elementwise phase, a service's request threads).
 * {@code -D}{@value #WORKERS_PROPERTY}{@code =openblas} keeps OpenBLAS's own threads;
 * {@code -D}{@value #SPIN_PROPERTY}{@code =N} sets the spin (0: sleep at once).
 *
 * <p><b>Turning it off.</b> {@code -D}{@value #ZERO_COPY_PROPERTY}{@code =false} skips the shim
 * altogether (the staging path, for comparison and tests); {@code true} or unset uses it when it
 * loads. The property is read once, on first use.
 *
 * <p><b>Arguments.</b> {@link #dgemm} checks everything the C side relies on (dimensions ≥ 1,
 * leading dimensions, offsets and array bounds, C disjoint from A and B) before the native call, even
 * though {@code LinearAlgebra.gemm} has checked them already: an out-of-bounds native access would
 * corrupt the JVM rather than throw.
 */
final class CriticalGemm {

    /** The system property that turns the zero-copy route off: {@code -D}{@value}{@code =false}. */
    static final String ZERO_COPY_PROPERTY = "kronograd.openblas.zeroCopy";

    /** The shim's file name (Linux). */
    static final String LIBRARY = "libkronograd-openblas.so";

    /** Appended to the name of the OpenBLAS file JavaCPP extracted, for the private copy the shim opens. */
    static final String PRIVATE_SUFFIX = ".kronograd-private.so";

    /** The system property that chooses whose threads run a parallel gemm: {@code kronograd} (the default) or {@code openblas}. */
    static final String WORKERS_PROPERTY = "kronograd.openblas.workers";

    /** The system property for how long an idle worker of the shim spins before it sleeps, in µs. */
    static final String SPIN_PROPERTY = "kronograd.openblas.spinMicros";

    /** The default spin of an idle worker, µs: longer than the gap between back-to-back GEMMs, short against a Java phase between them. */
    static final long DEFAULT_SPIN_MICROS = 50;

    private static final Logger LOG = LoggerFactory.getLogger(CriticalGemm.class);

    private final boolean loaded;
    private final String detail;
    private final Throwable cause;
    /** The private copy of the bundled OpenBLAS the shim opened, else null. */
    private final Path privateCopy;

    private CriticalGemm(boolean loaded, String detail, Throwable cause, Path privateCopy) {
        this.loaded = loaded;
        this.detail = detail;
        this.cause = cause;
        this.privateCopy = privateCopy;
    }

    private static final class Holder {
        static final CriticalGemm SHIM = load();
    }

    /** The outcome of loading the shim, attempted on first call (after the bundled OpenBLAS). Never throws. */
    static CriticalGemm get() {
        return Holder.SHIM;
    }

    /** Whether gemm can run zero-copy (the shim loaded and found {@code cblas_dgemm}). */
    boolean loaded() {
        return loaded;
    }

    /** Which gemm route this JVM uses and, for the staging one, why. */
    String detail() {
        return detail;
    }

    /** The private copy of the bundled OpenBLAS that the shim computes with, when it loaded. */
    Optional<Path> privateCopy() {
        return Optional.ofNullable(privateCopy);
    }

    /** The error behind a failed load, if any. */
    Optional<Throwable> cause() {
        return Optional.ofNullable(cause);
    }

    /** Whether this build carries the shim for the platform JavaCPP reports (then it must load here). */
    static boolean builtForThisPlatform() {
        return CriticalGemm.class.getResource(resource(org.bytedeco.javacpp.Loader.getPlatform())) != null;
    }

    /** The class-path resource of the shim for a JavaCPP platform name. */
    static String resource(String platform) {
        return "/dev/kronograd/backend/openblas/" + platform + "/" + LIBRARY;
    }

    /**
     * Whether {@value #ZERO_COPY_PROPERTY} in {@code properties} allows the zero-copy route: unset, blank or
     * {@code true} do, {@code false} does not (case-insensitive).
     *
     * @throws IllegalArgumentException naming the property for any other value
     */
    static boolean zeroCopyRequested(Properties properties) {
        String value = properties.getProperty(ZERO_COPY_PROPERTY);
        if (value == null || value.isBlank()) {
            return true;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new IllegalArgumentException("-D" + ZERO_COPY_PROPERTY + "=" + value
                        + ": expected true (gemm zero-copy through the JNI shim when it loads, the default) or false (staging copies)");
        }
    }

    /**
     * Whose threads run a parallel gemm, from {@value #WORKERS_PROPERTY} ({@code kronograd}, the default, or
     * {@code openblas}) and {@value #SPIN_PROPERTY} (µs, 0 to {@code 1000000}; default {@value #DEFAULT_SPIN_MICROS}).
     *
     * @throws IllegalArgumentException naming the property for a malformed value
     */
    static Workers workersRequested(Properties properties) {
        String who = properties.getProperty(WORKERS_PROPERTY);
        boolean own;
        if (who == null || who.isBlank() || who.trim().equalsIgnoreCase("kronograd")) {
            own = true;
        } else if (who.trim().equalsIgnoreCase("openblas")) {
            own = false;
        } else {
            throw new IllegalArgumentException("-D" + WORKERS_PROPERTY + "=" + who
                    + ": expected kronograd (parallel gemm on the shim's workers, which sleep when idle; the default) or openblas (OpenBLAS's own threads)");
        }
        String spin = properties.getProperty(SPIN_PROPERTY);
        long micros = DEFAULT_SPIN_MICROS;
        if (spin != null && !spin.isBlank()) {
            try {
                micros = Long.parseLong(spin.trim());
            } catch (NumberFormatException e) {
                micros = -1;
            }
            if (micros < 0 || micros > 1_000_000) {
                throw new IllegalArgumentException("-D" + SPIN_PROPERTY + "=" + spin
                        + ": expected the µs an idle gemm worker spins before it sleeps, 0 to 1000000 (default " + DEFAULT_SPIN_MICROS + ")");
            }
        }
        return new Workers(own, micros);
    }

    /** Whose threads run a parallel gemm: the shim's ({@code own}, spinning {@code spinMicros} when idle) or OpenBLAS's. */
    record Workers(boolean own, long spinMicros) {
    }

    /** Hands the private copy's parallel work to the shim's workers when asked to; says which threads run it. */
    private static String installWorkers() {
        Workers workers;
        try {
            workers = workersRequested(System.getProperties());
        } catch (IllegalArgumentException e) {
            return "parallel gemm on OpenBLAS's own threads (" + e.getMessage() + ")";
        }
        if (!workers.own()) {
            return "parallel gemm on OpenBLAS's own threads (-D" + WORKERS_PROPERTY + "=openblas)";
        }
        String result = String.valueOf(pool0(Math.max(1, Runtime.getRuntime().availableProcessors() - 1), workers.spinMicros() * 1000));
        if (!result.startsWith("ok:")) {
            return "parallel gemm on OpenBLAS's own threads (the shim's workers were not installed: "
                    + result.substring(result.indexOf(':') + 1) + ")";
        }
        return "parallel gemm on the shim's worker threads, which sleep after " + workers.spinMicros() + " µs idle (-D"
                + SPIN_PROPERTY + "; -D" + WORKERS_PROPERTY + "=openblas for OpenBLAS's own)";
    }

    private static CriticalGemm load() {
        try {
            if (!zeroCopyRequested(System.getProperties())) {
                return staging("zero-copy turned off by -D" + ZERO_COPY_PROPERTY + "=false", null);
            }
        } catch (IllegalArgumentException e) {
            return staging(e.getMessage(), e);
        }
        BundledOpenBlas openBlas = BundledOpenBlas.get();
        if (!openBlas.loaded()) {
            return staging("the bundled OpenBLAS did not load", null);
        }
        String platform = "unknown";
        try {
            platform = org.bytedeco.javacpp.Loader.getPlatform();
            String resource = resource(platform);
            byte[] shim;
            try (InputStream in = CriticalGemm.class.getResourceAsStream(resource)) {
                if (in == null) {
                    return staging("no zero-copy shim for " + platform + " in this build (one is compiled only for linux-x86_64, and only when /usr/bin/gcc exists at build time)", null);
                }
                shim = in.readAllBytes();
            }
            Optional<Path> openBlasFile = openBlas.openBlasFile();
            if (openBlasFile.isEmpty()) {
                return staging("the loaded OpenBLAS file is not known (no /proc/self/maps), so the shim cannot find it", null);
            }
            Path file = extract(shim, org.bytedeco.javacpp.Loader.getCacheDir().toPath());
            System.load(file.toString());
            Path copy = privateCopy(openBlasFile.get());
            String result = String.valueOf(init0(copy.toString()));
            if (!result.startsWith("ok:")) {
                return staging("the shim " + file + " could not open the private copy " + copy + " of the bundled OpenBLAS: "
                        + result.substring(result.indexOf(':') + 1), null);
            }
            String used = result.substring("ok:".length());
            if (!sameFile(used, copy)) {
                // Cannot happen with RTLD_DEEPBIND; refuse rather than compute with a library nobody named.
                return staging("cblas_dgemm of the private copy " + copy + " resolved to " + used, null);
            }
            String kernels = corename0();
            String config = config0();
            String version = config == null ? null : config.trim().split("\\s+", 3).length >= 2 ? config.trim().split("\\s+", 3)[1] : null;
            String detail = "gemm zero-copy through kronograd's JNI shim " + file + " on a private copy of the bundled OpenBLAS, "
                    + copy + " (bound to itself, so a system BLAS loaded earlier cannot take its place)"
                    + (version == null ? "" : ", OpenBLAS " + version) + (kernels == null ? "" : ", " + kernels + " kernels")
                    + "; " + installWorkers();
            LOG.debug("openblas-bundled: {}", detail);
            return new CriticalGemm(true, detail, null, copy);
        } catch (IOException | LinkageError | RuntimeException e) {
            return staging("the zero-copy shim for " + platform + " did not load: " + e, e);
        }
    }

    /**
     * The private copy of {@code original} (the OpenBLAS file JavaCPP extracted), in the same directory so that its
     * {@code $ORIGIN} run path finds the same libgfortran: re-used when a file of the same size is there, else written
     * beside it and moved into place atomically.
     */
    static Path privateCopy(Path original) throws IOException {
        Path copy = original.resolveSibling(original.getFileName() + PRIVATE_SUFFIX);
        if (Files.isRegularFile(copy) && Files.size(copy) == Files.size(original)) {
            return copy;
        }
        Path temp = Files.createTempFile(original.getParent(), original.getFileName().toString(), ".tmp");
        try {
            Files.copy(original, temp, StandardCopyOption.REPLACE_EXISTING);
            moveIntoPlace(temp, copy);
        } finally {
            Files.deleteIfExists(temp);
        }
        return copy;
    }

    private static boolean sameFile(String file, Path other) {
        try {
            return Files.isSameFile(Path.of(file), other);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static CriticalGemm staging(String reason, Throwable cause) {
        String detail = "gemm through staging copies: " + reason;
        LOG.debug("openblas-bundled: {}", detail, cause);
        return new CriticalGemm(false, detail, cause, null);
    }

    /**
     * Writes the shim to {@code cacheDir/kronograd-openblas/<sha-256 prefix>/}{@value #LIBRARY} unless a file with
     * the same bytes is there already; a new file is written beside it and moved into place atomically.
     */
    static Path extract(byte[] shim, Path cacheDir) throws IOException {
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(shim), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        Path dir = cacheDir.resolve("kronograd-openblas").resolve(hash);
        Path target = dir.resolve(LIBRARY);
        if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), shim)) {
            return target;
        }
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, LIBRARY, ".tmp");
        try {
            Files.write(temp, shim);
            moveIntoPlace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }

    /** Renames a finished temporary file onto {@code target}: atomically where the file system can, so a concurrent JVM sees the old file or the new one. */
    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * C ← α·op(A)·op(B) + β·C on the Java arrays in place (column-major), through the shim.
     *
     * @throws IllegalStateException     when the shim is not loaded
     * @throws IllegalArgumentException  for a dimension below 1, a leading dimension below the rows, or C overlapping A or B
     * @throws IndexOutOfBoundsException for a negative offset or an operand beyond its array
     */
    void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
               double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
               double beta, double[] c, int cOff, int ldc) {
        if (!loaded) {
            throw new IllegalStateException("the zero-copy gemm shim is not loaded: " + detail);
        }
        if (m < 1 || n < 1 || k < 1) {
            throw new IllegalArgumentException("zero-copy gemm: dimensions must be ≥ 1, got m=" + m + ", n=" + n + ", k=" + k);
        }
        long aEnd = end("A", a, aOff, transA ? k : m, transA ? m : k, lda);
        long bEnd = end("B", b, bOff, transB ? n : k, transB ? k : n, ldb);
        long cEnd = end("C", c, cOff, m, n, ldc);
        disjoint("A", a, aOff, aEnd, c, cOff, cEnd);
        disjoint("B", b, bOff, bEnd, c, cOff, cEnd);
        dgemm0(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** The end (exclusive) of a rows×cols operand (rows, cols ≥ 1), after checking it lies in its array. */
    private static long end(String name, double[] array, int off, int rows, int cols, int ld) {
        if (array == null) {
            throw new NullPointerException("zero-copy gemm: " + name + " is null");
        }
        if (ld < rows) {
            throw new IllegalArgumentException("zero-copy gemm: leading dimension of " + name + " is " + ld + " but it has " + rows + " rows");
        }
        long end = off + (long) (cols - 1) * ld + rows;
        if (off < 0 || end > array.length) {
            throw new IndexOutOfBoundsException("zero-copy gemm: " + name + " (" + rows + "×" + cols + ", offset " + off + ", ld " + ld
                    + ") needs indices [" + off + ", " + end + ") of an array of length " + array.length);
        }
        return end;
    }

    private static void disjoint(String name, double[] in, long inStart, long inEnd, double[] c, long cStart, long cEnd) {
        if (in == c && inStart < cEnd && cStart < inEnd) {
            throw new IllegalArgumentException("zero-copy gemm: C [" + cStart + ", " + cEnd + ") overlaps " + name
                    + " [" + inStart + ", " + inEnd + ") in the same array");
        }
    }

    /**
     * Sets the private copy's OpenBLAS thread count (process-wide for that copy; {@code openblas_set_num_threads}).
     *
     * @throws IllegalStateException when the shim is not loaded
     */
    void setThreads(int threads) {
        requireLoaded();
        setThreads0(threads);
    }

    /** The private copy's OpenBLAS thread count ({@code openblas_get_num_threads}). */
    int threads() {
        requireLoaded();
        return threads0();
    }

    /**
     * Sets the calling thread's own OpenBLAS thread count in the private copy ({@code openblas_set_num_threads_local},
     * OpenBLAS 0.3.27 and later; 0 returns the thread to the process-wide count): the previous value, or −1 when this
     * OpenBLAS lacks the function.
     */
    int setThreadsLocal(int threads) {
        requireLoaded();
        return setThreadsLocal0(threads);
    }

    /**
     * The shim's worker pool: {parallel calls it served, jobs its workers ran, workers started}; zeros when
     * OpenBLAS's own threads run parallel calls.
     */
    long[] poolStats() {
        requireLoaded();
        return poolStats0();
    }

    /** {@code openblas_get_config()} of the private copy: its version and build options, or empty. */
    Optional<String> config() {
        requireLoaded();
        return Optional.ofNullable(config0());
    }

    private void requireLoaded() {
        if (!loaded) {
            throw new IllegalStateException("the zero-copy gemm shim is not loaded: " + detail);
        }
    }

    /**
     * {@code dlopen(file, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND)} of the private copy and {@code dlsym} of
     * {@code cblas_dgemm} and the thread-count functions: {@code "ok:"} and the file whose {@code cblas_dgemm} is
     * used, or {@code "error:"} and the reason.
     */
    private static native String init0(String openBlasFile);

    /** Installs the shim's worker pool as the private copy's threads callback: {@code "ok:"}, or {@code "error:"} and why not. */
    private static native String pool0(int workers, long spinNanos);

    private static native long[] poolStats0();

    private static native void setThreads0(int threads);

    private static native int threads0();

    private static native int setThreadsLocal0(int threads);

    /** OpenBLAS's name for the kernels it chose, or null. */
    private static native String corename0();

    /** {@code openblas_get_config()} of the private copy, or null. */
    private static native String config0();

    private static native void dgemm0(boolean transA, boolean transB, int m, int n, int k, double alpha,
                                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                      double beta, double[] c, int cOff, int ldc);
}
