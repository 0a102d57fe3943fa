package dev.kronograd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.sdk.laplace.Laplace;
import dev.kronograd.sdk.laplace.Likelihood;
import dev.kronograd.sdk.laplace.Predictive;
import dev.kronograd.sdk.laplace.Structure;
import dev.kronograd.service.io.CaseFormatException;
import dev.kronograd.service.io.CaseReader;
import dev.kronograd.service.io.CaseWriter;
import dev.kronograd.service.io.GradientCase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code kronograd laplace --input CASE --prior-precision D [--sigma-noise S] --structure full|diag|kron|ekfac|last-layer
 * [--predict FILE] [--tune-prior]}: the Laplace approximation ({@link Laplace}) of the case's network at
 * its parameters, with prior N(0, δ⁻¹I): the log marginal likelihood and, with {@code --predict}, the
 * GLM predictive mean and functional variance at the file's inputs. {@code --tune-prior} maximises the
 * log marginal likelihood over δ and prints it as {@code "prior_precision"}.
 */
@Command(name = "laplace", mixinStandardHelpOptions = true,
        description = {"The Laplace approximation of the case's network at its parameters: log marginal likelihood and GLM predictive.",
                "",
                "Prior N(0, δ⁻¹I); likelihood Gaussian with noise σ (squared-error), categorical (softmax-cross-entropy) or "
                        + "Bernoulli (sigmoid-cross-entropy); Λ = GGN(NLL) + δI in the chosen structure. "
                        + "Prints {\"log_marginal_likelihood\": x}, log Z ≈ −NLL − (δ/2)‖θ‖² + (P/2) log δ − ½ log det Λ; "
                        + "with --predict FILE ({\"inputs\": [[…], …]}, one array per input) also "
                        + "\"predictive\": {\"mean\": [[…]], \"variance\": [[…]]} (one array of m outputs per input: f(x*) and "
                        + "diag(J* Λ⁻¹ J*ᵀ), without observation noise); with --tune-prior first \"prior_precision\": the δ "
                        + "in [1e-6, 1e6] that maximises log Z, at which the rest is computed."})
final class LaplaceCommand implements Callable<Integer> {

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

    @Option(names = "--prior-precision", paramLabel = "D",
            description = "δ, the prior precision (positive). Required unless --tune-prior, where it is ignored.")
    private Double priorPrecision;

    @Option(names = "--sigma-noise", paramLabel = "S",
            description = "σ, the Gaussian observation noise (positive): required for squared-error, rejected for the cross-entropies.")
    private Double sigmaNoise;

    @Option(names = "--structure", paramLabel = "STRUCTURE", required = true,
            description = "full (exact GGN, dense: at most " + Laplace.DEFAULT_DENSE_PARAMETER_LIMIT + " parameters), diag (exact GGN "
                    + "diagonal), kron (KFAC), ekfac (eigenvalue-corrected KFAC) or last-layer (exact GGN of the last layer, dense).")
    private String structure;

    @Option(names = "--predict", paramLabel = "FILE",
            description = "A JSON file {\"inputs\": [[…], …]}: print the GLM predictive mean and variance at these inputs.")
    private Path predict;

    @Option(names = "--tune-prior", description = "Maximise the log marginal likelihood over δ and print it as \"prior_precision\".")
    private boolean tunePrior;

    @Override
    public Integer call() {
        Structure s;
        try {
            s = Structure.parse(structure);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--structure must be one of " + Structure.labels() + ", was '" + structure + "'");
        }
        if (priorPrecision == null && !tunePrior) {
            throw new ParameterException(spec.commandLine(), "--prior-precision is required (or --tune-prior)");
        }
        if (priorPrecision != null && (!(priorPrecision > 0) || !Double.isFinite(priorPrecision))) {
            throw new ParameterException(spec.commandLine(), "--prior-precision must be a positive finite number, was " + priorPrecision);
        }
        if (sigmaNoise != null && (!(sigmaNoise > 0) || !Double.isFinite(sigmaNoise))) {
            throw new ParameterException(spec.commandLine(), "--sigma-noise must be a positive finite number, was " + sigmaNoise);
        }
        GradientCase c = input.read(sdk.kronograd(), cli.stdin());
        Likelihood likelihood;
        try {
            likelihood = Likelihood.of(c.loss());
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        if (likelihood == Likelihood.GAUSSIAN && sigmaNoise == null) {
            throw new ParameterException(spec.commandLine(), "--sigma-noise is required for the case's loss squared-error (Gaussian likelihood)");
        }
        if (likelihood != Likelihood.GAUSSIAN && sigmaNoise != null) {
            throw new ParameterException(spec.commandLine(), "--sigma-noise applies only to squared-error; the case's loss "
                    + c.loss().name() + " has a " + likelihood.name().toLowerCase(java.util.Locale.ROOT) + " likelihood without noise");
        }
        DenseMatrix inputs = predict == null ? null : readInputs(c.network().inputs());
        Laplace laplace;
        try {
            Laplace.Builder b = Laplace.builder(c.network(), c.inputs(), c.loss(), c.targets()).structure(s)
                    .priorPrecision(priorPrecision == null ? 1.0 : priorPrecision);
            if (sigmaNoise != null) {
                b.sigmaNoise(sigmaNoise);
            }
            laplace = b.build();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw new UserInputException(message.startsWith("structure ") ? "--" + message : message, e);
        }
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        if (tunePrior) {
            laplace = laplace.tunePriorPrecision();
            json.put("prior_precision", laplace.priorPrecision());
        }
        json.put("log_marginal_likelihood", laplace.logMarginalLikelihood());
        if (inputs != null) {
            Predictive p = laplace.predictive(inputs);
            ObjectNode predictive = json.putObject("predictive");
            predictive.set("mean", CaseWriter.samples(p.mean()));
            predictive.set("variance", CaseWriter.samples(p.variance()));
        }
        output.print(json, spec.commandLine().getOut());
        return KronogradCli.EXIT_OK;
    }

    /** The --predict file's inputs as an n × N* matrix, every problem a user error naming the file and field. */
    private DenseMatrix readInputs(int n) {
        String file = "--predict " + predict;
        JsonNode document;
        try {
            document = CaseReader.readTree(predict);
        } catch (CaseFormatException e) {
            throw new UserInputException(file + ": " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new UserInputException("cannot read the --predict file '" + predict + "': no such file", e);
        } catch (IOException e) {
            throw new UserInputException("cannot read the --predict file '" + predict + "': " + e.getMessage(), e);
        }
        JsonNode list = document.isObject() ? document.get("inputs") : null;
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new UserInputException(file + ": expected an object with \"inputs\": a non-empty list of inputs, each an array of " + n
                    + " numbers");
        }
        DenseMatrix x = DenseMatrix.zeros(n, list.size());
        for (int s = 0; s < list.size(); s++) {
            JsonNode sample = list.get(s);
            if (!sample.isArray() || sample.size() != n) {
                throw new UserInputException(file + ": inputs[" + s + "] must be an array of " + n + " numbers (the network's inputs), got "
                        + (sample.isArray() ? sample.size() + " values" : sample.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
            }
            for (int i = 0; i < n; i++) {
                JsonNode v = sample.get(i);
                if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                    throw new UserInputException(file + ": inputs[" + s + "][" + i + "] must be a finite number, got " + v);
                }
                x.set(i, s, v.asDouble());
            }
        }
        return x;
    }
}
