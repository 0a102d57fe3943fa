package dev.kronograd.backend.openblas;

import dev.kronograd.backend.BackendProvider;
import dev.kronograd.backend.BackendSelector;
import dev.kronograd.backend.BackendStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registration, listing and the {@code openblasThreads} setting. */
class OpenBlasBundledBackendProviderTest {

    @Test
    void isRegisteredAndListedAvailableWithTheLoadedFile() {
        List<String> names = ServiceLoader.load(BackendProvider.class).stream().map(p -> p.get().name()).collect(Collectors.toList());
        assertTrue(names.contains("openblas-bundled"), names.toString());

        BackendStatus status = BackendSelector.discover(getClass().getClassLoader()).list().stream()
                .filter(s -> s.name().equals("openblas-bundled")).findFirst().orElseThrow();
        assertEquals(250, status.speedRank());
        assertTrue(status.availability().available(), status.toString());
        assertTrue(status.availability().detail().matches("bundled OpenBLAS /.*/libopenblas[^ ]*\\.so[^ ]* \\(org\\.bytedeco:openblas:0\\.3\\.31-1\\.5\\.13, linux-x86_64, through JavaCPP\\); "
                        + "gemm (zero-copy through kronograd's JNI shim /.*/libkronograd-openblas\\.so on a private copy of the bundled OpenBLAS, "
                        + "/.*\\.kronograd-private\\.so \\(bound to itself, so a system BLAS loaded earlier cannot take its place\\)"
                        + ", OpenBLAS 0\\.3\\.31(\\.\\S+)?, \\S+ kernels; parallel gemm on (the shim's worker threads|OpenBLAS's own threads).*"
                        + "|through staging copies: .+)"),
                status.availability().detail());
    }

    @Test
    void threadsSettingParsesAutoNumbersAndRejectsTheRestNamingTheProperty() {
        assertEquals(Runtime.getRuntime().availableProcessors(), OpenBlasLinearAlgebra.Settings.fromProperties(new Properties()).threads());
        assertEquals(Runtime.getRuntime().availableProcessors(), OpenBlasLinearAlgebra.Settings.fromProperties(props(" AUTO ")).threads());
        assertEquals(3, OpenBlasLinearAlgebra.Settings.fromProperties(props("3")).threads());
        for (String bad : List.of("0", "-2", "two")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OpenBlasLinearAlgebra.Settings.fromProperties(props(bad)));
            assertTrue(e.getMessage().contains("-Dkronograd.openblasThreads=" + bad) && e.getMessage().contains("'auto'"), e.getMessage());
        }
    }

    @Test
    void defaultSettingsSplitSmallMidAndLargeGemm() {
        OpenBlasLinearAlgebra la = OpenBlasLinearAlgebra.create(OpenBlasLinearAlgebra.Settings.withThreads(2));
        assertEquals(12L * 12 * 12, la.settings().gemmMinWork());
        assertEquals(256L * 256 * 256, la.settings().multiThreadMinWork());
        assertEquals("openblas-bundled", la.name());
    }

    private static Properties props(String threads) {
        Properties p = new Properties();
        p.setProperty(OpenBlasLinearAlgebra.THREADS_PROPERTY, threads);
        return p;
    }
}
