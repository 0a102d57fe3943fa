package dev.kronograd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kronograd bench}, in process at small sizes: the JSON fields and their consistency. No
 * timing is asserted beyond "positive and finite"; the command is added to the CLI here exactly
 * as {@code KronogradCli}'s subcommand list would add it.
 */
class BenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static CliRun bench(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter outWriter = new PrintWriter(out);
        PrintWriter errWriter = new PrintWriter(err);
        CommandLine cmd = KronogradCli.commandLine(new ByteArrayInputStream(new byte[0]), outWriter, errWriter);
        if (!cmd.getSubcommands().containsKey("bench")) {
            cmd.addSubcommand(new BenchCommand());
            KronogradCli.configure(cmd, outWriter, errWriter);
        }
        String[] full = new String[args.length + 1];
        full[0] = "bench";
        System.arraycopy(args, 0, full, 1, args.length);
        int code = cmd.execute(full);
        outWriter.flush();
        errWriter.flush();
        return new CliRun(code, out.toString(), err.toString());
    }

    @Test
    void printsOneJsonObjectWithTheTimingsOfASmallLayer() throws Exception {
        CliRun run = bench("--m", "6", "--n", "4", "--batch", "3", "--backend", "ejml", "--reps", "5", "--warmup-ms", "0", "--compact");
        assertEquals(0, run.code(), run.toString());
        assertEquals(1, run.out().strip().lines().count(), "--compact prints one line: " + run.out());
        JsonNode json = JSON.readTree(run.out());
        assertEquals("ejml", json.get("backend").asText());
        assertEquals(6, json.get("m").asInt());
        assertEquals(4, json.get("n").asInt());
        assertEquals(3, json.get("batch").asInt());
        assertEquals("tanh", json.get("activation").asText());
        assertEquals(5, json.get("reps").asInt());
        assertTrue(json.get("warmup_calls").asInt() >= 10, run.out());
        double median = json.get("median_ms").asDouble();
        double min = json.get("min_ms").asDouble();
        double max = json.get("max_ms").asDouble();
        assertTrue(min > 0 && Double.isFinite(max), run.out());
        assertTrue(min <= median && median <= max, run.out());
        double gflops = json.get("gflops").asDouble();
        assertEquals(4.0 * 6 * 4 * 3 / (median * 1e6), gflops, 1e-9 * gflops);
        assertTrue(json.get("gflops_best").asDouble() >= gflops, run.out());
        assertTrue(run.err().isBlank(), run.err());
    }

    @Test
    void defaultsToBatchOneAndAcceptsAnotherActivation() throws Exception {
        CliRun run = bench("--m", "3", "--n", "2", "--activation", "sigmoid", "--reps", "2", "--warmup-ms", "0");
        assertEquals(0, run.code(), run.toString());
        JsonNode json = JSON.readTree(run.out());
        assertEquals(1, json.get("batch").asInt());
        assertEquals("sigmoid", json.get("activation").asText());
        assertTrue(json.get("median_ms").asDouble() > 0, run.out());
    }

    @Test
    void rejectsNonPositiveSizesAsAUserError() {
        CliRun run = bench("--m", "0", "--n", "2");
        assertEquals(KronogradCli.EXIT_USER_ERROR, run.code(), run.toString());
        assertEquals(1, run.errLines().size(), run.toString());
        assertTrue(run.err().contains("--m must be ≥ 1"), run.err());
        assertTrue(run.out().isBlank(), run.out());
    }

    @Test
    void rejectsAnUnknownActivationAsAUserError() {
        CliRun run = bench("--m", "2", "--n", "2", "--activation", "no-such-activation", "--reps", "1");
        assertEquals(KronogradCli.EXIT_USER_ERROR, run.code(), run.toString());
        assertTrue(run.err().startsWith(KronogradCli.ERROR_PREFIX), run.err());
    }

    @Test
    void rejectsALayerBeyondJavaArrays() {
        CliRun run = bench("--m", "100000", "--n", "100000");
        assertEquals(KronogradCli.EXIT_USER_ERROR, run.code(), run.toString());
        assertTrue(run.err().contains("beyond"), run.err());
    }
}
