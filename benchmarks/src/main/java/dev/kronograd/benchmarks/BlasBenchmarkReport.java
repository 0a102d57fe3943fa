package dev.kronograd.benchmarks;

import dev.kronograd.backend.Availability;
import dev.kronograd.backend.netlib.NetlibLinearAlgebra;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Runs {@link BlasBenchmark} and writes a Markdown report: per operation and size, each backend's
 * median throughput in GFLOP/s (2n³ flops per gemm, 2n² per gemv and ger) and its ratio to the
 * best backend of the same run, under a description of the machine.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.kronograd.benchmarks.BlasBenchmarkReport REPORT.md
 * [JMH options, e.g. -f 1 -wi 3 -w 1s -i 5 -r 1s]}; the raw JMH results go next to the report as
 * JSON. This is a command-line tool, so it prints progress (JMH's) and the table to stdout.
 */
public final class BlasBenchmarkReport {

    private BlasBenchmarkReport() {
    }

    public static void main(String[] args) throws RunnerException, IOException, CommandLineOptionException {
        if (args.length < 1) {
            System.err.println("usage: BlasBenchmarkReport REPORT.md [JMH options]");
            System.exit(2);
        }
        Path report = Path.of(args[0]);
        String[] jmhArgs = Arrays.copyOfRange(args, 1, args.length);
        Path json = report.resolveSibling(report.getFileName().toString().replaceFirst("\\.md$", "") + ".json");
        Options options = new OptionsBuilder()
                .parent(new CommandLineOptions(jmhArgs))
                .include(BlasBenchmark.class.getName() + "\\.")
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .build();
        Collection<RunResult> results = new Runner(options).run();
        String markdown = render(results, String.join(" ", jmhArgs));
        Files.writeString(report, markdown, StandardCharsets.UTF_8);
        System.out.println(markdown);
        System.out.println("Report: " + report + "; raw JMH results: " + json);
    }

    private record Row(String op, int n, String backend, double gflops, double minGflops, double maxGflops) {
    }

    static String render(Collection<RunResult> results, String settings) {
        List<Row> rows = new ArrayList<>();
        for (RunResult run : results) {
            String op = run.getParams().getBenchmark().replaceFirst(".*\\.", "");
            int n = Integer.parseInt(run.getParams().getParam("n"));
            String backend = run.getParams().getParam("backend");
            double flops = op.equals("gemm") ? 2.0 * n * n * n : 2.0 * n * n;
            // Throughput per measurement iteration, in ops/s.
            List<Double> perIteration = run.getBenchmarkResults().stream()
                    .flatMap(b -> b.getIterationResults().stream())
                    .map(i -> i.getPrimaryResult().getScore())
                    .sorted().collect(Collectors.toList());
            if (perIteration.isEmpty()) {
                continue;
            }
            double median = median(perIteration);
            rows.add(new Row(op, n, backend, median * flops / 1e9, perIteration.get(0) * flops / 1e9,
                    perIteration.get(perIteration.size() - 1) * flops / 1e9));
        }
        StringBuilder out = new StringBuilder();
        out.append("Measured ").append(LocalDate.now()).append(" on ").append(machine()).append(".\n");
        out.append("JMH settings: `").append(settings.isBlank() ? "(BlasBenchmark defaults)" : settings)
                .append("`; forks run with `--add-modules=jdk.incubator.vector`.\n\n");
        Map<String, List<Row>> byOp = rows.stream().collect(Collectors.groupingBy(Row::op, TreeMap::new, Collectors.toList()));
        for (Map.Entry<String, List<Row>> entry : byOp.entrySet()) {
            out.append("### ").append(entry.getKey()).append(" (GFLOP/s, median of iterations; ratio to the best backend)\n\n");
            out.append("| n | backend | GFLOP/s | min–max | ratio to best |\n|---:|---|---:|---:|---:|\n");
            Map<Integer, List<Row>> byN = entry.getValue().stream().collect(Collectors.groupingBy(Row::n, TreeMap::new, Collectors.toList()));
            for (List<Row> group : byN.values()) {
                double best = group.stream().mapToDouble(Row::gflops).max().orElse(Double.NaN);
                group.stream().sorted((x, y) -> Double.compare(y.gflops(), x.gflops())).forEach(r -> out.append(String.format(Locale.ROOT,
                        "| %d | %s | %.2f | %.2f–%.2f | %.2f |%n", r.n(), r.backend(), r.gflops(), r.minGflops(), r.maxGflops(), r.gflops() / best)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static double median(List<Double> sorted) {
        int size = sorted.size();
        return size % 2 == 1 ? sorted.get(size / 2) : (sorted.get(size / 2 - 1) + sorted.get(size / 2)) / 2;
    }

    /** CPU model, processor count, JVM and native BLAS, for the report header. */
    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // Not Linux: keep "unknown CPU".
        }
        Availability nativeBlas = NetlibLinearAlgebra.nativeAvailability();
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " processors, "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", "
                + (nativeBlas.available() ? nativeBlas.detail().replaceFirst(";.*", "") : "no native BLAS (netlib-native unavailable)");
    }
}
