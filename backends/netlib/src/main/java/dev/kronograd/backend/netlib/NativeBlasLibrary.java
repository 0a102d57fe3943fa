package dev.kronograd.backend.netlib;

import dev.kronograd.backend.Availability;
import dev.ludovic.netlib.blas.NativeBLAS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The system BLAS reached through netlib's JNI shim, loaded at most once per JVM, with an honest
 * account of what happened.
 *
 * <p>How netlib 3.0.4 loads: initialising its {@code JNIBLAS} class extracts the bundled shim
 * {@code libnetlibblasjni.so} and {@code System.load}s it; the shim's {@code JNI_OnLoad}
 * {@code dlopen()}s the library named by {@code -Ddev.ludovic.netlib.blas.nativeLibPath} (a path)
 * or else {@code -Ddev.ludovic.netlib.blas.nativeLib} (default {@code libblas.so.3}) and resolves
 * the Fortran BLAS symbols. If that fails, {@code JNI_OnLoad} returns an error, which the JVM
 * reports as "unsupported JNI version 0xFFFFFFFF". {@code NativeBLAS.getInstance()} then throws
 * only "Unable to load native implementation" — the cause is dropped — and
 * {@code BLAS.getInstance()} silently falls back to Java. So this class initialises
 * {@code JNIBLAS} itself, keeps the real error, and explains it.
 *
 * <p>Once loaded, the files actually mapped are read from {@code /proc/self/maps} (Linux): on
 * Debian {@code libblas.so.3} is an alternatives symlink, and the file that matters is e.g.
 * {@code /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so}.
 *
 * <p>The outcome is held in a lazily initialised holder: like netlib's own static state it cannot
 * change within a JVM (a failed class initialisation is never retried), so there is nothing to
 * reset and no mutable static state.
 */
final class NativeBlasLibrary {

    /** System property naming the BLAS library for netlib's shim to dlopen (default {@value #DEFAULT_LIBRARY}). */
    static final String NATIVE_LIB_PROPERTY = "dev.ludovic.netlib.blas.nativeLib";
    /** System property giving a path to the BLAS library; takes precedence over {@value #NATIVE_LIB_PROPERTY}. */
    static final String NATIVE_LIB_PATH_PROPERTY = "dev.ludovic.netlib.blas.nativeLibPath";
    /** What netlib 3.0.4 dlopens by default. */
    static final String DEFAULT_LIBRARY = "libblas.so.3";
    /** The fix for the common case, quoted in every failure. */
    static final String INSTALL_HINT = "apt-get install libopenblas0-pthread";

    private static final Logger LOG = LoggerFactory.getLogger(NativeBlasLibrary.class);

    private static final Pattern BLAS_FILE = Pattern.compile(".*(blas|mkl|blis|atlas).*", Pattern.CASE_INSENSITIVE);

    private final NativeBLAS blas;
    private final Availability availability;
    private final boolean multiThreaded;

    private NativeBlasLibrary(NativeBLAS blas, Availability availability, boolean multiThreaded) {
        this.blas = blas;
        this.availability = availability;
        this.multiThreaded = multiThreaded;
    }

    private static final class Holder {
        static final NativeBlasLibrary LOADED = load();
    }

    /** The outcome of loading, attempted on first call. Never throws. */
    static NativeBlasLibrary get() {
        return Holder.LOADED;
    }

    /** Available with the files loaded, or unavailable with the library tried, the error and the fix. */
    Availability availability() {
        return availability;
    }

    /** The native BLAS, if it loaded. */
    Optional<NativeBLAS> blas() {
        return Optional.ofNullable(blas);
    }

    /** Whether the loaded BLAS is OpenBLAS running more than one thread (see {@link #openBlasThreads()}). */
    boolean multiThreaded() {
        return multiThreaded;
    }

    private static NativeBlasLibrary load() {
        String requested = requestedLibrary();
        Set<String> before = mappedBlasFiles();
        try {
            Class.forName("dev.ludovic.netlib.blas.JNIBLAS", true, NativeBLAS.class.getClassLoader());
            NetlibInitialisation.initialise(); // netlib's instance builders, their messages to SLF4J
            NativeBLAS blas = NativeBLAS.getInstance();
            Set<String> after = mappedBlasFiles();
            boolean openBlas = after.stream().anyMatch(f -> f.toLowerCase(Locale.ROOT).contains("openblas"));
            boolean multiThreaded = openBlas && openBlasThreads() > 1;
            String detail = describeLoaded(requested, before, after, openBlas);
            // DEBUG: the application's backend selection announces the choice at INFO.
            LOG.debug("netlib-native loaded: {}", detail);
            return new NativeBlasLibrary(blas, Availability.available(detail), multiThreaded);
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            String reason = explainFailure(requested, e);
            LOG.debug("netlib-native unavailable: {}", reason, e);
            return new NativeBlasLibrary(null, Availability.unavailable(reason, e), false);
        }
    }

    /**
     * The thread count OpenBLAS (pthreads build) takes: {@code OPENBLAS_NUM_THREADS}, else
     * {@code GOTO_NUM_THREADS}, else {@code OMP_NUM_THREADS}, else one per processor.
     */
    static int openBlasThreads() {
        for (String variable : List.of("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")) {
            String value = System.getenv(variable);
            if (value != null) {
                try {
                    int threads = Integer.parseInt(value.trim());
                    if (threads > 0) {
                        return threads;
                    }
                } catch (NumberFormatException e) {
                    // OpenBLAS ignores a malformed value too; try the next variable.
                }
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** The library netlib's shim will dlopen: the path property, else the name property, else the default. */
    static String requestedFile() {
        String path = System.getProperty(NATIVE_LIB_PATH_PROPERTY);
        return path != null ? path : System.getProperty(NATIVE_LIB_PROPERTY, DEFAULT_LIBRARY);
    }

    /** The requested library and where the request came from, e.g. "libblas.so.3 (netlib's default)". */
    static String requestedLibrary() {
        String origin = System.getProperty(NATIVE_LIB_PATH_PROPERTY) != null ? "-D" + NATIVE_LIB_PATH_PROPERTY
                : System.getProperty(NATIVE_LIB_PROPERTY) != null ? "-D" + NATIVE_LIB_PROPERTY : "netlib's default";
        return requestedFile() + " (" + origin + ")";
    }

    private static String describeLoaded(String requested, Set<String> before, Set<String> after, boolean openBlas) {
        if (after.isEmpty()) {
            return "native BLAS " + requested + " via netlib JNI (the file loaded is not listed: no /proc/self/maps on this OS)";
        }
        Set<String> fresh = new LinkedHashSet<>(after);
        fresh.removeAll(before);
        // The file the requested name resolved to first (e.g. …/openblas-pthread/libblas.so.3), then what it pulled in.
        String requestedName = Path.of(requestedFile()).getFileName().toString();
        String files = (fresh.isEmpty() ? after : fresh).stream()
                .sorted(Comparator.comparing((String f) -> !Path.of(f).getFileName().toString().equals(requestedName)))
                .collect(Collectors.joining(", "));
        String detail = "native BLAS " + files + " (requested " + requested + ", via netlib JNI)";
        if (openBlas) {
            String variable = System.getenv("OPENBLAS_NUM_THREADS");
            detail += "; OpenBLAS threads: " + openBlasThreads()
                    + (variable == null ? " (OPENBLAS_NUM_THREADS unset)" : " (OPENBLAS_NUM_THREADS=" + variable + ")");
        }
        return detail;
    }

    /** Files mapped into this process whose names look like a BLAS, excluding netlib's own JNI shim. */
    private static Set<String> mappedBlasFiles() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return Set.of();
        }
        try (Stream<String> lines = Files.lines(maps)) {
            return lines.map(line -> line.split("\\s+", 6))
                    .filter(fields -> fields.length == 6 && fields[5].startsWith("/"))
                    .map(fields -> fields[5].trim())
                    .filter(file -> BLAS_FILE.matcher(Path.of(file).getFileName().toString()).matches())
                    .filter(file -> !file.contains("netlibblasjni"))
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    static String explainFailure(String requested, Throwable error) {
        StringBuilder why = new StringBuilder("could not load the native BLAS ").append(requested).append(": ")
                .append(rootMessage(error));
        if (String.valueOf(rootMessage(error)).contains("0xFFFFFFFF")) {
            why.append(" — netlib's JNI shim reports a failed dlopen() of the BLAS library (or missing BLAS symbols) this way");
        }
        why.append(". ").append(locate()).append(" Fix: ").append(INSTALL_HINT)
                .append(" (Debian/Ubuntu; any libblas.so.3 works, e.g. libblas3 or libmkl-rt), or point -D")
                .append(NATIVE_LIB_PATH_PROPERTY).append("=/path/to/libblas.so.3 at an installed BLAS.");
        return why.toString();
    }

    /** A hint whether the requested library file exists where the dynamic loader usually looks. */
    private static String locate() {
        String path = System.getProperty(NATIVE_LIB_PATH_PROPERTY);
        if (path != null) {
            return Files.exists(Path.of(path)) ? path + " exists, so it is not a usable BLAS (wrong architecture, missing dependencies or symbols)."
                    : path + " does not exist.";
        }
        String name = System.getProperty(NATIVE_LIB_PROPERTY, DEFAULT_LIBRARY);
        if (name.contains("/")) {
            return Files.exists(Path.of(name)) ? name + " exists but could not be used." : name + " does not exist.";
        }
        List<String> dirs = librarySearchDirectories();
        Optional<Path> found = dirs.stream().map(d -> Path.of(d, name)).filter(Files::exists).findFirst();
        return found.map(p -> name + " exists at " + p + ", so it is not a usable BLAS (missing dependencies or symbols).")
                .orElseGet(() -> name + " is not in " + String.join(", ", dirs) + ".");
    }

    private static List<String> librarySearchDirectories() {
        List<String> dirs = new ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            Stream.of(ld.split(":")).filter(s -> !s.isEmpty()).forEach(dirs::add);
        }
        String arch = System.getProperty("os.arch", "");
        String multiarch = switch (arch) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64" -> "aarch64-linux-gnu";
            case "riscv64" -> "riscv64-linux-gnu";
            default -> null;
        };
        if (multiarch != null) {
            dirs.add("/usr/lib/" + multiarch);
            dirs.add("/lib/" + multiarch);
        }
        dirs.addAll(List.of("/usr/lib64", "/usr/lib", "/lib64", "/lib", "/usr/local/lib"));
        return dirs;
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
