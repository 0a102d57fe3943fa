package dev.kronograd.cli.train;

import dev.kronograd.sdk.train.Dataset;
import dev.kronograd.core.DenseMatrix;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The data sets the {@code train} and {@code demo} commands use, and seeded splits.
 *
 * <ul>
 *   <li>{@link #iris()}: Fisher's Iris data (1936), 150 flowers, 4 measurements in cm, 3 species
 *       of 50 — shipped as the resource {@value #IRIS_RESOURCE}.</li>
 *   <li>{@link #twoSpirals(long, int, double)}: two interleaved spiral arms in the plane, one per
 *       class, generated from a seed.</li>
 * </ul>
 *
 * Every random choice takes an explicit seed and uses {@link Random} and {@link StrictMath}, so a
 * seed gives the same data on every JVM.
 */
public final class DataSets {
    /** Where the Iris CSV lives on the class path (module-relative). */
    public static final String IRIS_RESOURCE = "/datasets/iris.csv";
    /** The names {@link #byName} accepts. */
    public static final List<String> NAMES = List.of("iris", "spirals");

    /** Points per spiral arm of the default two-spirals set. */
    public static final int SPIRAL_POINTS_PER_CLASS = 300;
    /** Standard deviation of the Gaussian noise added to each coordinate of the default two-spirals set. */
    public static final double SPIRAL_NOISE = 0.02;
    /** Turns of each arm: the angle runs from a quarter turn to {@value} turns. */
    static final double SPIRAL_TURNS = 2.0;

    private DataSets() {
    }

    /**
     * A data set by name: {@code iris}, or {@code spirals} (the default two-spirals set drawn
     * with {@code seed}).
     *
     * @throws IllegalArgumentException for another name
     */
    public static Dataset byName(String name, long seed) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "iris" -> iris();
            case "spirals", "two-spirals" -> twoSpirals(seed, SPIRAL_POINTS_PER_CLASS, SPIRAL_NOISE);
            default -> throw new IllegalArgumentException("unknown data set '" + name + "'; choose one of " + NAMES);
        };
    }

    /**
     * The Iris data: 150 samples (columns) of sepal length, sepal width, petal length, petal width
     * in cm; classes setosa, versicolor, virginica, 50 each. Source: R. A. Fisher, "The use of
     * multiple measurements in taxonomic problems", Annals of Eugenics 7 (1936); UCI Machine
     * Learning Repository.
     */
    public static Dataset iris() {
        InputStream in = DataSets.class.getResourceAsStream(IRIS_RESOURCE);
        if (in == null) {
            throw new IllegalStateException("the Iris data " + IRIS_RESOURCE + " is missing from the class path (a broken build?)");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return parseCsv("iris", reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + IRIS_RESOURCE, e);
        }
    }

    /**
     * Parses a CSV of numeric feature columns and a last column with the class name; lines
     * starting with {@code #} are comments and the first other line is the header. Classes are
     * numbered in order of first appearance.
     */
    static Dataset parseCsv(String name, BufferedReader reader) throws IOException {
        List<double[]> rows = new ArrayList<>();
        List<String> labelsByRow = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        int columns = -1;
        int lineNumber = 0;
        boolean header = true;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] cells = trimmed.split(",");
            if (header) {
                header = false;
                columns = cells.length;
                continue;
            }
            if (cells.length != columns) {
                throw new IOException(name + " line " + lineNumber + ": " + cells.length + " cells, expected " + columns);
            }
            double[] row = new double[columns - 1];
            for (int f = 0; f < row.length; f++) {
                try {
                    row[f] = Double.parseDouble(cells[f].strip());
                } catch (NumberFormatException e) {
                    throw new IOException(name + " line " + lineNumber + ": '" + cells[f] + "' is not a number", e);
                }
            }
            String label = cells[columns - 1].strip();
            if (!classes.contains(label)) {
                classes.add(label);
            }
            rows.add(row);
            labelsByRow.add(label);
        }
        if (rows.isEmpty()) {
            throw new IOException(name + ": no data rows");
        }
        DenseMatrix x = DenseMatrix.zeros(columns - 1, rows.size());
        int[] y = new int[rows.size()];
        for (int s = 0; s < rows.size(); s++) {
            double[] row = rows.get(s);
            for (int f = 0; f < row.length; f++) {
                x.set(f, s, row[f]);
            }
            y[s] = classes.indexOf(labelsByRow.get(s));
        }
        return new Dataset(name, x, y, classes);
    }

    /**
     * Two interleaved spirals in the plane, {@code pointsPerClass} points per arm: arm c ∈ {0, 1}
     * has points {@code r(t)·(cos(t + cπ), sin(t + cπ)) + noise} with angle t drawn from
     * [π/2, 2π·{@value #SPIRAL_TURNS}] (denser near the outer end, like uniform arc length),
     * radius {@code r = t / t_max} ≤ 1, and Gaussian noise of standard deviation {@code noise}
     * on each coordinate. The arms are {@code π / t_max ≈ 0.25} apart radially, so noise well
     * below that keeps the classes separable.
     *
     * @param seed           the seed; equal seeds give equal data
     * @param pointsPerClass points per arm (≥ 1)
     * @param noise          coordinate noise standard deviation (≥ 0)
     */
    public static Dataset twoSpirals(long seed, int pointsPerClass, double noise) {
        if (pointsPerClass < 1) {
            throw new IllegalArgumentException("pointsPerClass must be ≥ 1, was " + pointsPerClass);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("noise must be finite and ≥ 0, was " + noise);
        }
        Random rnd = new Random(seed);
        double tMin = 0.5 * StrictMath.PI;
        double tMax = 2 * StrictMath.PI * SPIRAL_TURNS;
        int n = 2 * pointsPerClass;
        DenseMatrix x = DenseMatrix.zeros(2, n);
        int[] y = new int[n];
        for (int s = 0; s < n; s++) {
            int c = s % 2; // alternate the arms so any prefix is balanced
            double u = rnd.nextDouble();
            double t = tMin + (tMax - tMin) * StrictMath.sqrt(u);
            double r = t / tMax;
            double angle = t + c * StrictMath.PI;
            x.set(0, s, r * StrictMath.cos(angle) + noise * rnd.nextGaussian());
            x.set(1, s, r * StrictMath.sin(angle) + noise * rnd.nextGaussian());
            y[s] = c;
        }
        return new Dataset("two spirals", x, y, List.of("arm A", "arm B"));
    }
}
