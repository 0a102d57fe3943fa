package dev.kronograd.cli.train;

import dev.kronograd.sdk.train.ClassificationAccuracy;
import dev.kronograd.sdk.train.Dataset;
import dev.kronograd.sdk.train.Standardizer;
import dev.kronograd.sdk.train.TrainingHistory;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.core.DenseMatrix;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PNG pictures of a training run, drawn with XChart off screen (the {@code kronograd} process runs
 * with {@code java.awt.headless=true}; a host drawing these on a desktop JVM chooses for itself):
 * {@link #curves loss and accuracy curves} and, for two-dimensional data, the
 * {@link #decisionBoundary decision regions} with the data on top.
 */
public final class TrainingPlots {

    /** Region colours (light) and point colours (strong), by class. */
    private static final Color[] REGION = {new Color(0xC6DBEF), new Color(0xFDD0A2), new Color(0xC7E9C0), new Color(0xDADAEB)};
    private static final Color[] POINT = {new Color(0x2171B5), new Color(0xD94801), new Color(0x238B45), new Color(0x6A51A3)};

    /** Grid points per axis of the decision-region picture. */
    static final int BOUNDARY_GRID = 150;
    /** Side of the decision-region picture, in pixels. */
    static final int BOUNDARY_SIZE = 760;

    private TrainingPlots() {
    }

    /**
     * Two charts side by side, 1200×460: the mean training loss per epoch (logarithmic axis) and
     * the training and held-out accuracy per epoch.
     *
     * @return {@code file}
     */
    public static Path curves(TrainingHistory history, String title, Path file) throws IOException {
        double[] epochs = history.epochNumbers();
        double[] losses = history.losses();
        XYChart loss = new XYChartBuilder().width(600).height(460).title(title + ": training loss")
                .xAxisTitle("epoch").yAxisTitle("mean loss per sample").build();
        style(loss);
        boolean positive = true;
        for (double l : losses) {
            positive &= l > 0;
        }
        loss.getStyler().setYAxisLogarithmic(positive);
        loss.getStyler().setLegendVisible(false);
        XYSeries ls = loss.addSeries("training loss", epochs, losses);
        ls.setMarker(SeriesMarkers.NONE);
        ls.setLineColor(POINT[0]);
        ls.setLineWidth(2f);
        niceEpochTicks(loss, losses[0]);

        XYChart accuracy = new XYChartBuilder().width(600).height(460).title(title + ": accuracy")
                .xAxisTitle("epoch").yAxisTitle("accuracy").build();
        style(accuracy);
        accuracy.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        accuracy.getStyler().setYAxisMax(1.0);
        accuracy.getStyler().setYAxisDecimalPattern("0.00");
        XYSeries train = accuracy.addSeries("training split", epochs, history.trainAccuracies());
        train.setMarker(SeriesMarkers.NONE);
        train.setLineColor(POINT[0]);
        train.setLineWidth(2f);
        double[] test = history.testAccuracies();
        if (!Double.isNaN(test[0])) {
            XYSeries ts = accuracy.addSeries(String.format(Locale.ROOT, "held-out split (final %.3f)", test[test.length - 1]), epochs, test);
            ts.setMarker(SeriesMarkers.NONE);
            ts.setLineColor(POINT[1]);
            ts.setLineWidth(2f);
        }
        niceEpochTicks(accuracy, history.trainAccuracies()[0]);
        write(List.of(loss, accuracy), 1, 2, file);
        return file;
    }

    /**
     * The plane coloured by the class the network predicts (on a {@value #BOUNDARY_GRID}² grid
     * spanning the data with a margin), with the training samples as dots and the held-out
     * samples as diamonds. For two-feature data; the grid is standardised like the training
     * inputs before it goes through the network.
     *
     * @param network      the trained network, taking standardised inputs
     * @param standardizer the training split's standardisation
     * @param split        the split, in original units
     * @return {@code file}
     */
    public static Path decisionBoundary(Network network, Standardizer standardizer, Dataset.Split split, String title, Path file)
            throws IOException {
        if (network.inputs() != 2) {
            throw new IllegalArgumentException("a decision-boundary picture needs two input features, the network takes " + network.inputs());
        }
        double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (Dataset d : List.of(split.train(), split.test())) {
            for (int s = 0; s < d.size(); s++) {
                range[0] = Math.min(range[0], d.feature(0, s));
                range[1] = Math.max(range[1], d.feature(0, s));
                range[2] = Math.min(range[2], d.feature(1, s));
                range[3] = Math.max(range[3], d.feature(1, s));
            }
        }
        double margin = 0.08 * Math.max(range[1] - range[0], range[3] - range[2]);
        double x0 = range[0] - margin;
        double x1 = range[1] + margin;
        double y0 = range[2] - margin;
        double y1 = range[3] + margin;
        int g = BOUNDARY_GRID;
        DenseMatrix grid = DenseMatrix.zeros(2, g * g);
        double dx = (x1 - x0) / g;
        double dy = (y1 - y0) / g;
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) {
                grid.set(0, i * g + j, x0 + (i + 0.5) * dx);
                grid.set(1, i * g + j, y0 + (j + 0.5) * dy);
            }
        }
        DenseMatrix inputs = grid.copy();
        standardizer.applyInPlace(inputs);
        DenseMatrix out = network.predict(inputs);

        XYChart chart = new XYChartBuilder().width(BOUNDARY_SIZE).height(BOUNDARY_SIZE).title(title).xAxisTitle("x₁").yAxisTitle("x₂").build();
        style(chart);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setXAxisMin(x0).setXAxisMax(x1).setYAxisMin(y0).setYAxisMax(y1);
        chart.getStyler().setPlotGridLinesVisible(false);
        chart.getStyler().setXAxisDecimalPattern("0.0");
        chart.getStyler().setYAxisDecimalPattern("0.0");
        List<String> classes = split.train().classNames();
        // Region cells: squares a little larger than a grid step on screen, so the plane is covered.
        Marker cell = new CellMarker(Math.max(3, (int) Math.ceil(0.9 * BOUNDARY_SIZE / g) + 1));
        for (int c = 0; c < classes.size(); c++) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int p = 0; p < g * g; p++) {
                if (ClassificationAccuracy.argMax(out, p) == c) {
                    xs.add(grid.get(0, p));
                    ys.add(grid.get(1, p));
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries region = chart.addSeries("predicted " + classes.get(c), xs, ys);
            region.setMarker(cell);
            region.setMarkerColor(REGION[c % REGION.length]);
        }
        addPoints(chart, split.train(), "train", SeriesMarkers.CIRCLE);
        addPoints(chart, split.test(), "test", SeriesMarkers.DIAMOND);
        write(List.of(chart), 1, 1, file);
        return file;
    }

    /**
     * XChart 3.8 puts the ticks of an axis whose x values are equally spaced (epochs 1, 2, …, E)
     * at data values, with labels that overlap for long runs; one invisible point off the grid
     * (at epoch 1.5, on the first y value) makes it choose round ticks (0, 200, 400, …) instead.
     */
    private static void niceEpochTicks(XYChart chart, double firstY) {
        XYSeries anchor = chart.addSeries(" ", new double[] {1.5}, new double[] {firstY});
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setShowInLegend(false);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
    }

    private static void addPoints(XYChart chart, Dataset d, String what, Marker marker) {
        for (int c = 0; c < d.classCount(); c++) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int s = 0; s < d.size(); s++) {
                if (d.label(s) == c) {
                    xs.add(d.feature(0, s));
                    ys.add(d.feature(1, s));
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries points = chart.addSeries(d.classNames().get(c) + " (" + what + ")", xs, ys);
            points.setMarker(marker);
            Color base = POINT[c % POINT.length];
            points.setMarkerColor("test".equals(what) ? base.darker() : base);
        }
    }

    private static void style(XYChart chart) {
        Styler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(true);
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setAntiAlias(true);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xE0E0E0));
    }

    private static void write(List<XYChart> charts, int rows, int cols, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(charts, rows, cols, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** A filled square of a fixed size in pixels, whatever the chart's marker size: one grid cell. */
    private static final class CellMarker extends Marker {
        private final int side;

        CellMarker(int side) {
            this.side = side;
        }

        @Override
        public void paint(Graphics2D g, double xOffset, double yOffset, int markerSize) {
            g.setStroke(new BasicStroke(0f));
            g.fill(new Rectangle2D.Double(xOffset - side / 2.0, yOffset - side / 2.0, side, side));
        }
    }
}
