package dev.kronograd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kronograd.activations.RegisteredActivation;
import dev.kronograd.backend.BackendStatus;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.service.io.CaseWriter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import static dev.kronograd.cli.CliRun.caseFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI run in-process on the case files in src/test/resources/cases, against expectations
 * computed here independently of the SDK: plain arithmetic for a linear layer, central finite
 * differences of a forward pass written in this test for a two-layer tanh network. Also the exit
 * codes and the one-line errors.
 */
class KronogradCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Agreement of the SDK with plain arithmetic in double precision (a few roundings apart). */
    private static final double EXACT = 1e-12;
    /** Agreement of an analytic gradient with central differences, step 1e-6: O(h²) truncation + O(ε/h) rounding. */
    private static final double FINITE_DIFFERENCE = 1e-7;

    private static Kronograd sdk;

    @BeforeAll
    static void sdk() {
        sdk = Kronograd.builder().backend("ejml").build();
    }

    // ---- gradient -----------------------------------------------------------------------------

    @Test
    void gradientOfALinearLayerMatchesPlainArithmetic() throws IOException {
        String file = caseFile("identity-one-layer.json");
        CliRun run = CliRun.of("gradient", "--input", file);
        assertEquals(0, run.code(), run::toString);
        assertEquals("", run.err());

        ReferenceCase c = ReferenceCase.read(file);
        double[][] w = c.weights.get(0);
        double[] b = c.biases.get(0);
        int m = w.length;
        int n = w[0].length;
        double loss = 0;
        double[][] dw = new double[m][n];
        double[] db = new double[m];
        double[][] outputs = new double[c.inputs.length][m];
        for (int s = 0; s < c.inputs.length; s++) {
            for (int i = 0; i < m; i++) {
                double z = b[i];
                for (int j = 0; j < n; j++) {
                    z += w[i][j] * c.inputs[s][j];
                }
                outputs[s][i] = z;
                double r = z - c.targets[s][i]; // dL/dz for ½‖z − y‖²
                loss += 0.5 * r * r;
                db[i] += r;
                for (int j = 0; j < n; j++) {
                    dw[i][j] += r * c.inputs[s][j]; // dW = Σ_s (z_s − y_s) x_sᵀ
                }
            }
        }
        JsonNode result = JSON.readTree(run.out());
        assertClose(loss, result.get("loss").doubleValue(), EXACT, "loss");
        assertMatrixClose(outputs, result.get("outputs"), EXACT, "outputs");
        assertEquals(1, result.get("gradients").size());
        assertMatrixClose(dw, result.get("gradients").get(0).get("weights"), EXACT, "dW");
        assertVectorClose(db, result.get("gradients").get(0).get("bias"), EXACT, "db");
    }

    @Test
    void gradientOfATwoLayerTanhNetworkMatchesCentralDifferences() throws IOException {
        String file = caseFile("tanh-two-layers.json");
        CliRun run = CliRun.of("gradient", "--input", file);
        assertEquals(0, run.code(), run::toString);
        JsonNode result = JSON.readTree(run.out());

        ReferenceCase c = ReferenceCase.read(file);
        assertClose(c.loss(), result.get("loss").doubleValue(), EXACT, "loss");
        assertMatrixClose(c.outputs(), result.get("outputs"), EXACT, "outputs");
        JsonNode gradients = result.get("gradients");
        assertEquals(2, gradients.size());
        for (int k = 0; k < 2; k++) {
            double[][] w = c.weights.get(k);
            double[] b = c.biases.get(k);
            for (int i = 0; i < w.length; i++) {
                for (int j = 0; j < w[0].length; j++) {
                    double fd = c.centralDifference(w[i], j);
                    assertClose(fd, gradients.get(k).get("weights").get(i).get(j).doubleValue(), FINITE_DIFFERENCE,
                            "layers[" + k + "] dW[" + i + "][" + j + "]");
                }
                double fd = c.centralDifference(b, i);
                assertClose(fd, gradients.get(k).get("bias").get(i).doubleValue(), FINITE_DIFFERENCE, "layers[" + k + "] db[" + i + "]");
            }
        }
    }

    @Test
    void gradientReadsStandardInputAndPrintsCompactJson() throws IOException {
        String file = caseFile("tanh-two-layers.json");
        CliRun fromFile = CliRun.of("gradient", "--input", file);
        CliRun fromStdin = CliRun.withStdin(Files.readString(Path.of(file)), "gradient", "--input", "-", "--compact");
        assertEquals(0, fromStdin.code(), fromStdin::toString);
        assertEquals(1, fromStdin.out().strip().lines().count(), "compact output is one line");
        assertEquals(JSON.readTree(fromFile.out()), JSON.readTree(fromStdin.out()));
    }

    @Test
    void everyBackendGivesTheSameGradient() throws IOException {
        String file = caseFile("tanh-two-layers.json");
        JsonNode reference = JSON.readTree(CliRun.of("gradient", "--input", file, "--backend", "ejml").out());
        for (BackendStatus backend : sdk.backendListing()) {
            if (!backend.availability().available()) {
                continue;
            }
            CliRun run = CliRun.of("gradient", "--input", file, "--backend", backend.name());
            assertEquals(0, run.code(), run::toString);
            JsonNode result = JSON.readTree(run.out());
            assertClose(reference.get("loss").doubleValue(), result.get("loss").doubleValue(), EXACT, backend.name() + " loss");
            for (int k = 0; k < 2; k++) {
                assertMatrixClose(toArray(reference.get("gradients").get(k).get("weights")), result.get("gradients").get(k).get("weights"),
                        EXACT, backend.name() + " dW" + k);
            }
        }
    }

    // ---- check --------------------------------------------------------------------------------

    @Test
    void checkPassesOnACorrectGradientAndReportsTheWorstParameter() throws IOException {
        CliRun run = CliRun.of("check", "--input", caseFile("sigmoid-softmax.json"));
        assertEquals(0, run.code(), run::toString);
        JsonNode report = JSON.readTree(run.out());
        assertEquals(27, report.get("parameters").intValue(), "3×4 + 3 + 3×3 + 3");
        assertEquals(27, report.get("checked").intValue(), "all parameters when there are fewer than --max-parameters");
        assertTrue(report.get("passed").booleanValue(), run.out());
        assertTrue(report.get("max_rel_error").doubleValue() <= 1e-6, run.out());
        assertTrue(report.get("worst_parameter_field").textValue().matches("layers\\[[01]]\\.(weights\\[\\d]\\[\\d]|bias\\[\\d])"), run.out());
        assertEquals(1e-6, report.get("rtol").doubleValue());
    }

    @Test
    void checkSamplesAtMostMaxParameters() throws IOException {
        CliRun run = CliRun.of("check", "--input", caseFile("sigmoid-softmax.json"), "--max-parameters", "5", "--seed", "7", "--compact");
        assertEquals(0, run.code(), run::toString);
        assertEquals(5, JSON.readTree(run.out()).get("checked").intValue());
    }

    @Test
    void checkFailsWhenTheToleranceCannotBeMet() throws IOException {
        CliRun run = CliRun.of("check", "--input", caseFile("tanh-two-layers.json"), "--rtol", "0", "--atol", "0");
        assertEquals(1, run.code(), "a failed check exits 1, distinct from a usage error's 2: " + run);
        assertFalse(JSON.readTree(run.out()).get("passed").booleanValue(), run.out());
        assertEquals("", run.err(), "a failed check is reported on stdout only");
    }

    @Test
    void worstParameterFieldFollowsTheParameterLayout() {
        var net = sdk.network()
                .layer(dev.kronograd.core.DenseMatrix.zeros(3, 2), dev.kronograd.core.DenseVector.zeros(3), "tanh")
                .layer(dev.kronograd.core.DenseMatrix.zeros(1, 3), dev.kronograd.core.DenseVector.zeros(1), "identity")
                .build();
        // θ = [vec W0 (6, column-major); b0 (3); vec W1 (3); b1 (1)]
        assertEquals("layers[0].weights[0][0]", CaseWriter.parameterField(net, 0));
        assertEquals("layers[0].weights[1][0]", CaseWriter.parameterField(net, 1));
        assertEquals("layers[0].weights[0][1]", CaseWriter.parameterField(net, 3));
        assertEquals("layers[0].bias[2]", CaseWriter.parameterField(net, 8));
        assertEquals("layers[1].weights[0][2]", CaseWriter.parameterField(net, 11));
        assertEquals("layers[1].bias[0]", CaseWriter.parameterField(net, 12));
    }

    // ---- jacobian -----------------------------------------------------------------------------

    @Test
    void jacobianOfALinearLayerIsTheKroneckerProductWrittenOut() throws IOException {
        String file = caseFile("identity-one-layer.json");
        CliRun run = CliRun.of("jacobian", "--input", file, "--dense");
        assertEquals(0, run.code(), run::toString);
        JsonNode j = JSON.readTree(run.out());
        ReferenceCase c = ReferenceCase.read(file);
        int m = 2;
        int n = 3;
        int batch = 2;
        assertEquals(m * batch, j.get("rows").intValue());
        assertEquals(m * n + m, j.get("cols").intValue());
        assertEquals("4×8", j.get("shape").textValue());
        assertEquals(m * (n + 1) * batch, j.get("non_zeros").longValue(), "one row of x̄ᵀ per output and sample");
        assertEquals(4 * 8 * 8, j.get("dense_bytes").longValue());
        assertEquals("256 B", j.get("dense_size").textValue());
        assertFalse(j.get("structure").textValue().isBlank());
        // J_θ = X̄ᵀ ⊗ I_m for σ = identity: row s·m + i, column j·m + i is x_s[j]; column m·n + i is 1.
        double[][] expected = new double[m * batch][m * n + m];
        for (int s = 0; s < batch; s++) {
            for (int i = 0; i < m; i++) {
                for (int col = 0; col < n; col++) {
                    expected[s * m + i][col * m + i] = c.inputs[s][col];
                }
                expected[s * m + i][m * n + i] = 1;
            }
        }
        assertMatrixClose(expected, j.get("dense"), 0, "J_θ");
    }

    @Test
    void sparseJacobianListsTheSameEntriesAsTheDenseOne() throws IOException {
        String file = caseFile("tanh-two-layers.json");
        JsonNode dense = JSON.readTree(CliRun.of("jacobian", "--input", file, "--layer", "1", "--dense").out()).get("dense");
        CliRun run = CliRun.of("jacobian", "--input", file, "--layer", "1", "--sparse");
        assertEquals(0, run.code(), run::toString);
        JsonNode sparse = JSON.readTree(run.out()).get("sparse");
        double[][] rebuilt = new double[dense.size()][dense.get(0).size()];
        for (JsonNode entry : sparse.get("entries")) {
            rebuilt[entry.get(0).intValue()][entry.get(1).intValue()] = entry.get(2).doubleValue();
        }
        assertEquals(sparse.get("entries").size(), sparse.get("non_zeros").intValue());
        assertMatrixClose(rebuilt, dense, 0, "sparse vs dense");
    }

    @Test
    void inputJacobianOfALinearLayerIsBlockDiagonalW() throws IOException {
        String file = caseFile("identity-one-layer.json");
        CliRun run = CliRun.of("jacobian", "--input", file, "--wrt", "input", "--dense");
        assertEquals(0, run.code(), run::toString);
        JsonNode j = JSON.readTree(run.out());
        double[][] w = ReferenceCase.read(file).weights.get(0);
        double[][] expected = new double[4][6]; // I_B ⊗ W, B = 2
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < 2; i++) {
                for (int col = 0; col < 3; col++) {
                    expected[s * 2 + i][s * 3 + col] = w[i][col];
                }
            }
        }
        assertEquals("input", j.get("wrt").textValue());
        assertMatrixClose(expected, j.get("dense"), 0, "J_x");
    }

    @Test
    void tooLargeAMaterialisationIsAUserErrorGivingTheSize() {
        CliRun run = CliRun.of("jacobian", "--input", caseFile("wide-layer.json"), "--dense", "--max-bytes", "1k");
        assertUserError(run, "dense materialisation of");
        assertTrue(run.err().contains("would need 3.5 kB, over the limit of 1.0 kB"), run.err());
    }

    @Test
    void denseAndSparseAreExclusive() {
        assertUserError(CliRun.of("jacobian", "--input", caseFile("wide-layer.json"), "--dense", "--sparse"), "mutually exclusive");
    }

    @Test
    void layerOutOfRangeIsAUserError() {
        assertUserError(CliRun.of("jacobian", "--input", caseFile("tanh-two-layers.json"), "--layer", "2"),
                "--layer 2 is out of range: the case has 2 layers (0 to 1)");
    }

    // ---- listings -----------------------------------------------------------------------------

    @Test
    void backendsListsEveryBackendAndMarksTheSelectedOne() {
        CliRun run = CliRun.of("backends", "--backend", "ejml");
        assertEquals(0, run.code(), run::toString);
        for (BackendStatus backend : sdk.backendListing()) {
            String line = run.out().lines().filter(l -> l.length() > 2 && l.substring(2).startsWith(backend.name() + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError(backend.name() + " missing from\n" + run.out()));
            assertEquals(backend.name().equals("ejml"), line.startsWith("*"), line);
            assertTrue(line.contains(backend.availability().available() ? "available: " : "unavailable: "), line);
        }
        assertTrue(run.out().contains("selected: ejml — "), run.out());
    }

    @Test
    void backendsStillListsWhenTheRequestedBackendIsUnknown() {
        CliRun run = CliRun.of("backends", "--backend", "cuda");
        assertEquals(2, run.code(), run::toString);
        assertTrue(run.out().contains("ejml"), "the listing is printed: " + run.out());
        assertTrue(run.out().contains("auto would select: "), run.out());
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().startsWith("kronograd: error: unknown backend 'cuda'"), run.err());
    }

    @Test
    void activationsListsTheBuiltIns() {
        CliRun run = CliRun.of("activations");
        assertEquals(0, run.code(), run::toString);
        for (RegisteredActivation a : sdk.activationListing()) {
            assertTrue(run.out().lines().anyMatch(l -> l.startsWith(a.name() + " ") && l.contains(a.implementationClass())
                    && l.endsWith(a.location())), a + " in\n" + run.out());
        }
        assertTrue(run.out().contains(sdk.activationListing().size() + " activations; no plugin problems."), run.out());
    }

    @Test
    void activationsReportsABrokenPluginJarAndKeepsTheRest(@TempDir Path plugins) throws IOException {
        Files.writeString(plugins.resolve("broken.jar"), "not a zip file");
        CliRun run = CliRun.of("activations", "--plugin-path", plugins.toString());
        assertEquals(0, run.code(), run::toString);
        assertTrue(run.out().contains("tanh"), run.out());
        assertTrue(run.out().contains("1 plugin problem:"), run.out());
        String problem = run.out().lines().filter(l -> l.contains("broken.jar")).findFirst().orElseThrow(AssertionError::new);
        assertTrue(problem.contains("not a valid jar file"), problem);
    }

    @Test
    void aPluginPathThatIsNoFolderIsAUserError(@TempDir Path dir) {
        assertUserError(CliRun.of("activations", "--plugin-path", dir.resolve("missing").toString()), "no such folder");
    }

    // ---- usage and errors ---------------------------------------------------------------------

    @Test
    void helpListsEveryCommand() {
        CliRun run = CliRun.of("--help");
        assertEquals(0, run.code(), run::toString);
        for (String command : new String[] {"gradient", "check", "jacobian", "backends", "activations"}) {
            assertTrue(run.out().contains("  " + command + " "), command + " in\n" + run.out());
        }
        List<String> summaries = new ArrayList<>(); // one entry per command, picocli's wrapped lines joined
        run.out().lines().dropWhile(l -> !l.equals("Commands:")).skip(1).takeWhile(l -> !l.isBlank()).forEach(l -> {
            if (l.matches(" {2}\\S.*")) {
                summaries.add(l);
            } else {
                summaries.set(summaries.size() - 1, summaries.get(summaries.size() - 1) + " " + l.strip());
            }
        });
        assertTrue(summaries.size() >= 10, run.out());
        for (String line : summaries) {
            assertTrue(line.endsWith("."), "each command's summary in --help is a whole sentence: '" + line + "'");
        }
        CliRun version = CliRun.of("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("kronograd "), version.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bad-row-length.json     | layers[1].weights[2]: row has 2 numbers but row 0 has 3",
            "unknown-activation.json | layers[0].activation: unknown activation 'foo'; available: ",
            "unknown-loss.json       | loss.type: unknown loss 'hinge'; known losses: sigmoid-cross-entropy, softmax-cross-entropy, squared-error",
            "trailing-garbage.json   | unexpected content after the end of the JSON value (line 5, column 3)"})
    void aBadCaseIsOneErrorLineNamingFileAndField(String name, String message) {
        String file = caseFile(name);
        for (String command : new String[] {"gradient", "check", "jacobian"}) {
            CliRun run = CliRun.of(command, "--input", file);
            assertUserError(run, file + ": " + message);
        }
    }

    @Test
    void aBadCaseOnStandardInputIsOneErrorLine() {
        assertUserError(CliRun.withStdin("{\"layers\": []}", "gradient", "--input", "-"),
                "standard input: layers: is empty; a case needs at least one layer");
    }

    @Test
    void anUnreadableFileIsAUserError(@TempDir Path dir) {
        assertUserError(CliRun.of("gradient", "--input", dir.resolve("nothing.json").toString()), "no such file");
        assertUserError(CliRun.of("gradient", "--input", dir.toString()), "it is a folder");
    }

    @Test
    void anUnknownBackendIsAUserError() {
        CliRun run = CliRun.of("gradient", "--input", caseFile("identity-one-layer.json"), "--backend", "cuda");
        assertUserError(run, "unknown backend 'cuda'");
        assertTrue(run.err().contains("ejml"), "lists the known backends: " + run.err());
    }

    @Test
    void anUnavailableBackendIsAUserErrorSayingWhy() {
        Optional<BackendStatus> unavailable = sdk.backendListing().stream().filter(b -> !b.availability().available()).findFirst();
        Assumptions.assumeTrue(unavailable.isPresent(), "every backend is available here; KronogradCliProcessTest covers this case");
        CliRun run = CliRun.of("gradient", "--input", caseFile("identity-one-layer.json"), "--backend", unavailable.get().name());
        assertUserError(run, unavailable.get().name());
        assertTrue(run.err().contains("unavailable"), run.err());
    }

    @ParameterizedTest(name = "[{index}] kronograd {0}")
    @CsvSource(delimiter = '|', value = {
            "gradient --input x.json --frobnicate | Unknown option: '--frobnicate'",
            "gradient                             | Missing required option: '--input=FILE'",
            "gradiet                              | Unmatched argument at index 0: 'gradiet'; did you mean gradient",
            "''                                   | Missing required subcommand",
            "check --input x.json --seed abc      | Invalid value for option '--seed': 'abc' is not a long",
            "jacobian --input x.json --wrt bias   | Invalid value for option '--wrt'",
            "jacobian --input x.json --max-bytes lots | '--max-bytes': 'lots' is not a byte count such as 268435456, 512k, 256m or 2g"})
    void usageErrorsAreOneLineWithExitCode2(String commandLine, String message) {
        String[] args = commandLine.isBlank() ? new String[0] : commandLine.trim().split("\\s+");
        assertUserError(CliRun.of(args), message);
    }

    @Test
    void maxParametersBelowOneIsAUsageError() {
        assertUserError(CliRun.of("check", "--input", caseFile("identity-one-layer.json"), "--max-parameters", "0"),
                "--max-parameters must be at least 1, was 0");
    }

    /** A command that fails with an internal error, to see how the CLI reports one. */
    @picocli.CommandLine.Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        SdkOptions sdk;

        @Override
        public Integer call() {
            // An IllegalArgumentException from a bug is not a user error: only the known user-error types are.
            throw new IllegalArgumentException("index 7 out of bounds\nsecond line");
        }
    }

    @Test
    void anInternalErrorExitsWith1AndShowsTheStackTraceOnlyWhenVerbose() {
        CliRun quiet = runWithBoom("boom");
        assertEquals(1, quiet.code(), quiet::toString);
        assertEquals(List.of("kronograd: internal error: java.lang.IllegalArgumentException: index 7 out of bounds; second line "
                + "(run again with --verbose for the stack trace)"), quiet.errLines());

        CliRun verbose = runWithBoom("boom", "--verbose");
        assertEquals(1, verbose.code(), verbose::toString);
        assertEquals("kronograd: internal error: java.lang.IllegalArgumentException: index 7 out of bounds; second line",
                verbose.errLines().get(0));
        assertTrue(verbose.err().contains("\tat dev.kronograd.cli.KronogradCliTest$Boom.call"), verbose.err());
    }

    private static CliRun runWithBoom(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter outWriter = new PrintWriter(out);
        PrintWriter errWriter = new PrintWriter(err);
        var cmd = KronogradCli.commandLine(System.in, outWriter, errWriter);
        // Added after the fact, so the writers and handlers are applied again.
        cmd.addSubcommand("boom", new Boom());
        KronogradCli.configure(cmd, outWriter, errWriter);
        int code = cmd.execute(args);
        outWriter.flush();
        errWriter.flush();
        return new CliRun(code, out.toString(), err.toString());
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Exit code 2, nothing on stdout, exactly one stderr line "kronograd: error: …" containing {@code message}. */
    private static void assertUserError(CliRun run, String message) {
        assertEquals(2, run.code(), run::toString);
        assertEquals("", run.out(), "nothing on stdout");
        List<String> lines = run.errLines();
        assertEquals(1, lines.size(), () -> "one error line: " + run);
        assertTrue(lines.get(0).startsWith("kronograd: error: "), lines.get(0));
        assertTrue(lines.get(0).contains(message), () -> "expected '" + message + "' in: " + lines.get(0));
        assertFalse(run.err().contains("\tat "), "no stack trace");
    }

    private static void assertClose(double expected, double actual, double tolerance, String what) {
        double scale = Math.max(1, Math.abs(expected));
        assertTrue(Math.abs(expected - actual) <= tolerance * scale, what + ": expected " + expected + " but was " + actual);
    }

    private static void assertVectorClose(double[] expected, JsonNode actual, double tolerance, String what) {
        assertEquals(expected.length, actual.size(), what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual.get(i).doubleValue(), tolerance, what + "[" + i + "]");
        }
    }

    private static void assertMatrixClose(double[][] expected, JsonNode actual, double tolerance, String what) {
        assertEquals(expected.length, actual.size(), what + " rows");
        for (int i = 0; i < expected.length; i++) {
            assertVectorClose(expected[i], actual.get(i), tolerance, what + "[" + i + "]");
        }
    }

    private static double[][] toArray(JsonNode rows) {
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new double[rows.get(i).size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = rows.get(i).get(j).doubleValue();
            }
        }
        return out;
    }

    /**
     * A case read with plain Jackson and evaluated with plain loops — the independent reference:
     * layers a_k = σ_k(W_k a_{k−1} + b_k) (identity, tanh or sigmoid), squared-error loss
     * ½ Σ_s ‖f_s − y_s‖².
     */
    private static final class ReferenceCase {
        final List<double[][]> weights = new ArrayList<>();
        final List<double[]> biases = new ArrayList<>();
        final List<String> activations = new ArrayList<>();
        double[][] inputs;
        double[][] targets;

        static ReferenceCase read(String file) throws IOException {
            JsonNode doc = JSON.readTree(Path.of(file).toFile());
            ReferenceCase c = new ReferenceCase();
            for (JsonNode layer : doc.get("layers")) {
                c.weights.add(toArray(layer.get("weights")));
                c.biases.add(toArray(JSON.createArrayNode().add(layer.get("bias")))[0]);
                c.activations.add(layer.get("activation").textValue());
            }
            c.inputs = toArray(doc.get("inputs"));
            c.targets = toArray(doc.get("loss").get("targets"));
            assertEquals("squared-error", doc.get("loss").get("type").textValue(), "the reference knows squared error only");
            return c;
        }

        double[][] outputs() {
            double[][] out = new double[inputs.length][];
            for (int s = 0; s < inputs.length; s++) {
                double[] a = inputs[s];
                for (int k = 0; k < weights.size(); k++) {
                    double[][] w = weights.get(k);
                    double[] z = biases.get(k).clone();
                    for (int i = 0; i < w.length; i++) {
                        for (int j = 0; j < a.length; j++) {
                            z[i] += w[i][j] * a[j];
                        }
                        z[i] = sigma(activations.get(k), z[i]);
                    }
                    a = z;
                }
                out[s] = a;
            }
            return out;
        }

        double loss() {
            double[][] f = outputs();
            double loss = 0;
            for (int s = 0; s < f.length; s++) {
                for (int i = 0; i < f[s].length; i++) {
                    double r = f[s][i] - targets[s][i];
                    loss += 0.5 * r * r;
                }
            }
            return loss;
        }

        /** (L(θ + h e) − L(θ − h e)) / 2h for the parameter {@code values[index]}, h = 1e-6. */
        double centralDifference(double[] values, int index) {
            double h = 1e-6;
            double original = values[index];
            values[index] = original + h;
            double up = loss();
            values[index] = original - h;
            double down = loss();
            values[index] = original;
            return (up - down) / (2 * h);
        }

        private static double sigma(String activation, double z) {
            return switch (activation) {
                case "identity" -> z;
                case "tanh" -> Math.tanh(z);
                case "sigmoid" -> 1 / (1 + Math.exp(-z));
                default -> throw new IllegalArgumentException("the reference does not know " + activation);
            };
        }
    }
}
