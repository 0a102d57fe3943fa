package dev.kronograd.cli;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.cli.demo.SeedDemo;
import dev.kronograd.sdk.train.TrainingListener;
import dev.kronograd.cli.train.TrainingOptions;
import dev.kronograd.cli.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code kronograd demo [--out DIR]}: the main job, on the default backend and the built-in
 * activations — (1) a small tanh layer's structured Jacobian {@code diag(σ'(z)) (x̄ᵀ ⊗ I_m)},
 * checked against the dense Kronecker form and finite differences; (2) the same operator for a
 * 4096×4096 layer, whose dense form needs 550 GB; (3) a spy plot of a batch's Jacobian
 * {@code [Xᵀ ⊗ I_m, 1 ⊗ I_m]} written as PNG; (4) a two-spirals classifier trained for a few
 * seconds with these gradients, with its pictures. Exit code 0 when every check passes
 * (including the held-out accuracy target), 1 otherwise.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Shows a layer's Kronecker Jacobian and trains a small network with it.",
                "",
                "On the default backend: a tanh layer's Jacobian",
                "diag(σ'(z)) (x̄ᵀ ⊗ I_m) as a structured operator, checked against the dense kron",
                "form and finite differences; the same operator for a 4096×4096 layer (550 GB",
                "dense); a spy plot of a batch's Jacobian [Xᵀ ⊗ I_m, 1 ⊗ I_m] (PNG); and a small",
                "network trained on two spirals. Exit code 0 when every check passes."})
public final class DemoCommand implements Callable<Integer> {
    /** The held-out accuracy the demo's two-spirals network must reach. */
    static final double SPIRALS_TARGET = 0.98;

    @Spec
    private CommandSpec spec;
    @Mixin
    private SdkOptions sdk;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = TrainCommand.DEFAULT_OUT,
            description = "Folder for the PNG pictures, created if needed (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Override
    public Integer call() {
        Path folder = TrainCommand.outputFolder(out);
        Kronograd kronograd = sdk.kronograd();
        PrintWriter printer = spec.commandLine().getOut();
        SeedDemo demo = new SeedDemo(kronograd);

        boolean ok = demo.jacobianParts(printer);
        printer.println();
        try {
            ok &= demo.spyPlot(printer, folder.resolve("jacobian-spy.png"), 3);
        } catch (IOException e) {
            throw TrainCommand.cannotWrite(folder, e);
        }
        printer.println();

        TrainingOptions options = TrainingOptions.defaults("spirals");
        printer.printf("4. training a classifier with these gradients: two spirals, hidden %s %s, %s, %s, %d epochs%n",
                options.hidden(), options.activation(), options.loss(), options.optimizer(), options.epochs());
        printer.flush();
        TrainingRun.Result result = TrainingRun.run(kronograd, options, TrainingListener.NONE);
        TrainCommand.printSummary(printer, result, "   ");
        for (Path file : TrainCommand.writePictures(result, folder)) {
            printer.printf("   wrote %s%n", file);
        }
        boolean reached = result.testAccuracy() >= SPIRALS_TARGET;
        printer.printf(Locale.ROOT, "   train accuracy %.3f, test accuracy %.3f (target ≥ %.2f: %s)%n", result.trainAccuracy(),
                result.testAccuracy(), SPIRALS_TARGET, reached ? "reached" : "MISSED");
        ok &= reached;

        printer.println();
        printer.println(ok ? "all checks passed" : "SOME CHECKS FAILED");
        printer.flush();
        return ok ? KronogradCli.EXIT_OK : KronogradCli.EXIT_INTERNAL_ERROR;
    }
}
