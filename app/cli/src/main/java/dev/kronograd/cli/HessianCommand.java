package dev.kronograd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kronograd.service.io.CaseFormatException;
import dev.kronograd.service.io.CaseReader;
import dev.kronograd.service.io.CaseWriter;
import dev.kronograd.service.io.GradientCase;
import dev.kronograd.sdk.nn.Curvature;
import dev.kronograd.sdk.nn.CurvatureOperator;
import dev.kronograd.sdk.nn.Eigenpairs;
import dev.kronograd.sdk.nn.Lanczos;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.sdk.nn.TraceEstimate;
import dev.kronograd.sdk.nn.TraceEstimator;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.KronogradException;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.MaterializationLimit;
import picocli.CommandLine.ArgGroup;
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
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code kronograd hessian --input FILE (--vector FILE | --random SEED | --dense | --diagonal | --trace | --eigenvalues K) [--ggn]}:
 * the exact Hessian of the case's total loss over all layers' parameters times a vector
 * (Pearlmutter's R-operator), or the Gauss–Newton matrix times it; {@code --layer K --dense}
 * prints one layer's dense Hessian {@code Σ_i (ā_i ā_iᵀ) ⊗ M_i}; {@code --diagonal} and
 * {@code --trace} print the whole matrix's diagonal (parameter-shaped, as the gradient) and trace,
 * in closed form from the per-sample blocks M_i, without forming the matrix. {@code --trace --estimate
 * hutchinson|hutch++ [--probes N] [--seed S]} estimates the trace from N products instead
 * ({@link TraceEstimator}) and prints its standard error too. {@code --eigenvalues K} prints the K
 * largest (algebraic) eigenvalues by {@link Lanczos} with tolerance {@value #LANCZOS_TOLERANCE}, at
 * most {@code min(P, max(2K + 20, 50))} iterations and the fixed start seed {@value #LANCZOS_SEED}
 * ({@code --seed} belongs to {@code --estimate}).
 */
@Command(name = "hessian", mixinStandardHelpOptions = true,
        description = {"Hessian- (or Gauss–Newton-) vector products of the case's total loss, or a layer's dense Hessian.",
                "",
                "The vector file has the layout of the gradient command's output: {\"gradients\": [{\"weights\": [[…]], \"bias\": […]}, …]}, "
                        + "one entry per layer; the output of hessian --random is one too (its \"vector\": {\"gradients\": …}). "
                        + "Prints {\"matrix\", \"product\": [{\"weights\", \"bias\"}, …]} (with --random, also \"vector\": {\"gradients\": […]}, the vector used). "
                        + "With --layer K --dense, prints layer K's dense Hessian over θ_k = [vec W; b] instead. "
                        + "With --diagonal, prints {\"diagonal\": [{\"weights\", \"bias\"}, …]}; with --trace, {\"trace\": t} "
                        + "(closed form, the matrix is never formed); with --trace --estimate, {\"trace\": t, \"standard_error\": e} "
                        + "from --probes Hessian- (or GGN-) vector products with Rademacher vectors drawn from --seed "
                        + "(standard_error is null when a single random term leaves its spread unknown). "
                        + "With --eigenvalues K, {\"eigenvalues\": [λ1 ≥ … ≥ λK], \"iterations\": n, \"residuals\": [‖A v − λ v‖, …]}: "
                        + "the K largest (algebraic) eigenvalues by Lanczos with full reorthogonalisation "
                        + "(tolerance 1e-10, at most min(P, max(2K + 20, 50)) matrix-vector products, start vector seed 0)."})
final class HessianCommand implements Callable<Integer> {
    private static final List<String> ESTIMATORS = List.of("hutchinson", "hutch++");
    private static final int DEFAULT_PROBES = 30;
    private static final long DEFAULT_SEED = 0;
    static final double LANCZOS_TOLERANCE = 1e-10;
    static final long LANCZOS_SEED = 0;

    /** Where the vector comes from, or a dense layer Hessian instead. */
    static final class What {
        @Option(names = "--vector", paramLabel = "FILE", required = true,
                description = "A JSON file with \"gradients\": one {\"weights\", \"bias\"} per layer (e.g. the gradient command's output).")
        Path vector;
        @Option(names = "--random", paramLabel = "SEED", required = true,
                description = "Draw the vector from N(0, 1) with this seed, and print it too.")
        Long seed;
        @Option(names = "--dense", required = true, description = "Print layer --layer's dense Hessian (small layers only).")
        boolean dense;
        @Option(names = "--diagonal", required = true,
                description = "Print the diagonal of the whole matrix, shaped like the gradient: Σ_i (ā_i ∘ ā_i) ⊗ diag(M_i) per layer.")
        boolean diagonal;
        @Option(names = "--trace", required = true, description = "Print the trace of the whole matrix: Σ_k Σ_i ‖ā_i‖² tr(M_{k,i}).")
        boolean trace;
        @Option(names = "--eigenvalues", paramLabel = "K", required = true,
                description = "Print the K largest (algebraic) eigenvalues of the whole matrix, by Lanczos, with their residuals.")
        Integer eigenvalues;
    }

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

    @ArgGroup(exclusive = true, multiplicity = "1")
    private What what;

    @Option(names = "--ggn", description = "Use the generalised Gauss–Newton matrix Jᵀ ∇²ℓ J instead of the exact Hessian.")
    private boolean ggn;

    @Option(names = "--estimate", paramLabel = "METHOD",
            description = "With --trace: estimate the trace stochastically instead of in closed form, by hutchinson "
                    + "(the mean of zᵀAz) or hutch++ (a third of the products sketch the top of the spectrum, whose trace is exact).")
    private String estimate;

    @Option(names = "--probes", paramLabel = "N",
            description = "With --estimate: the number of matrix-vector products (default: " + DEFAULT_PROBES + "; hutch++ needs 3 or more).")
    private Integer probes;

    @Option(names = "--seed", paramLabel = "S",
            description = "With --estimate: the seed of the random probe vectors (default: " + DEFAULT_SEED + "). --random has its own seed.")
    private Long estimateSeed;

    @Option(names = "--layer", paramLabel = "K", defaultValue = "0", description = "The layer for --dense, from 0 (default: ${DEFAULT-VALUE}).")
    private int layer;

    @Override
    public Integer call() {
        checkEstimateOptions();
        GradientCase c = input.read(sdk.kronograd(), cli.stdin());
        Network network = c.network();
        Curvature curvature = Curvature.at(network, c.inputs(), c.loss(), c.targets());
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        if (what.diagonal) {
            DenseVector diagonal = ggn ? curvature.ggn().diagonal() : curvature.hessian().diagonal();
            json.set("diagonal", CaseWriter.parameterVector(network, diagonal));
            output.print(json, spec.commandLine().getOut());
            return KronogradCli.EXIT_OK;
        }
        if (what.eigenvalues != null) {
            CurvatureOperator matrix = ggn ? curvature.ggn() : curvature.hessian();
            int k = what.eigenvalues;
            int p = matrix.rows();
            if (k < 1 || k > p) {
                throw new ParameterException(spec.commandLine(), "--eigenvalues must be between 1 and P = " + p
                        + " (the number of parameters), was " + k);
            }
            Eigenpairs top = Lanczos.topEigenvalues(matrix, k, lanczosIterations(k, p), LANCZOS_TOLERANCE, LANCZOS_SEED);
            ArrayNode values = json.putArray("eigenvalues");
            for (double v : top.values()) {
                values.add(v);
            }
            json.put("iterations", top.iterations());
            ArrayNode residuals = json.putArray("residuals");
            for (double r : top.residuals()) {
                residuals.add(r);
            }
            output.print(json, spec.commandLine().getOut());
            return KronogradCli.EXIT_OK;
        }
        if (what.trace && estimate != null) {
            CurvatureOperator matrix = ggn ? curvature.ggn() : curvature.hessian();
            int n = probes == null ? DEFAULT_PROBES : probes;
            long seed = estimateSeed == null ? DEFAULT_SEED : estimateSeed;
            TraceEstimate t = estimate.equals("hutch++") ? TraceEstimator.hutchPlusPlus(matrix, n, seed)
                    : TraceEstimator.hutchinson(matrix, n, seed);
            json.put("trace", t.trace());
            if (Double.isNaN(t.standardError())) {
                json.putNull("standard_error");
            } else {
                json.put("standard_error", t.standardError());
            }
            output.print(json, spec.commandLine().getOut());
            return KronogradCli.EXIT_OK;
        }
        if (what.trace) {
            json.put("trace", ggn ? curvature.ggn().trace() : curvature.hessian().trace());
            output.print(json, spec.commandLine().getOut());
            return KronogradCli.EXIT_OK;
        }
        CurvatureOperator matrix = ggn ? curvature.ggn() : curvature.hessian();
        json.put("matrix", ggn ? "gauss-newton" : "hessian");
        if (what.dense) {
            int layers = network.layers().size();
            if (layer < 0 || layer >= layers) {
                throw new UserInputException("--layer " + layer + " is out of range: the case has " + layers
                        + (layers == 1 ? " layer (index 0)" : " layers (0 to " + (layers - 1) + ")"));
            }
            LinearOperator h = matrix.layer(layer);
            json.put("layer", layer);
            json.put("formula", ggn ? "Σ_i (ā_i ā_iᵀ) ⊗ D_i ∇²ℓ_i D_i (back-propagated)" : "Σ_i (ā_i ā_iᵀ) ⊗ M_i, M_i = D_i ∇²ℓ_i D_i + diag(σ''_i ⊙ ∇ℓ_i) (back-propagated)");
            json.put("shape", h.rows() + "×" + h.cols());
            json.put("structure", h.describe());
            try {
                json.set("dense", CaseWriter.rows(h.toDense(MaterializationLimit.fromSystemProperties())));
            } catch (IllegalStateException | IllegalArgumentException | KronogradException e) {
                throw new UserInputException(e.getMessage(), e);
            }
        } else {
            DenseVector v = what.vector != null ? readVector(network) : random(network.parameterCount(), what.seed);
            if (what.seed != null) {
                // the layout of a vector file, so that this output can be given to --vector as it is
                json.set("vector", JsonNodeFactory.instance.objectNode().set("gradients", CaseWriter.parameterVector(network, v)));
            }
            DenseVector product = matrix.apply(v);
            json.set("product", CaseWriter.parameterVector(network, product));
        }
        output.print(json, spec.commandLine().getOut());
        return KronogradCli.EXIT_OK;
    }

    /** The iteration cap of --eigenvalues K: min(P, max(2K + 20, 50)). */
    static int lanczosIterations(int k, int p) {
        return Math.min(p, Math.max(2 * k + 20, 50));
    }

    /** --estimate, --probes and --seed belong to --trace, --probes and --seed to --estimate. */
    private void checkEstimateOptions() {
        String[] given = {estimate != null ? "--estimate" : null, probes != null ? "--probes" : null, estimateSeed != null ? "--seed" : null};
        for (String option : given) {
            if (option != null && !what.trace) {
                throw new ParameterException(spec.commandLine(), option + " needs --trace");
            }
            if (option != null && estimate == null) {
                throw new ParameterException(spec.commandLine(), option + " needs --estimate hutchinson|hutch++");
            }
        }
        if (estimate != null && !ESTIMATORS.contains(estimate)) {
            throw new ParameterException(spec.commandLine(), "--estimate must be hutchinson or hutch++, was '" + estimate + "'");
        }
        if (probes != null && probes < 1) {
            throw new ParameterException(spec.commandLine(), "--probes must be at least 1, was " + probes);
        }
        if (probes != null && probes < 3 && "hutch++".equals(estimate)) {
            throw new ParameterException(spec.commandLine(), "--probes must be at least 3 for hutch++ (a third each for the sketch, "
                    + "its exact trace and the residual), was " + probes);
        }
    }

    private DenseVector readVector(Network network) {
        try {
            JsonNode document = CaseReader.readTree(what.vector);
            JsonNode gradients = document.isObject() ? document.get("gradients") : null;
            String field = "gradients";
            JsonNode vector = document.isObject() ? document.get("vector") : null;
            if (gradients == null && vector != null && vector.isObject() && vector.has("gradients")) {
                gradients = vector.get("gradients"); // the output of hessian --random
                field = "vector.gradients";
            }
            if (gradients == null) {
                throw new CaseFormatException("", "expected an object with \"gradients\": one {\"weights\", \"bias\"} entry per layer");
            }
            return CaseReader.parameterVector(gradients, field, network);
        } catch (CaseFormatException e) {
            throw new UserInputException(what.vector + ": " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new UserInputException("cannot read the vector file '" + what.vector + "': no such file", e);
        } catch (IOException e) {
            throw new UserInputException("cannot read the vector file '" + what.vector + "': " + e.getMessage(), e);
        }
    }

    private static DenseVector random(int length, long seed) {
        Random rnd = new Random(seed);
        DenseVector v = DenseVector.zeros(length);
        for (int i = 0; i < length; i++) {
            v.set(i, rnd.nextGaussian());
        }
        return v;
    }
}
