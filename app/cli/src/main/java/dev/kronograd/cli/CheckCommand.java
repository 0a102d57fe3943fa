package dev.kronograd.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kronograd.service.io.CaseWriter;
import dev.kronograd.service.io.GradientCase;
import dev.kronograd.sdk.nn.GradientCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code kronograd check --input FILE}: the analytic gradient against central finite differences
 * of the loss ({@link GradientCheck}). The check passes when every checked parameter is within
 * the relative tolerance ({@code max_rel_error ≤ rtol}) or every one within the absolute
 * tolerance ({@code max_abs_error ≤ atol}); the absolute criterion covers gradients so small that
 * the finite-difference noise dominates their relative error. The report is printed either way;
 * the exit code is {@value KronogradCli#EXIT_OK} when the check passes and
 * {@value #EXIT_CHECK_FAILED} with {@code "passed": false} when it does not (scripts can test it
 * with {@code if kronograd check …}); usage errors keep {@value KronogradCli#EXIT_USER_ERROR}.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Checks the gradient against central finite differences of the loss.",
                "",
                "Prints JSON: {\"checked\", \"max_abs_error\", \"max_rel_error\", \"worst_parameter\", \"passed\", …}. "
                        + "\"passed\" means max_rel_error ≤ --rtol or max_abs_error ≤ --atol.",
                "",
                "Exit code: 0 when the check passes, 1 when it fails (the report is printed either way), 2 on a usage "
                        + "error or a bad case."})
final class CheckCommand implements Callable<Integer> {
    /** The exit code of a check that ran and failed, distinct from a usage error's 2. */
    static final int EXIT_CHECK_FAILED = 1;

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

    @Option(names = "--max-parameters", paramLabel = "N", defaultValue = "100",
            description = "Check at most N parameters: all of them when the network has no more, else a random subset drawn with --seed (default: ${DEFAULT-VALUE}, as the service's max_parameters).")
    private int maxParameters;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the random subset (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--rtol", paramLabel = "TOL", defaultValue = "1e-6", description = "Relative tolerance (default: ${DEFAULT-VALUE}).")
    private double rtol;

    @Option(names = "--atol", paramLabel = "TOL", defaultValue = "1e-8", description = "Absolute tolerance (default: ${DEFAULT-VALUE}).")
    private double atol;

    @Override
    public Integer call() {
        if (maxParameters < 1) {
            throw new ParameterException(spec.commandLine(), "--max-parameters must be at least 1, was " + maxParameters);
        }
        if (!(rtol >= 0) || !(atol >= 0) || Double.isInfinite(rtol) || Double.isInfinite(atol)) {
            throw new ParameterException(spec.commandLine(), "--rtol and --atol must be finite and ≥ 0, were " + rtol + " and " + atol);
        }
        GradientCase c = input.read(sdk.kronograd(), cli.stdin());
        GradientCheck.Report report = GradientCheck.run(c.network(), c.inputs(), c.loss(), c.targets(), maxParameters, seed);
        boolean passed = report.maxRelativeError() <= rtol || report.maxAbsoluteError() <= atol;

        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("checked", report.checkedParameters());
        json.put("parameters", c.network().parameterCount());
        json.put("max_abs_error", report.maxAbsoluteError());
        json.put("max_rel_error", report.maxRelativeError());
        json.put("worst_parameter", report.worstParameter());
        json.put("worst_parameter_field", CaseWriter.parameterField(c.network(), report.worstParameter()));
        json.put("gradient_norm", report.gradientNorm());
        json.put("rtol", rtol);
        json.put("atol", atol);
        json.put("passed", passed);
        output.print(json, spec.commandLine().getOut());
        return passed ? KronogradCli.EXIT_OK : EXIT_CHECK_FAILED;
    }

}
