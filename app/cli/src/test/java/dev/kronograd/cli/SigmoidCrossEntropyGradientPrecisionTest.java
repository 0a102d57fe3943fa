package dev.kronograd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kronograd gradient} on a {@code sigmoid-cross-entropy} case with logits of several hundred
 * (±700): the loss and every gradient component against a 60-digit BigDecimal reference, relative
 * 1e-12 — including σ(225) − 1 = −e^{−225}, which a naive σ(f) − y rounds to zero.
 */
class SigmoidCrossEntropyGradientPrecisionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MathContext MC = new MathContext(60);
    private static final double RELATIVE = 1e-12;

    // One identity layer, 2 inputs → 4 logits; every number is exact in binary, so the logits are exact.
    private static final double[][] W = {{300, 0}, {0, -450}, {650, 50}, {-1, 0.5}};
    private static final double[] B = {0, 0, 0, 0.25};
    private static final double[][] X = {{1, 1}, {0.5, -0.5}};          // samples
    private static final double[][] Y = {{1, 0, 0.25, 0.5}, {0, 1, 0.75, 0}};

    @Test
    void matchesAHighPrecisionReference(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bce.json");
        Files.writeString(file, "{\"layers\": [{\"weights\": " + JSON.writeValueAsString(W) + ", \"bias\": " + JSON.writeValueAsString(B)
                + ", \"activation\": \"identity\"}], \"inputs\": " + JSON.writeValueAsString(X)
                + ", \"loss\": {\"type\": \"sigmoid-cross-entropy\", \"targets\": " + JSON.writeValueAsString(Y) + "}}");
        CliRun run = CliRun.of("gradient", "--input", file.toString());
        assertEquals(0, run.code(), run.toString());
        JsonNode json = JSON.readTree(run.out());

        BigDecimal loss = BigDecimal.ZERO;
        BigDecimal[][] gw = new BigDecimal[W.length][W[0].length];
        BigDecimal[] gb = new BigDecimal[W.length];
        for (int i = 0; i < W.length; i++) {
            gb[i] = BigDecimal.ZERO;
            for (int j = 0; j < W[0].length; j++) {
                gw[i][j] = BigDecimal.ZERO;
            }
        }
        double largest = 0;
        for (int s = 0; s < X.length; s++) {
            for (int i = 0; i < W.length; i++) {
                double fd = B[i];
                for (int j = 0; j < X[s].length; j++) {
                    fd += W[i][j] * X[s][j];
                }
                largest = Math.max(largest, Math.abs(fd));
                BigDecimal f = new BigDecimal(fd);
                BigDecimal y = new BigDecimal(Y[s][i]);
                // σ(f) − y and softplus(f) − y f = max(f, 0) − y f + log(1 + e^{−|f|})
                BigDecimal e = exp(f.abs().negate());
                BigDecimal small = e.divide(BigDecimal.ONE.add(e), MC);
                BigDecimal residual = f.signum() >= 0 ? BigDecimal.ONE.subtract(y).subtract(small, MC) : small.subtract(y, MC);
                loss = loss.add(f.max(BigDecimal.ZERO).subtract(y.multiply(f)).add(log1p(e)), MC);
                gb[i] = gb[i].add(residual, MC);
                for (int j = 0; j < X[s].length; j++) {
                    gw[i][j] = gw[i][j].add(residual.multiply(new BigDecimal(X[s][j])), MC);
                }
            }
        }
        assertTrue(largest >= 700, "the case has logits of several hundred");
        assertClose(loss, json.get("loss").asDouble(), "loss");
        JsonNode layer = json.get("gradients").get(0);
        for (int i = 0; i < W.length; i++) {
            assertClose(gb[i], layer.get("bias").get(i).asDouble(), "bias[" + i + "]");
            for (int j = 0; j < W[0].length; j++) {
                assertClose(gw[i][j], layer.get("weights").get(i).get(j).asDouble(), "weights[" + i + "][" + j + "]");
            }
        }
        // σ(225) − 1 is there, not rounded away
        assertTrue(Math.abs(layer.get("weights").get(1).get(0).asDouble()) > 1e-200, layer.toString());
    }

    private static void assertClose(BigDecimal expected, double actual, String what) {
        double e = expected.doubleValue();
        assertTrue(e != 0, what + ": the reference is not zero");
        double relative = Math.abs(actual - e) / Math.abs(e);
        assertTrue(relative <= RELATIVE, what + ": got " + actual + ", reference " + expected.round(new MathContext(20)) + " (relative error "
                + relative + ")");
    }

    /** e^x for x ≤ 0 to ~60 digits: e^{x/2^12} by its Taylor series, squared 12 times. */
    private static BigDecimal exp(BigDecimal x) {
        BigDecimal r = x.divide(BigDecimal.valueOf(4096), MC);
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        for (int k = 1; k < 80; k++) {
            term = term.multiply(r, MC).divide(BigDecimal.valueOf(k), MC);
            sum = sum.add(term, MC);
        }
        for (int k = 0; k < 12; k++) {
            sum = sum.multiply(sum, MC);
        }
        return sum;
    }

    /** log(1 + t), t ∈ [0, 1], as 2 atanh(t/(2 + t)). */
    private static BigDecimal log1p(BigDecimal t) {
        BigDecimal z = t.divide(BigDecimal.valueOf(2).add(t), MC);
        BigDecimal z2 = z.multiply(z, MC);
        BigDecimal power = z;
        BigDecimal sum = BigDecimal.ZERO;
        for (int k = 0; k < 200; k++) {
            sum = sum.add(power.divide(BigDecimal.valueOf(2L * k + 1), MC), MC);
            power = power.multiply(z2, MC);
        }
        return sum.multiply(BigDecimal.valueOf(2), MC);
    }
}
