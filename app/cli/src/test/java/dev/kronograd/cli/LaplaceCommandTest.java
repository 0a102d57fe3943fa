package dev.kronograd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.laplace.Laplace;
import dev.kronograd.sdk.laplace.Predictive;
import dev.kronograd.sdk.laplace.Structure;
import dev.kronograd.service.io.CaseReader;
import dev.kronograd.service.io.GradientCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kronograd laplace}: the output against the SDK's {@link Laplace} on the same case, and its errors. */
class LaplaceCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The CLI may run on another backend than the SDK here: results differ by rounding only. */
    private static final double ROUNDING = 1e-12;
    private static final String REGRESSION = "tanh-two-layers.json";   // squared error, 2 → 3 → 2, B = 3
    private static final String CLASSIFICATION = "sigmoid-softmax.json";   // softmax cross-entropy, 4 → 3 → 3, B = 2

    private static GradientCase read(String name) throws Exception {
        return CaseReader.using(Kronograd.builder().backend("ejml").build()).read(Path.of(CliRun.caseFile(name)));
    }

    private static Path predictFile(Path dir, String json) throws Exception {
        Path file = dir.resolve("predict.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void everyStructureMatchesTheSdkWithThePredictive(@TempDir Path dir) throws Exception {
        Path predict = predictFile(dir, "{\"inputs\": [[0.1, -0.2], [1.5, 0.5], [-1, 2]]}");
        DenseMatrix xStar = DenseMatrix.ofRows(new double[] {0.1, 1.5, -1}, new double[] {-0.2, 0.5, 2});
        GradientCase c = read(REGRESSION);
        for (Structure s : Structure.values()) {
            CliRun run = CliRun.of("laplace", "--input", CliRun.caseFile(REGRESSION), "--prior-precision", "0.5", "--sigma-noise", "0.3",
                    "--structure", s.label(), "--predict", predict.toString());
            assertEquals(0, run.code(), run.toString());
            JsonNode json = JSON.readTree(run.out());
            assertEquals(List.of("log_marginal_likelihood", "predictive"), names(json), s.label());
            Laplace expected = Laplace.builder(c.network(), c.inputs(), c.loss(), c.targets()).structure(s).priorPrecision(0.5)
                    .sigmaNoise(0.3).build();
            double logZ = expected.logMarginalLikelihood();
            assertEquals(logZ, json.get("log_marginal_likelihood").asDouble(), ROUNDING * Math.abs(logZ), s.label());
            Predictive p = expected.predictive(xStar);
            JsonNode mean = json.get("predictive").get("mean");
            JsonNode variance = json.get("predictive").get("variance");
            assertEquals(3, mean.size());
            assertEquals(3, variance.size());
            for (int sample = 0; sample < 3; sample++) {
                assertEquals(2, mean.get(sample).size());
                for (int j = 0; j < 2; j++) {
                    assertEquals(p.mean().get(j, sample), mean.get(sample).get(j).asDouble(), ROUNDING * (1 + Math.abs(p.mean().get(j, sample))));
                    double v = p.variance().get(j, sample);
                    assertTrue(v > 0);
                    assertEquals(v, variance.get(sample).get(j).asDouble(), 1e-10 * v, s.label() + " variance");
                }
            }
        }
    }

    @Test
    void classificationNeedsNoNoiseAndPredictiveIsOptional() throws Exception {
        CliRun run = CliRun.of("laplace", "--input", CliRun.caseFile(CLASSIFICATION), "--prior-precision", "2", "--structure", "kron");
        assertEquals(0, run.code(), run.toString());
        JsonNode json = JSON.readTree(run.out());
        assertEquals(List.of("log_marginal_likelihood"), names(json));
        GradientCase c = read(CLASSIFICATION);
        double logZ = Laplace.builder(c.network(), c.inputs(), c.loss(), c.targets()).structure(Structure.KRON).priorPrecision(2)
                .build().logMarginalLikelihood();
        assertEquals(logZ, json.get("log_marginal_likelihood").asDouble(), ROUNDING * Math.abs(logZ));
    }

    @Test
    void tunePriorPrintsTheMaximisingPrecision() throws Exception {
        CliRun run = CliRun.of("laplace", "--input", CliRun.caseFile(REGRESSION), "--sigma-noise", "0.3", "--structure", "diag", "--tune-prior");
        assertEquals(0, run.code(), run.toString());
        JsonNode json = JSON.readTree(run.out());
        assertEquals(List.of("prior_precision", "log_marginal_likelihood"), names(json));
        double delta = json.get("prior_precision").asDouble();
        double best = json.get("log_marginal_likelihood").asDouble();
        GradientCase c = read(REGRESSION);
        Laplace laplace = Laplace.builder(c.network(), c.inputs(), c.loss(), c.targets()).structure(Structure.DIAG).sigmaNoise(0.3).build();
        assertEquals(laplace.logMarginalLikelihood(delta), best, ROUNDING * Math.abs(best));
        for (double factor : new double[] {0.99, 1.01, 0.5, 2}) {
            assertTrue(laplace.logMarginalLikelihood(delta * factor) < best, "log Z at " + factor + "δ* is not lower");
        }
    }

    @Test
    void badOptionsAreOneLineErrorsNamingTheOption(@TempDir Path dir) throws Exception {
        String regression = CliRun.caseFile(REGRESSION);
        String classification = CliRun.caseFile(CLASSIFICATION);
        assertError(CliRun.of("laplace", "--input", regression, "--structure", "full", "--sigma-noise", "1"), "--prior-precision is required");
        assertError(CliRun.of("laplace", "--input", regression, "--structure", "full", "--sigma-noise", "1", "--prior-precision", "0"),
                "--prior-precision must be a positive");
        assertError(CliRun.of("laplace", "--input", regression, "--structure", "full", "--sigma-noise", "1", "--prior-precision", "-2"),
                "--prior-precision must be a positive");
        assertError(CliRun.of("laplace", "--input", regression, "--structure", "full", "--sigma-noise", "-1", "--prior-precision", "1"),
                "--sigma-noise must be a positive");
        assertError(CliRun.of("laplace", "--input", regression, "--structure", "full", "--prior-precision", "1"),
                "--sigma-noise is required");
        assertError(CliRun.of("laplace", "--input", classification, "--structure", "diag", "--prior-precision", "1", "--sigma-noise", "1"),
                "--sigma-noise applies only to squared-error");
        assertError(CliRun.of("laplace", "--input", classification, "--structure", "blocks", "--prior-precision", "1"),
                "--structure must be one of full|diag|kron|ekfac|last-layer");
        assertError(CliRun.of("laplace", "--input", classification, "--prior-precision", "1"), "--structure");
        Path predict = predictFile(dir, "{\"inputs\": [[0.1, -0.2, 0.3, 0.4], [1.5, 0.5, 3]]}");
        assertError(CliRun.of("laplace", "--input", classification, "--structure", "diag", "--prior-precision", "1", "--predict",
                predict.toString()), "inputs[1] must be an array of 4 numbers");
        Path wrongKey = dir.resolve("wrong.json");
        Files.writeString(wrongKey, "{\"x\": [[0.1, -0.2]]}");
        assertError(CliRun.of("laplace", "--input", classification, "--structure", "diag", "--prior-precision", "1", "--predict",
                wrongKey.toString()), "--predict");
        assertError(CliRun.of("laplace", "--input", classification, "--structure", "diag", "--prior-precision", "1", "--predict",
                dir.resolve("missing.json").toString()), "--predict file");

        // 40 inputs → 30 outputs: 1230 parameters, over the dense limit of 1000.
        StringBuilder big = new StringBuilder("{\"layers\": [{\"weights\": [");
        for (int i = 0; i < 30; i++) {
            big.append(i == 0 ? "" : ",").append("[");
            for (int j = 0; j < 40; j++) {
                big.append(j == 0 ? "" : ",").append(0.01 * ((i * 7 + j * 3) % 11 - 5));
            }
            big.append("]");
        }
        big.append("], \"bias\": [").append("0,".repeat(29)).append("0], \"activation\": \"identity\"}], \"inputs\": [[")
                .append("1,".repeat(39)).append("1]], \"loss\": {\"type\": \"squared-error\", \"targets\": [[").append("0,".repeat(29))
                .append("0]]}}");
        Path bigCase = dir.resolve("big.json");
        Files.writeString(bigCase, big.toString());
        CliRun tooBig = CliRun.of("laplace", "--input", bigCase.toString(), "--structure", "full", "--prior-precision", "1", "--sigma-noise", "1");
        assertError(tooBig, "--structure full materialises");
        assertTrue(tooBig.err().contains("P = 1230") && tooBig.err().contains("limit of 1000"), tooBig.toString());
        CliRun diagBig = CliRun.of("laplace", "--input", bigCase.toString(), "--structure", "diag", "--prior-precision", "1", "--sigma-noise", "1");
        assertEquals(0, diagBig.code(), diagBig.toString());
    }

    private static void assertError(CliRun run, String part) {
        assertEquals(KronogradCli.EXIT_USER_ERROR, run.code(), run.toString());
        assertEquals(1, run.errLines().size(), run.toString());
        assertTrue(run.err().contains(part), "expected '" + part + "' in: " + run.err());
        assertEquals("", run.out(), run.toString());
    }

    private static List<String> names(JsonNode json) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
