package dev.kronograd.cli;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.cli.train.DataSets;
import dev.kronograd.sdk.train.EpochStats;
import dev.kronograd.sdk.train.TrainingDivergedException;
import dev.kronograd.sdk.train.TrainingListener;
import dev.kronograd.cli.train.TrainingOptions;
import dev.kronograd.cli.train.TrainingPlots;
import dev.kronograd.cli.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code kronograd train --dataset iris|spirals [options]}: trains a multi-layer perceptron with
 * the SDK's gradients (mini-batch SGD with momentum, or Adam) on a seeded stratified split,
 * shows progress, writes the loss/accuracy curves (and for two spirals the decision regions) as
 * PNG, and ends with the line {@code test accuracy: 0.967}.
 *
 * <p>Progress: on a terminal ({@code System.console() != null}) one bar redrawn in place with
 * {@code \r} (epoch, mean loss, training/held-out accuracy, samples/s); otherwise (pipes, CI) a
 * plain line at the first epoch and every 10 % of the epochs.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a classifier on Iris or two spirals with Kronograd's gradients.",
                "",
                "A multi-layer perceptron on Fisher's Iris data or two spirals, on a seeded stratified train/test split",
                "(features standardised with the training split's statistics). Shows progress,",
                "writes the loss/accuracy curves (and for spirals the decision regions) as PNG",
                "under --out, and ends with the held-out result: 'test accuracy: 0.967'."})
public final class TrainCommand implements Callable<Integer> {
    /** The default picture folder, relative to the working directory. */
    static final String DEFAULT_OUT = "kronograd-out";

    @Spec
    private CommandSpec spec;
    @Mixin
    private SdkOptions sdk;

    @Option(names = "--dataset", required = true, paramLabel = "NAME",
            description = "iris (Fisher's 150 flowers, 4 features, 3 classes) or spirals (2 × 300 noisy points on two interleaved spirals).")
    private String dataset;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seeds the spirals data, the split, the initial weights and the shuffling; equal seeds give equal runs (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = DEFAULT_OUT,
            description = "Folder for the PNG pictures, created if needed (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--hidden", paramLabel = "SIZES", split = ",",
            description = "Hidden layer sizes, comma-separated (default: 32,32).")
    private List<Integer> hidden;

    @Option(names = "--activation", paramLabel = "NAME",
            description = "Activation of the hidden layers: any registered name, plugins included (see 'kronograd activations'; default: "
                    + TrainingOptions.DEFAULT_ACTIVATION + ").")
    private String activation;

    @Option(names = "--loss", paramLabel = "NAME",
            description = "Loss on the output logits: softmax-cross-entropy or squared-error (default: " + TrainingOptions.DEFAULT_LOSS + ").")
    private String loss;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd (with --momentum) or adam (default: " + TrainingOptions.DEFAULT_OPTIMIZER + ").")
    private String optimizer;

    @Option(names = "--learning-rate", paramLabel = "LR",
            description = "Step size η (default: " + TrainingOptions.DEFAULT_LEARNING_RATE + " for adam, "
                    + TrainingOptions.DEFAULT_SGD_LEARNING_RATE + " for sgd).")
    private Double learningRate;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum μ in [0, 1) (default: " + TrainingOptions.DEFAULT_MOMENTUM + ").")
    private Double momentum;

    @Option(names = "--epochs", paramLabel = "E", description = "Passes over the training split (default: " + TrainingOptions.IRIS_EPOCHS + " for iris, "
            + TrainingOptions.SPIRALS_EPOCHS + " for spirals).")
    private Integer epochs;

    @Option(names = "--batch-size", paramLabel = "B", description = "Samples per mini-batch (default: " + TrainingOptions.IRIS_BATCH_SIZE + " for iris, "
            + TrainingOptions.SPIRALS_BATCH_SIZE + " for spirals).")
    private Integer batchSize;

    @Override
    public Integer call() {
        TrainingOptions options = options();
        Path folder = outputFolder(out);
        Kronograd kronograd = sdk.kronograd();
        kronograd.activation(options.activation()); // unknown names fail here, before any output
        kronograd.loss(options.loss());
        PrintWriter printer = spec.commandLine().getOut();
        String optimizerText = "sgd".equals(options.optimizer())
                ? String.format(Locale.ROOT, "sgd (lr %s, momentum %s)", options.learningRate(), options.momentum())
                : String.format(Locale.ROOT, "%s (lr %s)", options.optimizer(), options.learningRate());
        printer.printf(Locale.ROOT, "training %s on %s: hidden %s %s, %s, %s, %d epochs, batches of %d, seed %d, backend %s%n",
                options.dataset(), describe(options.dataset()), options.hidden(), options.activation(), options.loss(), optimizerText,
                options.epochs(), options.batchSize(), options.seed(), kronograd.backendName());
        printer.flush();

        Progress progress = new Progress(printer, System.console() != null);
        TrainingRun.Result result;
        try {
            result = TrainingRun.run(kronograd, options, progress);
        } catch (TrainingDivergedException e) {
            progress.abandon();
            throw new UserInputException(e.getMessage(), e);
        }
        printSummary(printer, result, "");
        for (Path file : writePictures(result, folder)) {
            printer.printf("wrote %s%n", file);
        }
        printer.printf(Locale.ROOT, "train accuracy: %.3f%n", result.trainAccuracy());
        printer.printf(Locale.ROOT, "test accuracy: %.3f%n", result.testAccuracy());
        printer.flush();
        return KronogradCli.EXIT_OK;
    }

    /** The options after applying the data set's defaults, validated (usage errors exit with 2). */
    private TrainingOptions options() {
        String name = dataset.strip().toLowerCase(Locale.ROOT);
        if (!DataSets.NAMES.contains(name) && !"two-spirals".equals(name)) {
            throw new ParameterException(spec.commandLine(), "--dataset must be one of " + DataSets.NAMES + ", was '" + dataset + "'");
        }
        TrainingOptions d = TrainingOptions.defaults(name);
        String opt = optimizer == null ? d.optimizer() : optimizer.strip().toLowerCase(Locale.ROOT);
        if (!"sgd".equals(opt) && !"adam".equals(opt)) {
            throw new ParameterException(spec.commandLine(), "--optimizer must be sgd or adam, was '" + optimizer + "'");
        }
        double lr = learningRate != null ? learningRate : "sgd".equals(opt) ? TrainingOptions.DEFAULT_SGD_LEARNING_RATE : d.learningRate();
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new ParameterException(spec.commandLine(), "--learning-rate must be finite and > 0, was " + lr);
        }
        double mu = momentum != null ? momentum : d.momentum();
        if (!(mu >= 0 && mu < 1)) {
            throw new ParameterException(spec.commandLine(), "--momentum must be in [0, 1), was " + mu);
        }
        int e = epochs != null ? epochs : d.epochs();
        if (e < 1) {
            throw new ParameterException(spec.commandLine(), "--epochs must be at least 1, was " + e);
        }
        int b = batchSize != null ? batchSize : d.batchSize();
        if (b < 1) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be at least 1, was " + b);
        }
        List<Integer> sizes = hidden != null ? hidden : d.hidden();
        for (int size : sizes) {
            if (size < 1) {
                throw new ParameterException(spec.commandLine(), "--hidden sizes must be at least 1, were " + sizes);
            }
        }
        return new TrainingOptions(d.dataset(), seed, sizes, activation != null ? activation.strip() : d.activation(),
                loss != null ? loss.strip() : d.loss(), opt, lr, mu, e, b, d.testFraction());
    }

    private static String describe(String dataset) {
        return "iris".equals(dataset) ? "Fisher's Iris data (150 flowers, 4 features, 3 species)"
                : "two spirals (" + 2 * DataSets.SPIRAL_POINTS_PER_CLASS + " points, noise σ = " + DataSets.SPIRAL_NOISE + ")";
    }

    /** The lines after training: split, network, time, each starting with {@code indent}. Shared with {@code demo}. */
    static void printSummary(PrintWriter printer, TrainingRun.Result result, String indent) {
        EpochStats last = result.history().last();
        double seconds = last.elapsedNanos() * 1e-9;
        int n = result.split().train().size();
        double stepSeconds = 0; // the gradient and update steps only, without the per-epoch evaluation
        for (EpochStats e : result.history().epochs()) {
            stepSeconds += n / e.samplesPerSecond();
        }
        printer.print(indent);
        printer.printf(Locale.ROOT, "split: %d train / %d test (stratified, %d %% held out), features standardised from the training split%n",
                result.split().train().size(), result.split().test().size(), Math.round(100 * result.options().testFraction()));
        printer.print(indent);
        printer.printf(Locale.ROOT, "network %s (%,d parameters), %s%n", result.architecture(), result.network().parameterCount(),
                result.optimizer());
        printer.print(indent);
        printer.printf(Locale.ROOT, "trained %d epochs in %.2f s (gradient steps %,.0f samples/s; the rest is the per-epoch evaluation); final loss %.4g%n",
                last.epoch(), seconds, (double) n * last.epoch() / stepSeconds, last.loss());
    }

    /**
     * Writes the curves and, for two-dimensional data, the decision regions into {@code folder};
     * returns the files. A folder that cannot be written is a user error.
     */
    static List<Path> writePictures(TrainingRun.Result result, Path folder) {
        try {
            return drawPictures(result, folder);
        } catch (IOException e) {
            throw cannotWrite(folder, e);
        }
    }

    /** The user error for pictures that cannot be written into {@code folder}. */
    static UserInputException cannotWrite(Path folder, IOException e) {
        return new UserInputException("cannot write the pictures into " + folder + ": " + e.getClass().getSimpleName()
                + (e.getMessage() != null ? " " + e.getMessage() : "") + "; choose another folder with --out", e);
    }

    private static List<Path> drawPictures(TrainingRun.Result result, Path folder) throws IOException {
        String name = result.options().dataset();
        String title = "iris".equals(name) ? "Iris" : "Two spirals";
        Path curves = TrainingPlots.curves(result.history(), title, folder.resolve(name + "-training-curves.png"));
        if (result.network().inputs() != 2) {
            return List.of(curves);
        }
        Path regions = TrainingPlots.decisionBoundary(result.network(), result.standardizer(), result.split(),
                String.format(Locale.ROOT, "%s: decision regions of a %s %s network (test accuracy %.3f)", title, result.architecture(),
                        result.options().activation(), result.testAccuracy()),
                folder.resolve(name + "-decision-boundary.png"));
        return List.of(curves, regions);
    }

    /** Creates {@code folder} if needed; a path that exists and is not a folder is a user error. */
    static Path outputFolder(Path folder) {
        try {
            return Files.createDirectories(folder);
        } catch (FileAlreadyExistsException e) {
            throw new UserInputException("--out " + folder + ": exists and is not a folder; give a folder for the pictures", e);
        } catch (IOException e) {
            throw new UserInputException("--out " + folder + ": cannot create the folder (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Shows training progress: a bar redrawn in place with {@code \r} on a terminal (at most
     * about ten times a second), or plain lines at the first epoch and every 10 % of the epochs.
     */
    static final class Progress implements TrainingListener {
        private static final int BAR = 16;
        private static final long REDRAW_NANOS = 100_000_000L;
        private final PrintWriter out;
        private final boolean interactive;
        private long lastDraw;
        private int lastDecile = -1;
        private int width;
        private boolean drawing;

        Progress(PrintWriter out, boolean interactive) {
            this.out = out;
            this.interactive = interactive;
        }

        @Override
        public void onEpoch(EpochStats s) {
            boolean last = s.epoch() == s.epochs();
            String line = line(s);
            if (interactive) {
                long now = System.nanoTime();
                if (!last && drawing && now - lastDraw < REDRAW_NANOS) {
                    return;
                }
                lastDraw = now;
                String bar = bar(s) + " " + compactLine(s);
                out.print("\r" + bar + " ".repeat(Math.max(0, width - bar.length())));
                width = bar.length();
                drawing = !last;
                if (last) {
                    out.println();
                }
                out.flush();
                return;
            }
            int decile = (int) ((10L * s.epoch()) / s.epochs());
            if (s.epoch() == 1 || decile != lastDecile || last) {
                lastDecile = decile;
                out.println(line);
                out.flush();
            }
        }

        /** Ends a bar left open when training stopped early, so the error starts on its own line. */
        void abandon() {
            if (drawing) {
                out.println();
                out.flush();
                drawing = false;
            }
        }

        private static String bar(EpochStats s) {
            int filled = (int) ((long) BAR * s.epoch() / s.epochs());
            return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "]";
        }

        /** The bar's text, short enough (≤ 79 columns with the bar) not to wrap on an 80-column terminal. */
        static String compactLine(EpochStats s) {
            int digits = Integer.toString(s.epochs()).length();
            double rate = s.samplesPerSecond();
            String r = rate < 10_000 ? String.format(Locale.ROOT, "%,.0f", rate) : String.format(Locale.ROOT, "%.0fk", rate / 1000);
            return String.format(Locale.ROOT, "epoch %" + digits + "d/%d loss %.4f acc %.3f/%.3f %s samples/s",
                    s.epoch(), s.epochs(), s.loss(), s.trainAccuracy(), s.testAccuracy(), r);
        }

        static String line(EpochStats s) {
            int digits = Integer.toString(s.epochs()).length();
            return String.format(Locale.ROOT, "epoch %" + digits + "d/%d  loss %.4f  train acc %.3f  test acc %.3f  %,9.0f samples/s",
                    s.epoch(), s.epochs(), s.loss(), s.trainAccuracy(), s.testAccuracy(), s.samplesPerSecond());
        }
    }
}
