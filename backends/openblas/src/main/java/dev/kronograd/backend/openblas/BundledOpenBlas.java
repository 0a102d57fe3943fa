package dev.kronograd.backend.openblas;

import dev.kronograd.backend.Availability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The OpenBLAS of {@code org.bytedeco:openblas}, extracted from its platform jar into JavaCPP's
 * cache ({@code ~/.javacpp/cache}, or {@code -Dorg.bytedeco.javacpp.cachedir}) and loaded at most
 * once per JVM, with an honest account of what happened.
 *
 * <p>JavaCPP's {@code Loader.load(openblas_nolapack.class)} extracts the natives for
 * {@code Loader.getPlatform()} (e.g. {@code linux-x86_64}) — OpenBLAS itself, its Fortran runtime
 * and the small JNI wrapper — and loads them from the cache; it does not look at the system's
 * {@code libblas.so.3}. Without the platform jar on the class path it fails with
 * {@code UnsatisfiedLinkError: no jniopenblas_nolapack in java.library.path}; this class tells
 * that case (no natives for this platform: add the classifier) from a failed extraction or load.
 *
 * <p><b>Load order: netlib's native BLAS first.</b> The bundled OpenBLAS's soname is
 * {@code libopenblas.so.0}, and so is the system's: Debian's {@code libblas.so.3} (what netlib's
 * JNI shim dlopens for {@code netlib-native}) is a thin wrapper that needs {@code libopenblas.so.0}.
 * If the bundled library is loaded first, the dynamic loader satisfies that need with the
 * already-loaded bundled 0.3.31 under the system's 0.3.21 wrapper, and the next CBLAS call crashes
 * the JVM (SIGSEGV, reproduced here). Loaded the other way round, both libraries are mapped, each
 * from its own file. Netlib's Java BLAS, used here for small calls, initialises netlib's native side
 * as a side effect anyway; so this class lets netlib load its native BLAS first
 * ({@code NativeBLAS.getInstance()}, whatever the outcome), then loads the bundled one. A system BLAS
 * loaded later by other means than netlib is outside this guard.
 *
 * <p><b>Interposition.</b> Netlib's system BLAS is then in the process's global symbol scope, which
 * the dynamic loader searches first: JavaCPP's {@code cblas_dgemm} and {@code openblas_set_num_threads}
 * bind to the system library, and so do the bundled library's own internal references (its
 * {@code gotoblas} tables): through JavaCPP, this backend would compute with the system OpenBLAS and
 * set the system library's threads. {@code CriticalGemm} therefore computes with a private,
 * deep-bound copy of the bundled file, which binds to itself; the staging route (no shim on this
 * platform, or {@code -Dkronograd.openblas.zeroCopy=false}) still goes through JavaCPP and is
 * subject to the interposition. This class itself sets no thread count.
 *
 * <p>Once loaded, the files actually mapped are read from {@code /proc/self/maps} (Linux); the
 * description names the OpenBLAS file under the cache. The outcome is held in a lazily
 * initialised holder: like JavaCPP's own loading it cannot change within a JVM.
 */
final class BundledOpenBlas {

    /** The artifact that carries the natives, for messages. */
    static final String ARTIFACT = "org.bytedeco:openblas:0.3.31-1.5.13";

    private static final Logger LOG = LoggerFactory.getLogger(BundledOpenBlas.class);

    private final Availability availability;
    private final Path openBlasFile;

    private BundledOpenBlas(Availability availability, Path openBlasFile) {
        this.availability = availability;
        this.openBlasFile = openBlasFile;
    }

    private static final class Holder {
        static final BundledOpenBlas LOADED = load();
    }

    /** The outcome of loading, attempted on first call. Never throws. */
    static BundledOpenBlas get() {
        return Holder.LOADED;
    }

    /** Available with the files loaded, or unavailable with the platform, the error and the fix. */
    Availability availability() {
        return availability;
    }

    /** Whether the library loaded (then the CBLAS calls of {@code openblas_nolapack} work). */
    boolean loaded() {
        return availability.available();
    }

    /** The OpenBLAS file this load mapped, as /proc/self/maps names it; empty when not loaded or not known (no /proc). */
    Optional<Path> openBlasFile() {
        return Optional.ofNullable(openBlasFile);
    }

    private static BundledOpenBlas load() {
        String platform = "unknown";
        try {
            loadNetlibNativeFirst();
            Set<String> before = mappedFiles();
            platform = org.bytedeco.javacpp.Loader.getPlatform();
            String jni = org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas_nolapack.class);
            List<String> files = loadedOpenBlasFiles(before);
            String detail = describeLoaded(platform, jni, files);
            LOG.debug("openblas-bundled loaded: {}", detail);
            return new BundledOpenBlas(Availability.available(detail), files.isEmpty() ? null : Path.of(files.get(0)));
        } catch (LinkageError | RuntimeException e) {
            String reason = explainFailure(platform, e);
            LOG.debug("openblas-bundled unavailable: {}", reason, e);
            return new BundledOpenBlas(Availability.unavailable(reason, e), null);
        }
    }

    /** Lets netlib's JNI shim dlopen the system BLAS (if any) before the bundled library is loaded: see the class comment. */
    private static void loadNetlibNativeFirst() {
        try {
            dev.ludovic.netlib.blas.NativeBLAS.getInstance();
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("netlib's native BLAS did not load before the bundled OpenBLAS (no system BLAS to collide with): {}", e.toString());
        }
    }

    /** The OpenBLAS files this load mapped (not one netlib mapped before), in mapping order. */
    private static List<String> loadedOpenBlasFiles(Set<String> before) {
        return mappedFiles().stream()
                .filter(f -> !before.contains(f))
                .filter(f -> Path.of(f).getFileName().toString().startsWith("libopenblas"))
                .collect(Collectors.toList());
    }

    /** The OpenBLAS file this load mapped, the artifact and the platform. */
    private static String describeLoaded(String platform, String jniFile, List<String> files) {
        String openBlas = String.join(", ", files);
        return "bundled OpenBLAS " + (openBlas.isEmpty() ? "(loaded with " + jniFile + "; no /proc/self/maps to name the file)" : openBlas)
                + " (" + artifact() + ", " + platform + ", through JavaCPP)";
    }

    /** groupId:artifactId:version of the presets from their Maven metadata (also inside a fat jar), else {@link #ARTIFACT}. */
    private static String artifact() {
        try (var in = org.bytedeco.openblas.global.openblas_nolapack.class.getResourceAsStream("/META-INF/maven/org.bytedeco/openblas/pom.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                String version = p.getProperty("version");
                if (version != null) {
                    return "org.bytedeco:openblas:" + version;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the constant below
        }
        return ARTIFACT;
    }

    /** Files mapped into this process, in order, without duplicates (empty when /proc/self/maps is not there). */
    private static Set<String> mappedFiles() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return Set.of();
        }
        try (Stream<String> lines = Files.lines(maps)) {
            return lines.map(line -> line.split("\\s+", 6))
                    .filter(fields -> fields.length == 6 && fields[5].startsWith("/"))
                    .map(fields -> fields[5].trim())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    static String explainFailure(String platform, Throwable error) {
        if (error instanceof NoClassDefFoundError) {
            return "JavaCPP or the OpenBLAS presets are not on the class path (" + rootMessage(error) + "). Fix: depend on "
                    + ARTIFACT + " (kronograd-backend-openblas brings it) and on its natives, classifier " + platform + ".";
        }
        String resource = "org/bytedeco/openblas/" + platform + "/";
        boolean nativesPresent = BundledOpenBlas.class.getClassLoader() != null
                && BundledOpenBlas.class.getClassLoader().getResource(resource) != null;
        if (!nativesPresent) {
            return "no bundled OpenBLAS for platform " + platform + " on the class path (" + rootMessage(error)
                    + "). Fix: add the natives for this platform, " + ARTIFACT + ":" + platform + " and org.bytedeco:javacpp:1.5.13:"
                    + platform + " (Maven: <classifier>" + platform + "</classifier>, or -Djavacpp.platform=" + platform
                    + " with the -platform artifacts); natives exist for linux-x86_64, linux-arm64, macosx-x86_64, macosx-arm64 and windows-x86_64.";
        }
        return "the bundled OpenBLAS for " + platform + " is on the class path but did not load: " + rootMessage(error)
                + ". JavaCPP extracts it to " + cacheDir() + " (set -Dorg.bytedeco.javacpp.cachedir=DIR to a writable directory"
                + " on a local, non-noexec file system), then loads it from there.";
    }

    private static String cacheDir() {
        try {
            return org.bytedeco.javacpp.Loader.getCacheDir().toString();
        } catch (IOException | RuntimeException | LinkageError e) {
            return "its cache directory (" + e + ")";
        }
    }

    /** The innermost message of a cause chain, where the real reason is. */
    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
