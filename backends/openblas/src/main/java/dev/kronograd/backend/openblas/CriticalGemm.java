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
 * and loaded with {@code System.load}. Its {@code init0} then {@code dlopen}s the OpenBLAS file that
 * JavaCPP mapped with {@code RTLD_NOLOAD} (it never loads a second copy) and looks up
 * {@code cblas_dgemm}. If any step fails (no shim for this platform, no /proc/self/maps to name the
 * OpenBLAS file, a load or symbol error), {@link #loaded()} is false and {@link #detail()} says why:
 * the backend then runs its staging path. Never throws.
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

    private static final Logger LOG = LoggerFactory.getLogger(CriticalGemm.class);

    private final boolean loaded;
    private final String detail;
    private final Throwable cause;
    /** The file whose cblas_dgemm is used when it is not the bundled one, else null (see {@link #interposedBy()}). */
    private final String interposedBy;

    private CriticalGemm(boolean loaded, String detail, Throwable cause, String interposedBy) {
        this.loaded = loaded;
        this.detail = detail;
        this.cause = cause;
        this.interposedBy = interposedBy;
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

    /**
     * The file whose {@code cblas_dgemm} the shim calls when it is not the bundled OpenBLAS: a BLAS loaded into the
     * process's global scope first (netlib's system {@code libblas.so.3}) interposes the bundled library's exported
     * symbols, for JavaCPP's own calls too; empty when the bundled file's {@code cblas_dgemm} is used.
     */
    Optional<String> interposedBy() {
        return Optional.ofNullable(interposedBy);
    }

    /** The error behind a failed load, if any. */
    Optional<Throwable> cause() {
        return Optional.ofNullable(cause);
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
            String result = String.valueOf(init0(openBlasFile.get().toString()));
            if (!result.startsWith("ok:")) {
                return staging("the shim " + file + " found no usable cblas_dgemm for " + openBlasFile.get()
                        + " (dlopen with RTLD_NOLOAD, dlsym): " + result.substring(result.indexOf(':') + 1), null);
            }
            String used = result.substring("ok:".length());
            String detail = "gemm zero-copy through kronograd's JNI shim " + file;
            String interposedBy = sameFile(used, openBlasFile.get()) ? null : used;
            if (interposedBy != null) {
                detail += "; note: cblas_dgemm resolves to " + used + ", a BLAS loaded into the process's global scope before the bundled"
                        + " OpenBLAS (netlib-native's system BLAS), which JavaCPP's calls reach as well";
            }
            LOG.debug("openblas-bundled: {}", detail);
            return new CriticalGemm(true, detail, null, interposedBy);
        } catch (IOException | LinkageError | RuntimeException e) {
            return staging("the zero-copy shim for " + platform + " did not load: " + e, e);
        }
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
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
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
     * {@code dlopen(file, RTLD_NOW | RTLD_NOLOAD)} and {@code dlsym("cblas_dgemm")}, preferring the global scope's
     * definition when another library interposes it: {@code "ok:"} and the file whose function is used, or
     * {@code "error:"} and the reason.
     */
    private static native String init0(String openBlasFile);

    private static native void dgemm0(boolean transA, boolean transB, int m, int n, int k, double alpha,
                                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                      double beta, double[] c, int cOff, int ldc);
}
