package dev.kronograd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.nn.Curvature;
import dev.kronograd.sdk.nn.CurvatureOperator;
import dev.kronograd.sdk.nn.Eigenpairs;
import dev.kronograd.sdk.nn.Lanczos;
import dev.kronograd.service.io.CaseReader;
import dev.kronograd.service.io.GradientCase;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.sdk.nn.TraceEstimate;
import dev.kronograd.sdk.nn.TraceEstimator;
import dev.kronograd.core.DenseVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kronograd hessian}: products checked against central differences of the gradient computed here. */
class HessianCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The CLI may run on another backend than the SDK here: results differ by rounding only. */
    private static final double ROUNDING = 1e-12;

    @Test
    void hessianVectorProductFromAVectorFileMatchesFiniteDifferencesOfTheGradient(@TempDir Path dir) throws Exception {
        String caseFile = CliRun.caseFile("tanh-two-layers.json");
        // the gradient command's own output is a valid vector file
        CliRun gradient = CliRun.of("gradient", "--input", caseFile);
        assertEquals(0, gradient.code(), gradient.toString());
        Path vectorFile = dir.resolve("v.json");
        Files.writeString(vectorFile, gradient.out());

        CliRun run = CliRun.of("hessian", "--input", caseFile, "--vector", vectorFile.toString());
        assertEquals(0, run.code(), run.toString());
        JsonNode product = JSON.readTree(run.out()).get("product");

        GradientCase c = CaseReader.using(Kronograd.builder().backend("ejml").build()).read(Path.of(caseFile));
        Network net = c.network();
        DenseVector v = CaseReader.parameterVector(JSON.readTree(gradient.out()).get("gradients"), "gradients", net);
        double h = 1e-5;
        Network plus = net.withParameters(add(net.parameters(), v, h));
        Network minus = net.withParameters(add(net.parameters(), v, -h));
        DenseVector gp = plus.gradient(c.inputs(), c.loss(), c.targets()).flat();
        DenseVector gm = minus.gradient(c.inputs(), c.loss(), c.targets()).flat();
        DenseVector got = CaseReader.parameterVector(product, "product", net);
        for (int i = 0; i < got.length(); i++) {
            double fd = (gp.get(i) - gm.get(i)) / (2 * h);
            assertEquals(fd, got.get(i), 1e-6 * (1 + Math.abs(fd)), "component " + i);
        }
    }

    @Test
    void randomVectorIsPrintedAndGaussNewtonIsPositiveAlongIt() throws Exception {
        CliRun run = CliRun.of("hessian", "--input", CliRun.caseFile("tanh-two-layers.json"), "--random", "7", "--ggn");
        assertEquals(0, run.code(), run.toString());
        JsonNode json = JSON.readTree(run.out());
        assertEquals("gauss-newton", json.get("matrix").asText());
        double dot = 0;
        JsonNode vector = json.get("vector").get("gradients");
        for (int k = 0; k < vector.size(); k++) {
            JsonNode v = vector.get(k);
            JsonNode p = json.get("product").get(k);
            for (int i = 0; i < v.get("bias").size(); i++) {
                dot += v.get("bias").get(i).asDouble() * p.get("bias").get(i).asDouble();
                for (int j = 0; j < v.get("weights").get(i).size(); j++) {
                    dot += v.get("weights").get(i).get(j).asDouble() * p.get("weights").get(i).get(j).asDouble();
                }
            }
        }
        assertTrue(dot >= 0, "vᵀ G v = " + dot);
    }

    @Test
    void aMissingModeIsOneErrorLineWithOnePrefix() {
        CliRun run = CliRun.of("hessian", "--input", CliRun.caseFile("tanh-two-layers.json"));
        assertEquals(2, run.code(), run.toString());
        assertEquals(1, run.errLines().size(), run.toString());
        String line = run.errLines().get(0);
        assertTrue(line.startsWith("kronograd: error: Missing required argument"), line);
        assertFalse(line.contains("Error: "), "picocli's 'Error: ' after ours: " + line);
        assertTrue(line.contains("--vector") && line.contains("--random"), line);
    }

    @Test
    void theOutputOfRandomIsAVectorFileForVector(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String input = CliRun.caseFile("tanh-two-layers.json");
        CliRun random = CliRun.of("hessian", "--input", input, "--random", "7");
        assertEquals(0, random.code(), random.toString());
        java.nio.file.Path file = dir.resolve("random.json");
        java.nio.file.Files.writeString(file, random.out());
        CliRun again = CliRun.of("hessian", "--input", input, "--vector", file.toString());
        assertEquals(0, again.code(), again.toString());
        assertEquals(JSON.readTree(random.out()).get("product"), JSON.readTree(again.out()).get("product"),
                "the same vector read back gives the same product");
        // and its "vector" alone, as a file of its own
        java.nio.file.Files.writeString(file, JSON.readTree(random.out()).get("vector").toString());
        CliRun alone = CliRun.of("hessian", "--input", input, "--vector", file.toString());
        assertEquals(JSON.readTree(random.out()).get("product"), JSON.readTree(alone.out()).get("product"), alone::toString);
    }

    @Test
    void denseLayerHessianIsSymmetricAndBadVectorsAreUserErrors(@TempDir Path dir) throws Exception {
        CliRun dense = CliRun.of("hessian", "--input", CliRun.caseFile("tanh-two-layers.json"), "--dense", "--layer", "1");
        assertEquals(0, dense.code(), dense.toString());
        JsonNode h = JSON.readTree(dense.out()).get("dense");
        for (int i = 0; i < h.size(); i++) {
            for (int j = 0; j < h.size(); j++) {
                assertEquals(h.get(i).get(j).asDouble(), h.get(j).get(i).asDouble(), 1e-12);
            }
        }
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"gradients\": [{\"weights\": [[1]], \"bias\": [1]}]}");
        CliRun run = CliRun.of("hessian", "--input", CliRun.caseFile("tanh-two-layers.json"), "--vector", bad.toString());
        assertEquals(2, run.code(), run.toString());
        assertEquals(1, run.errLines().size(), run.toString());
        assertTrue(run.err().contains("gradients: expected 2 entries (one per layer), got 1"), run.err());
    }

    @Test
    void diagonalAndTraceMatchTheSdk() throws Exception {
        String caseFile = CliRun.caseFile("tanh-two-layers.json");
        GradientCase c = CaseReader.using(Kronograd.builder().backend("ejml").build()).read(Path.of(caseFile));
        Network net = c.network();
        Curvature at = Curvature.at(net, c.inputs(), c.loss(), c.targets());
        for (boolean ggn : new boolean[] {false, true}) {
            String[] extra = ggn ? new String[] {"--ggn"} : new String[0];
            DenseVector expected = ggn ? at.ggn().diagonal() : at.hessian().diagonal();
            double expectedTrace = ggn ? at.ggn().trace() : at.hessian().trace();

            CliRun diagonal = CliRun.of(concat(new String[] {"hessian", "--input", caseFile, "--diagonal"}, extra));
            assertEquals(0, diagonal.code(), diagonal.toString());
            JsonNode json = JSON.readTree(diagonal.out());
            assertEquals(1, json.size(), "only \"diagonal\": " + diagonal.out());
            DenseVector got = CaseReader.parameterVector(json.get("diagonal"), "diagonal", net);
            double scale = 0;
            double sum = 0;
            for (int i = 0; i < expected.length(); i++) {
                scale = Math.max(scale, Math.abs(expected.get(i)));
                sum += got.get(i);
            }
            for (int i = 0; i < expected.length(); i++) {
                assertEquals(expected.get(i), got.get(i), ROUNDING * scale, (ggn ? "GGN" : "Hessian") + " diagonal " + i);
            }

            CliRun trace = CliRun.of(concat(new String[] {"hessian", "--input", caseFile, "--trace"}, extra));
            assertEquals(0, trace.code(), trace.toString());
            JsonNode t = JSON.readTree(trace.out());
            assertEquals(1, t.size(), "only \"trace\": " + trace.out());
            assertEquals(expectedTrace, t.get("trace").asDouble(), ROUNDING * Math.abs(expectedTrace), (ggn ? "GGN" : "Hessian") + " trace");
            assertEquals(sum, t.get("trace").asDouble(), ROUNDING * expected.length() * scale, "trace = Σ diagonal");
        }
    }

    @Test
    void diagonalAndTraceExcludeTheOtherModes() {
        String caseFile = CliRun.caseFile("tanh-two-layers.json");
        String[][] wrong = {{"--diagonal", "--trace"}, {"--trace", "--random", "3"}, {"--diagonal", "--dense"},
                {"--diagonal", "--vector", "v.json"}};
        for (String[] options : wrong) {
            CliRun run = CliRun.of(concat(new String[] {"hessian", "--input", caseFile}, options));
            assertEquals(2, run.code(), run.toString());
            assertEquals(1, run.errLines().size(), run.toString());
            assertTrue(run.err().contains("mutually exclusive"), run.err());
            assertTrue(run.err().contains(options[0]) && run.err().contains(options[1]), run.err());
        }
    }

    @Test
    void estimatedTraceAndStandardErrorEqualTheSdksForTheSameSeed() throws Exception {
        String caseFile = CliRun.caseFile("tanh-two-layers.json");
        GradientCase c = CaseReader.using(Kronograd.builder().backend("ejml").build()).read(Path.of(caseFile));
        Curvature at = Curvature.at(c.network(), c.inputs(), c.loss(), c.targets());
        for (boolean ggn : new boolean[] {false, true}) {
            for (String method : new String[] {"hutchinson", "hutch++"}) {
                TraceEstimate expected = method.equals("hutch++")
                        ? TraceEstimator.hutchPlusPlus(ggn ? at.ggn() : at.hessian(), 12, 5)
                        : TraceEstimator.hutchinson(ggn ? at.ggn() : at.hessian(), 12, 5);
                String[] args = {"hessian", "--input", caseFile, "--trace", "--estimate", method, "--probes", "12", "--seed", "5"};
                CliRun run = CliRun.of(concat(args, ggn ? new String[] {"--ggn"} : new String[0]));
                String where = method + (ggn ? " GGN" : " Hessian");
                assertEquals(0, run.code(), run.toString());
                JsonNode json = JSON.readTree(run.out());
                assertEquals(2, json.size(), "only \"trace\" and \"standard_error\": " + run.out());
                assertEquals(expected.trace(), json.get("trace").asDouble(), ROUNDING * (1 + Math.abs(expected.trace())), where);
                assertEquals(expected.standardError(), json.get("standard_error").asDouble(),
                        ROUNDING * (1 + Math.abs(expected.trace())), where);
            }
        }
        // the defaults: 30 probes, seed 0
        TraceEstimate defaults = TraceEstimator.hutchinson(at.hessian(), 30, 0);
        CliRun run = CliRun.of("hessian", "--input", caseFile, "--trace", "--estimate", "hutchinson");
        assertEquals(0, run.code(), run.toString());
        assertEquals(defaults.trace(), JSON.readTree(run.out()).get("trace").asDouble(), ROUNDING * (1 + Math.abs(defaults.trace())));
        // one probe: the spread is unknown
        CliRun one = CliRun.of("hessian", "--input", caseFile, "--trace", "--estimate", "hutchinson", "--probes", "1");
        assertEquals(0, one.code(), one.toString());
        assertTrue(JSON.readTree(one.out()).get("standard_error").isNull(), one.out());
    }

    @Test
    void estimateOptionsOutsideTheirPlaceAreOneLineUsageErrors() {
        String caseFile = CliRun.caseFile("tanh-two-layers.json");
        String[][] wrong = {
                {"--diagonal", "--estimate", "hutchinson"}, {"--random", "3", "--probes", "5"}, {"--dense", "--seed", "1"},
                {"--trace", "--probes", "5"}, {"--trace", "--seed", "1"},
                {"--trace", "--estimate", "lanczos"}, {"--trace", "--estimate", "hutchinson", "--probes", "0"},
                {"--trace", "--estimate", "hutchinson", "--probes", "-4"}, {"--trace", "--estimate", "hutch++", "--probes", "2"}};
        String[] expected = {"--estimate needs --trace", "--probes needs --trace", "--seed needs --trace",
                "--probes needs --estimate", "--seed needs --estimate",
                "--estimate must be hutchinson or hutch++, was 'lanczos'", "--probes must be at least 1, was 0",
                "--probes must be at least 1, was -4", "--probes must be at least 3 for hutch++"};
        for (int i = 0; i < wrong.length; i++) {
            CliRun run = CliRun.of(concat(new String[] {"hessian", "--input", caseFile}, wrong[i]));
            assertEquals(2, run.code(), run.toString());
            assertEquals(1, run.errLines().size(), run.toString());
            assertTrue(run.err().contains(expected[i]), run.err());
            assertEquals("", run.out(), run.toString());
        }
    }

    @Test
    void eigenvaluesEqualTheSdksLanczos() throws Exception {
        String caseFile = CliRun.caseFile("tanh-two-layers.json");
        GradientCase c = CaseReader.using(Kronograd.builder().backend("ejml").build()).read(Path.of(caseFile));
        Curvature at = Curvature.at(c.network(), c.inputs(), c.loss(), c.targets());
        for (boolean ggn : new boolean[] {false, true}) {
            for (int k : new int[] {1, 3}) {
                CurvatureOperator matrix = ggn ? at.ggn() : at.hessian();
                int p = matrix.rows();
                Eigenpairs expected = Lanczos.topEigenvalues(matrix, k, HessianCommand.lanczosIterations(k, p),
                        HessianCommand.LANCZOS_TOLERANCE, HessianCommand.LANCZOS_SEED);
                String[] args = {"hessian", "--input", caseFile, "--eigenvalues", Integer.toString(k)};
                CliRun run = CliRun.of(concat(args, ggn ? new String[] {"--ggn"} : new String[0]));
                String where = k + (ggn ? " GGN" : " Hessian");
                assertEquals(0, run.code(), run.toString());
                JsonNode json = JSON.readTree(run.out());
                assertEquals(3, json.size(), "only \"eigenvalues\", \"iterations\" and \"residuals\": " + run.out());
                assertEquals(k, json.get("eigenvalues").size(), where);
                assertEquals(k, json.get("residuals").size(), where);
                assertEquals(expected.iterations(), json.get("iterations").asInt(), where);
                double scale = Math.max(1, Math.abs(expected.values()[0]));
                for (int i = 0; i < k; i++) {
                    double value = json.get("eigenvalues").get(i).asDouble();
                    assertEquals(expected.values()[i], value, 1e-10 * scale, where + " λ_" + i);
                    if (i > 0) {
                        assertTrue(value <= json.get("eigenvalues").get(i - 1).asDouble(), where + ": largest first");
                    }
                    assertTrue(json.get("residuals").get(i).asDouble() <= 1e-8 * scale, where + " residual " + i);
                }
            }
        }
    }

    @Test
    void eigenvaluesOutOfRangeOrWithOtherModesAreOneLineUsageErrors() throws Exception {
        String caseFile = CliRun.caseFile("tanh-two-layers.json");
        GradientCase c = CaseReader.using(Kronograd.builder().backend("ejml").build()).read(Path.of(caseFile));
        int p = c.network().parameterCount();
        for (String k : new String[] {"0", "-1", Integer.toString(p + 1)}) {
            CliRun run = CliRun.of("hessian", "--input", caseFile, "--eigenvalues", k);
            assertEquals(2, run.code(), run.toString());
            assertEquals(1, run.errLines().size(), run.toString());
            assertTrue(run.err().contains("--eigenvalues must be between 1 and P = " + p + " (the number of parameters), was " + k), run.err());
            assertEquals("", run.out(), run.toString());
        }
        String[][] wrong = {{"--eigenvalues", "2", "--trace"}, {"--eigenvalues", "2", "--diagonal"}, {"--eigenvalues", "2", "--random", "3"},
                {"--eigenvalues", "2", "--dense"}, {"--eigenvalues", "2", "--vector", "v.json"}};
        for (String[] options : wrong) {
            CliRun run = CliRun.of(concat(new String[] {"hessian", "--input", caseFile}, options));
            assertEquals(2, run.code(), run.toString());
            assertEquals(1, run.errLines().size(), run.toString());
            assertTrue(run.err().contains("mutually exclusive"), run.err());
            assertTrue(run.err().contains("--eigenvalues") && run.err().contains(options[2]), run.err());
        }
        CliRun seed = CliRun.of("hessian", "--input", caseFile, "--eigenvalues", "2", "--seed", "4");
        assertEquals(2, seed.code(), seed.toString());
        assertTrue(seed.err().contains("--seed needs --trace"), seed.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static DenseVector add(DenseVector a, DenseVector b, double scale) {
        DenseVector out = a.copy();
        for (int i = 0; i < out.length(); i++) {
            out.set(i, out.get(i) + scale * b.get(i));
        }
        return out;
    }
}
