package dev.kronograd.activations;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract failure shown in docs/activations.md ("A failure reads like this") is what
 * {@link ActivationContract} reports for the first draft of squareplus described there, whose
 * value (z + r)/2 overflows at z = 1e308.
 */
class DocumentedReportTest {
    private static final String MARKER = "<!-- checked by: DocumentedReportTest -->";

    /** The guide's squareplus with its first draft of σ: (z + r)/2 for every z. */
    public static final class Squareplus implements Activation {
        @Override
        public String name() {
            return "squareplus";
        }

        @Override
        public double value(double z) {
            return (z + Math.hypot(z, 2)) / 2;
        }

        @Override
        public double derivative(double z) {
            if (Double.isInfinite(z)) {
                return z > 0 ? 1.0 : 0.0;
            }
            double r = Math.hypot(z, 2);
            return z >= 0 ? 0.5 * (1 + z / r) : 2 / ((r - z) * r);
        }

        @Override
        public double secondDerivative(double z) {
            double r = Math.hypot(z, 2);
            return 2 / r / r / r;
        }
    }

    @Test
    void theGuidesFailureIsWhatTheCheckerReports() throws IOException {
        Path guide = Path.of("").toAbsolutePath().getParent().resolve("docs/activations.md");
        List<String> lines = Files.readAllLines(guide);
        int marker = lines.indexOf(MARKER);
        assertTrue(marker >= 0, "docs/activations.md has the line " + MARKER);
        assertEquals("```", lines.get(marker + 1));
        int end = lines.subList(marker + 2, lines.size()).indexOf("```") + marker + 2;
        String documented = String.join("\n", lines.subList(marker + 2, end));
        String reported = ActivationContract.verify(new Squareplus()).toString()
                .replace(Squareplus.class.getName(), "com.example.activation.Squareplus");
        assertEquals(documented, reported);
    }
}
