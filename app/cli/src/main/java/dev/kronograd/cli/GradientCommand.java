package dev.kronograd.cli;

import dev.kronograd.service.io.CaseWriter;
import dev.kronograd.service.io.GradientCase;
import dev.kronograd.sdk.nn.Gradient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code kronograd gradient --input FILE|-}: the loss, the outputs and every layer's gradient
 * for a case, as {@code {"loss", "outputs", "gradients": [{"weights", "bias"}, …]}} on stdout.
 */
@Command(name = "gradient", mixinStandardHelpOptions = true,
        description = {"Computes the loss, the outputs and every layer's gradient for a case.",
                "",
                "The loss is summed over samples. Prints JSON: {\"loss\": L, \"outputs\": [[…] per sample], "
                        + "\"gradients\": [{\"weights\": [[row-major rows]], \"bias\": […]} per layer]}."})
final class GradientCommand implements Callable<Integer> {
    @ParentCommand
    private KronogradCli cli;
    @Spec
    private CommandSpec spec;
    @Mixin
    private SdkOptions sdk;
    @Mixin
    private CaseInputOptions input;
    @Mixin
    private JsonOutputOptions output;

    @Override
    public Integer call() {
        GradientCase gradientCase = input.read(sdk.kronograd(), cli.stdin());
        Gradient gradient = gradientCase.gradient();
        output.print(CaseWriter.gradientResult(gradientCase.network(), gradient), spec.commandLine().getOut());
        return KronogradCli.EXIT_OK;
    }
}
