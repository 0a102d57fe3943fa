package dev.kronograd.benchmarks;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.Curvature;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.sdk.nn.TraceEstimate;
import dev.kronograd.sdk.nn.TraceEstimator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The error side of {@link CurvatureStatisticsBenchmark}'s "exact vs Hutchinson at equal error", on
 * the same network, batch and data, written as JSON (not a JMH benchmark: nothing is timed).
 *
 * <p>For the exact Hessian and GGN it computes the exact trace t, the diagonal d and the Frobenius
 * norm (all closed forms), and from them the variance of one Rademacher probe's term,
 * {@code σ² = 2 (‖C‖_F² − ‖d‖²)}: Hutchinson with m probes has relative standard error
 * {@code √(σ²/m) / |t|}, and needs {@code m(ε) = σ² / (ε t)²} probes for a relative standard error ε.
 * It also draws {@code seeds} estimates of 100 probes and reports their observed relative errors and
 * reported standard errors, and, as the exact path's own error, the relative differences between
 * {@code trace()} and the sum of {@code diagonal()}, and between the trace on this backend and on a
 * second one (different summation orders: rounding only). The "exact error" used for
 * {@code probesForExactError} is the largest of those and the 1e-12 the exact path is tested to
 * against the dense matrix.
 *
 * <pre>
 *   java -cp benchmarks.jar dev.kronograd.benchmarks.HutchinsonError OUT.json [backend [second-backend [seeds]]]
 * </pre>
 */
public final class HutchinsonError {

    private static final int WIDTH = 256;
    private static final int BATCH = 128;
    /** The tolerance the exact path is tested to against the dense matrix (issue 19). */
    private static final double EXACT_TOLERANCE = 1e-12;

    private HutchinsonError() {
    }

    /**
     * Writes the statistics to {@code args[0]}.
     *
     * @param args OUT.json, then optionally the backend (netlib-native), the second backend for the
     *             exact path's rounding (netlib-java; "none" to skip) and the number of seeds (5)
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: HutchinsonError OUT.json [backend [second-backend [seeds]]]");
        }
        Path out = Path.of(args[0]);
        String backend = args.length > 1 ? args[1] : "netlib-native";
        String second = args.length > 2 ? args[2] : "netlib-java";
        int seeds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        List<String> entries = new ArrayList<>();
        for (String name : new String[] {"hessian", "ggn"}) {
            entries.add(statistics(backend, second, name, seeds));
        }
        String json = "{\"network\": \"inputs(" + WIDTH + "), 3 x layer(" + WIDTH + ", tanh), squared-error\", \"batch\": " + BATCH
                + ", \"probes\": " + CurvatureStatisticsBenchmark.PROBES + ", \"backend\": \"" + backend + "\", \"exactTolerance\": "
                + num(EXACT_TOLERANCE) + ",\n \"curvatures\": [\n  " + String.join(",\n  ", entries) + "\n ]}\n";
        Files.writeString(out, json, StandardCharsets.UTF_8);
        System.out.print(json);
    }

    private static ExactCurvature at(String backend, String name) {
        Kronograd k = Kronograd.builder().backend(backend).build();
        Network net = CurvatureStatisticsBenchmark.network(k, WIDTH);
        Loss loss = k.loss("squared-error");
        DenseMatrix x = DenseMatrix.wrap(Backends.random(WIDTH * BATCH, 2), WIDTH, BATCH);
        DenseMatrix y = DenseMatrix.wrap(Backends.random(WIDTH * BATCH, 3), WIDTH, BATCH);
        return ExactCurvature.of(Curvature.at(net, x, loss, y), name);
    }

    private static String statistics(String backend, String second, String name, int seeds) {
        ExactCurvature c = at(backend, name);
        double trace = c.trace();
        DenseVector d = c.diagonal();
        double diagonalSquares = d.dot(d);
        double diagonalSum = 0;
        for (int i = 0; i < d.length(); i++) {
            diagonalSum += d.get(i);
        }
        double frobenius = c.frobeniusNorm();
        double variance = 2 * (frobenius * frobenius - diagonalSquares);
        int probes = CurvatureStatisticsBenchmark.PROBES;
        double relativeStandardError = Math.sqrt(variance / probes) / Math.abs(trace);
        StringBuilder observed = new StringBuilder();
        StringBuilder reported = new StringBuilder();
        for (int s = 1; s <= seeds; s++) {
            TraceEstimate e = TraceEstimator.hutchinson(c.operator(), probes, s);
            observed.append(s > 1 ? ", " : "").append(num(Math.abs(e.trace() - trace) / Math.abs(trace)));
            reported.append(s > 1 ? ", " : "").append(num(e.standardError() / Math.abs(trace)));
        }
        double crossBackend = Double.NaN;
        if (!second.equals("none")) {
            crossBackend = Math.abs(at(second, name).trace() - trace) / Math.abs(trace);
        }
        double traceVsDiagonalSum = Math.abs(trace - diagonalSum) / Math.abs(trace);
        double exactError = Math.max(EXACT_TOLERANCE, Math.max(traceVsDiagonalSum, Double.isNaN(crossBackend) ? 0 : crossBackend));
        return String.format(Locale.ROOT, "{\"curvature\": \"%s\", \"parameters\": %d, \"trace\": %s, \"diagonalSum\": %s,"
                        + " \"frobeniusNorm\": %s, \"diagonalNormSquared\": %s, \"probeVariance\": %s,"
                        + " \"relativeStandardError\": %s, \"observedRelativeErrors\": [%s], \"reportedRelativeStandardErrors\": [%s],"
                        + " \"exactCrossBackend\": \"%s\", \"exactCrossBackendRelativeDifference\": %s, \"traceVsDiagonalSumRelativeDifference\": %s,"
                        + " \"probesFor1Percent\": %s, \"probesFor1e-6\": %s, \"probesForExactError\": %s, \"exactError\": %s}",
                name, d.length(), num(trace), num(diagonalSum), num(frobenius), num(diagonalSquares), num(variance),
                num(relativeStandardError), observed, reported, second, num(crossBackend), num(traceVsDiagonalSum),
                num(probesFor(variance, trace, 1e-2)), num(probesFor(variance, trace, 1e-6)),
                num(probesFor(variance, trace, exactError)), num(exactError));
    }

    /** m(ε) = σ² / (ε t)², rounded up. */
    private static double probesFor(double variance, double trace, double epsilon) {
        return Math.ceil(variance / (epsilon * trace * epsilon * trace));
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
    }
}
