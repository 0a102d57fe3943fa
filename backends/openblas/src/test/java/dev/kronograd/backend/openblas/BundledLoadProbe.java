package dev.kronograd.backend.openblas;

import com.google.inject.Guice;
import com.google.inject.ProvisionException;
import dev.kronograd.backend.BackendRequest;
import dev.kronograd.backend.BackendSelector;
import dev.kronograd.backend.BackendStatus;
import dev.kronograd.backend.BackendUnavailableException;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import dev.kronograd.core.linalg.Transpose;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Child-JVM side of {@link BundledLoadTest}: what the {@code openblas-bundled} provider says and
 * computes under this JVM's settings, as key=value lines on stdout (the protocol with the parent
 * test, hence System.out).
 */
public final class BundledLoadProbe {

    private BundledLoadProbe() {
    }

    public static void main(String[] args) throws Exception {
        BackendSelector selector = BackendSelector.discover(BundledLoadProbe.class.getClassLoader());
        BackendStatus status = selector.list().stream().filter(s -> s.name().equals(OpenBlasBundledBackendProvider.NAME))
                .findFirst().orElseThrow();
        report("available", status.availability().available());
        report("listing", status);
        report("cause", status.availability().causeIfAny().map(BundledLoadProbe::describe).orElse("none"));
        try {
            LinearAlgebra la = Guice.createInjector(selector.select(new BackendRequest(OpenBlasBundledBackendProvider.NAME, "probe")).module())
                    .getInstance(LinearAlgebra.class);
            report("provision", la.name());
            report("gemmMaxError", gemmError(la));
        } catch (BackendUnavailableException | ProvisionException e) {
            report("provision", describe(e));
        }
        // Whether netlib's shim loaded a system BLAS in this JVM (it is initialised before the bundled library).
        String netlib;
        try {
            dev.ludovic.netlib.blas.NativeBLAS.getInstance();
            netlib = "loaded";
        } catch (RuntimeException | LinkageError e) {
            netlib = "unavailable";
        }
        report("netlibNative", netlib);
        Path maps = Path.of("/proc/self/maps");
        if (Files.isReadable(maps)) {
            report("mappedOpenBlas", Files.readAllLines(maps).stream().map(l -> l.split("\\s+", 6))
                    .filter(f -> f.length == 6 && f[5].contains("openblas")).map(f -> f[5].trim()).distinct()
                    .collect(Collectors.joining(",")));
        }
    }

    /** Max |C − C_ref| of a 70×50·50×90 product (native, multi-threaded route included) against the reference. */
    private static double gemmError(LinearAlgebra la) {
        int m = 70, k = 50, n = 90;
        Random random = new Random(16);
        double[] a = random.doubles((long) m * k, -1, 1).toArray();
        double[] b = random.doubles((long) k * n, -1, 1).toArray();
        double[] c = new double[m * n];
        double[] expected = new double[m * n];
        la.gemm(Transpose.N, Transpose.N, m, n, k, 1.0, a, 0, m, b, 0, k, 0.0, c, 0, m);
        new ReferenceLinearAlgebra().gemm(Transpose.N, Transpose.N, m, n, k, 1.0, a, 0, m, b, 0, k, 0.0, expected, 0, m);
        double max = 0;
        for (int i = 0; i < c.length; i++) {
            max = Math.max(max, Math.abs(c[i] - expected[i]));
        }
        return max;
    }

    private static String describe(Throwable t) {
        return t.getClass().getName() + ": " + t.getMessage();
    }

    private static void report(String key, Object value) {
        System.out.println(key + "=" + String.valueOf(value).replace('\n', ' '));
    }
}
