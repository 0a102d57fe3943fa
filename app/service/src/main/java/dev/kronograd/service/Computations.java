package dev.kronograd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.service.io.CaseFormatException;
import dev.kronograd.service.io.CaseReader;
import dev.kronograd.service.io.CaseWriter;
import dev.kronograd.service.io.GradientCase;
import dev.kronograd.sdk.nn.Curvature;
import dev.kronograd.sdk.nn.CurvatureOperator;
import dev.kronograd.sdk.nn.DenseLayer;
import dev.kronograd.sdk.nn.GradientCheck;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.sdk.laplace.Laplace;
import dev.kronograd.sdk.laplace.Likelihood;
import dev.kronograd.sdk.laplace.Predictive;
import dev.kronograd.sdk.laplace.Structure;
import dev.kronograd.sdk.nn.Eigenpairs;
import dev.kronograd.sdk.nn.Lanczos;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The computing endpoints, split in two steps: {@code prepare*} validates a parsed body
 * completely (shapes, names, limits; every problem a 422 naming the JSON field) and returns the
 * computation, which then runs on a compute thread and cannot fail on client input.
 * Immutable and thread-safe.
 */
final class Computations {
    /** The check's default tolerances, as in {@code kronograd check}. */
    static final double DEFAULT_RTOL = 1e-6;
    static final double DEFAULT_ATOL = 1e-8;
    static final long DEFAULT_SEED = 1;
    /** Lanczos' convergence tolerance, as {@code kronograd hessian --eigenvalues}. */
    static final double LANCZOS_TOLERANCE = 1e-10;
    /** Lanczos' start-vector seed, as {@code kronograd hessian --eigenvalues}. */
    static final long LANCZOS_SEED = 0;
    /**
     * The most numbers one {@code /v1/hessian-eigenvalues} may keep in Lanczos vectors: iterations × P
     * (8,000,000 doubles: 64 MB). Lanczos with full reorthogonalisation keeps every basis vector.
     */
    static final long MAX_LANCZOS_NUMBERS = 8_000_000L;
    /**
     * The largest P of a dense Laplace structure ({@code full}, {@code last-layer}): Λ is P×P (8 MB at
     * 1000) and factorised in O(P³). The SDK's and the CLI's default limit too.
     */
    static final int MAX_DENSE_LAPLACE_PARAMETERS = Laplace.DEFAULT_DENSE_PARAMETER_LIMIT;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> VECTOR_FIELDS = List.of("gradients", "loss", "outputs");

    private final CaseReader reader;
    private final ServiceLimits limits;

    Computations(Kronograd sdk, ServiceLimits limits) {
        this.reader = CaseReader.using(sdk);
        this.limits = limits;
    }

    /** {@code POST /v1/gradient}: the body is a case; the answer {@code {"loss", "outputs", "gradients"}}. */
    Supplier<JsonNode> prepareGradient(JsonNode body) {
        GradientCase c = readCase(body);
        return () -> CaseWriter.gradientResult(c.network(), c.gradient());
    }

    /**
     * {@code POST /v1/check}: a case plus optional {@code "max_parameters"} (default and maximum:
     * {@link ServiceLimits#maxCheckedParameters()}), {@code "seed"} (1), {@code "rtol"} (1e-6) and
     * {@code "atol"} (1e-8); the answer is the finite-difference report of {@code kronograd check}.
     */
    Supplier<JsonNode> prepareCheck(JsonNode body) {
        JsonNode maxNode = take(body, "max_parameters");
        JsonNode seedNode = take(body, "seed");
        JsonNode rtolNode = take(body, "rtol");
        JsonNode atolNode = take(body, "atol");
        GradientCase c = readCase(body);
        int maxParameters = limits.maxCheckedParameters();
        if (maxNode != null) {
            if (!maxNode.isIntegralNumber() || !maxNode.canConvertToLong()) {
                throw HttpError.unprocessable("max_parameters", "expected a whole number, got " + describe(maxNode));
            }
            long requested = maxNode.longValue();
            if (requested < 1) {
                throw HttpError.unprocessable("max_parameters", "must be at least 1, was " + requested);
            }
            if (requested > limits.maxCheckedParameters()) {
                throw HttpError.unprocessable("max_parameters", "is " + requested + "; this service checks at most "
                        + limits.maxCheckedParameters() + " parameters per request");
            }
            maxParameters = (int) requested;
        }
        long seed = DEFAULT_SEED;
        if (seedNode != null) {
            if (!seedNode.isIntegralNumber() || !seedNode.canConvertToLong()) {
                throw HttpError.unprocessable("seed", "expected a whole number (a 64-bit integer), got " + describe(seedNode));
            }
            seed = seedNode.longValue();
        }
        double rtol = tolerance(rtolNode, "rtol", DEFAULT_RTOL);
        double atol = tolerance(atolNode, "atol", DEFAULT_ATOL);
        int probes = maxParameters;
        long chosenSeed = seed;
        return () -> {
            Network network = c.network();
            GradientCheck.Report report = GradientCheck.run(network, c.inputs(), c.loss(), c.targets(), probes, chosenSeed);
            ObjectNode json = NODES.objectNode();
            json.put("checked", report.checkedParameters());
            json.put("parameters", network.parameterCount());
            json.put("max_abs_error", report.maxAbsoluteError());
            json.put("max_rel_error", report.maxRelativeError());
            json.put("worst_parameter", report.worstParameter());
            json.put("worst_parameter_field", CaseWriter.parameterField(network, report.worstParameter()));
            json.put("gradient_norm", report.gradientNorm());
            json.put("seed", chosenSeed);
            json.put("rtol", rtol);
            json.put("atol", atol);
            json.put("passed", report.maxRelativeError() <= rtol || report.maxAbsoluteError() <= atol);
            return json;
        };
    }

    /**
     * {@code POST /v1/hessian-vector}: a case plus {@code "vector": {"gradients": [{"weights",
     * "bias"}, …]}} (the layout of the gradient answer, one entry per layer; that answer's
     * {@code "loss"} and {@code "outputs"} may come along and are ignored) and optional
     * {@code "ggn": true}; the answer is {@code {"matrix", "product": [{"weights", "bias"}, …]}}
     * with H·v of the total loss (Pearlmutter's R-operator) or G·v (Gauss–Newton).
     */
    Supplier<JsonNode> prepareHessianVector(JsonNode body) {
        JsonNode vectorNode = take(body, "vector");
        JsonNode ggnNode = take(body, "ggn");
        GradientCase c = readCase(body);
        boolean ggn = gaussNewton(ggnNode);
        if (vectorNode == null) {
            throw HttpError.unprocessable("vector", "missing; a Hessian-vector request needs \"vector\": {\"gradients\": "
                    + "[{\"weights\", \"bias\"} per layer]}, the layout of the gradient answer");
        }
        if (!vectorNode.isObject()) {
            throw HttpError.unprocessable("vector", "expected an object {\"gradients\": [{\"weights\", \"bias\"} per layer]}, got "
                    + describe(vectorNode));
        }
        for (Iterator<String> names = vectorNode.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!VECTOR_FIELDS.contains(name)) {
                throw HttpError.unprocessable("vector." + name, "unknown field; a vector has \"gradients\" (\"loss\" and \"outputs\" "
                        + "of a gradient answer are ignored)");
            }
        }
        JsonNode gradients = vectorNode.get("gradients");
        if (gradients == null) {
            throw HttpError.unprocessable("vector.gradients", "missing; one {\"weights\", \"bias\"} entry per layer");
        }
        DenseVector v;
        try {
            v = CaseReader.parameterVector(gradients, "vector.gradients", c.network());
        } catch (CaseFormatException e) {
            throw HttpError.unprocessable(e.field(), e.detail());
        }
        return () -> {
            Network network = c.network();
            Curvature curvature = Curvature.at(network, c.inputs(), c.loss(), c.targets());
            CurvatureOperator matrix = ggn ? curvature.ggn() : curvature.hessian();
            DenseVector product = matrix.apply(v);
            ObjectNode json = NODES.objectNode();
            json.put("matrix", matrixName(ggn));
            json.set("product", CaseWriter.parameterVector(network, product));
            return json;
        };
    }

    /**
     * {@code POST /v1/hessian-diagonal}: a case plus optional {@code "ggn": true}; the answer is
     * {@code {"matrix", "diagonal": [{"weights", "bias"}, …]}}, the exact diagonal of the Hessian
     * of the total loss over all parameters (or of the Gauss–Newton matrix), shaped like the
     * gradient: per layer Σ_i (ā_i ∘ ā_i) ⊗ diag(M_i), in closed form from the per-sample
     * curvature, as {@code kronograd hessian --diagonal}.
     */
    Supplier<JsonNode> prepareHessianDiagonal(JsonNode body) {
        JsonNode ggnNode = take(body, "ggn");
        GradientCase c = readCase(body);
        boolean ggn = gaussNewton(ggnNode);
        return () -> {
            Network network = c.network();
            Curvature curvature = Curvature.at(network, c.inputs(), c.loss(), c.targets());
            DenseVector diagonal = ggn ? curvature.ggn().diagonal() : curvature.hessian().diagonal();
            ObjectNode json = NODES.objectNode();
            json.put("matrix", matrixName(ggn));
            json.set("diagonal", CaseWriter.parameterVector(network, diagonal));
            return json;
        };
    }

    /**
     * {@code POST /v1/hessian-trace}: a case plus optional {@code "ggn": true}; the answer is
     * {@code {"matrix", "trace": t}}, the exact trace of the Hessian of the total loss (or of the
     * Gauss–Newton matrix): Σ_k Σ_i ‖ā_i‖² tr(M_{k,i}), as {@code kronograd hessian --trace}.
     */
    Supplier<JsonNode> prepareHessianTrace(JsonNode body) {
        JsonNode ggnNode = take(body, "ggn");
        GradientCase c = readCase(body);
        boolean ggn = gaussNewton(ggnNode);
        return () -> {
            Curvature curvature = Curvature.at(c.network(), c.inputs(), c.loss(), c.targets());
            ObjectNode json = NODES.objectNode();
            json.put("matrix", matrixName(ggn));
            json.put("trace", ggn ? curvature.ggn().trace() : curvature.hessian().trace());
            return json;
        };
    }

    /**
     * {@code POST /v1/hessian-eigenvalues}: a case plus {@code "k": K} (1 ≤ K ≤ P) and optional
     * {@code "ggn": true}; the answer is {@code {"eigenvalues": [λ1 ≥ … ≥ λK], "iterations": n,
     * "residuals": [‖A v − λ v‖, …]}}, the K largest (algebraic) eigenvalues of the Hessian (or the
     * Gauss–Newton matrix) by {@link Lanczos} with full reorthogonalisation, as
     * {@code kronograd hessian --eigenvalues K [--ggn]}: tolerance {@value #LANCZOS_TOLERANCE}, at most
     * min(P, max(2K + 20, 50)) iterations, start seed {@value #LANCZOS_SEED}. Lanczos keeps every basis
     * vector: iterations × P is bounded by {@value #MAX_LANCZOS_NUMBERS}.
     */
    Supplier<JsonNode> prepareHessianEigenvalues(JsonNode body) {
        JsonNode kNode = take(body, "k");
        JsonNode ggnNode = take(body, "ggn");
        GradientCase c = readCase(body);
        boolean ggn = gaussNewton(ggnNode);
        int p = c.network().parameterCount();
        if (kNode == null) {
            throw HttpError.unprocessable("k", "missing; the number of largest eigenvalues to compute, between 1 and P = " + p
                    + " (the number of parameters)");
        }
        if (!kNode.isIntegralNumber() || !kNode.canConvertToLong()) {
            throw HttpError.unprocessable("k", "expected a whole number between 1 and P = " + p + ", got " + describe(kNode));
        }
        long requested = kNode.longValue();
        if (requested < 1 || requested > p) {
            throw HttpError.unprocessable("k", "must be between 1 and P = " + p + " (the number of parameters), was " + requested);
        }
        int k = (int) requested;
        int iterations = lanczosIterations(k, p);
        long numbers = (long) iterations * p;
        if (numbers > MAX_LANCZOS_NUMBERS) {
            throw HttpError.unprocessable("k", "k = " + k + " takes up to " + iterations + " Lanczos vectors of P = " + p + " numbers ("
                    + numbers + "); this service keeps at most " + MAX_LANCZOS_NUMBERS
                    + " numbers in Lanczos vectors (ask for fewer eigenvalues, or send a smaller network)");
        }
        return () -> {
            Curvature curvature = Curvature.at(c.network(), c.inputs(), c.loss(), c.targets());
            CurvatureOperator matrix = ggn ? curvature.ggn() : curvature.hessian();
            Eigenpairs top = Lanczos.topEigenvalues(matrix, k, iterations, LANCZOS_TOLERANCE, LANCZOS_SEED);
            ObjectNode json = NODES.objectNode();
            ArrayNode values = json.putArray("eigenvalues");
            for (double v : top.values()) {
                values.add(v);
            }
            json.put("iterations", top.iterations());
            ArrayNode residuals = json.putArray("residuals");
            for (double r : top.residuals()) {
                residuals.add(r);
            }
            return json;
        };
    }

    /** The iteration cap of Lanczos for K eigenvalues of a P×P matrix: min(P, max(2K + 20, 50)), as the CLI's. */
    static int lanczosIterations(int k, int p) {
        return Math.min(p, Math.max(2 * k + 20, 50));
    }

    /**
     * {@code POST /v1/laplace}: a case plus {@code "structure"} (full, diag, kron, ekfac or
     * last-layer), {@code "prior_precision"} δ &gt; 0 (required unless {@code "tune_prior": true}),
     * {@code "sigma_noise"} σ &gt; 0 (required for squared error, refused for the cross-entropies),
     * optional {@code "predict": {"inputs": [[…], …]}} and {@code "tune_prior": true|false}; the
     * answer is that of {@code kronograd laplace}: {@code {["prior_precision",]
     * "log_marginal_likelihood"[, "predictive": {"mean", "variance"}]}}. A dense structure over
     * {@value #MAX_DENSE_LAPLACE_PARAMETERS} parameters is refused (field {@code structure}).
     */
    Supplier<JsonNode> prepareLaplace(JsonNode body) {
        JsonNode structureNode = take(body, "structure");
        JsonNode deltaNode = take(body, "prior_precision");
        JsonNode sigmaNode = take(body, "sigma_noise");
        JsonNode predictNode = take(body, "predict");
        JsonNode tuneNode = take(body, "tune_prior");
        GradientCase c = readCase(body);
        Network network = c.network();
        if (structureNode == null) {
            throw HttpError.unprocessable("structure", "missing; one of " + Structure.labels().replace("|", ", "));
        }
        if (!structureNode.isTextual()) {
            throw HttpError.unprocessable("structure", "expected one of " + Structure.labels().replace("|", ", ") + ", got "
                    + describe(structureNode));
        }
        Structure structure;
        try {
            structure = Structure.parse(structureNode.textValue());
        } catch (IllegalArgumentException e) {
            throw HttpError.unprocessable("structure", "must be one of " + Structure.labels().replace("|", ", ") + ", was '"
                    + JsonBodies.excerpt(structureNode.textValue()) + "'");
        }
        boolean tune = flag(tuneNode, "tune_prior");
        Double delta = positive(deltaNode, "prior_precision");
        if (delta == null && !tune) {
            throw HttpError.unprocessable("prior_precision", "missing; the prior precision δ (a positive number) is required, "
                    + "or \"tune_prior\": true");
        }
        Double sigma = positive(sigmaNode, "sigma_noise");
        Likelihood likelihood;
        try {
            likelihood = Likelihood.of(c.loss());
        } catch (IllegalArgumentException e) {
            throw HttpError.unprocessable("loss.type", JsonBodies.oneLine(e.getMessage()));
        }
        if (likelihood == Likelihood.GAUSSIAN && sigma == null) {
            throw HttpError.unprocessable("sigma_noise", "missing; the observation noise σ (a positive number) is required for the case's "
                    + "loss squared-error (Gaussian likelihood)");
        }
        if (likelihood != Likelihood.GAUSSIAN && sigma != null) {
            throw HttpError.unprocessable("sigma_noise", "applies only to squared-error; the case's loss " + c.loss().name() + " has a "
                    + likelihood.name().toLowerCase(Locale.ROOT) + " likelihood without noise");
        }
        if (sigma != null && !Double.isFinite(c.batchSize() / (sigma * sigma))) {
            // the likelihood's precision B/σ² scales the curvature: it must be a double
            throw HttpError.unprocessable("sigma_noise", "is too small: " + c.batchSize() + "/σ² overflows double precision at σ = "
                    + sigma + "; σ must be at least about 1e-153");
        }
        if (structure == Structure.FULL || structure == Structure.LAST_LAYER) {
            int p = structure == Structure.FULL ? network.parameterCount() : network.layer(network.layers().size() - 1).parameterCount();
            if (p > MAX_DENSE_LAPLACE_PARAMETERS) {
                throw HttpError.unprocessable("structure", structure.label() + " materialises a P×P matrix, but P = " + p
                        + " exceeds this service's limit of " + MAX_DENSE_LAPLACE_PARAMETERS + " parameters for the dense structures; "
                        + "use diag, kron or ekfac" + (structure == Structure.FULL ? " (or last-layer)" : ""));
            }
        }
        DenseMatrix predictInputs = predictNode == null ? null : predictInputs(predictNode, network);
        return () -> {
            Laplace.Builder builder = Laplace.builder(network, c.inputs(), c.loss(), c.targets()).structure(structure)
                    .priorPrecision(delta == null ? 1.0 : delta);
            if (sigma != null) {
                builder.sigmaNoise(sigma);
            }
            Laplace laplace = builder.build();
            ObjectNode json = NODES.objectNode();
            if (tune) {
                laplace = laplace.tunePriorPrecision();
                json.put("prior_precision", laplace.priorPrecision());
            }
            json.put("log_marginal_likelihood", laplace.logMarginalLikelihood());
            if (predictInputs != null) {
                Predictive predictive = laplace.predictive(predictInputs);
                ObjectNode p = json.putObject("predictive");
                p.set("mean", CaseWriter.samples(predictive.mean()));
                p.set("variance", CaseWriter.samples(predictive.variance()));
            }
            return json;
        };
    }

    /**
     * {@code "predict": {"inputs": [[…], …]}} as an n × N* matrix, within the batch and activation
     * limits (the predictive runs m backward passes per input).
     *
     * @throws HttpError 422 naming {@code predict}, {@code predict.inputs} or the offending entry
     */
    private DenseMatrix predictInputs(JsonNode predict, Network network) {
        int n = network.inputs();
        if (!predict.isObject()) {
            throw HttpError.unprocessable("predict", "expected an object {\"inputs\": [[…], …]}, got " + describe(predict));
        }
        for (Iterator<String> names = predict.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("inputs")) {
                throw HttpError.unprocessable("predict." + name, "unknown field; \"predict\" has \"inputs\"");
            }
        }
        JsonNode list = predict.get("inputs");
        if (list == null) {
            throw HttpError.unprocessable("predict.inputs", "missing; a list of inputs, each an array of " + n + " numbers");
        }
        if (!list.isArray() || list.isEmpty()) {
            throw HttpError.unprocessable("predict.inputs", "expected a non-empty list of inputs, each an array of " + n + " numbers, got "
                    + (list.isArray() ? "an empty list" : describe(list)));
        }
        int count = list.size();
        if (count > limits.maxBatchSize()) {
            throw HttpError.unprocessable("predict.inputs", "has " + count + " inputs; this service accepts at most " + limits.maxBatchSize());
        }
        long outputs = 0;
        for (DenseLayer layer : network.layers()) {
            outputs += layer.outputs();
        }
        if (outputs * count > limits.maxActivations()) {
            throw HttpError.unprocessable("predict.inputs", count + " inputs × " + outputs + " layer outputs = " + outputs * count
                    + " activations; this service accepts at most " + limits.maxActivations());
        }
        DenseMatrix x = DenseMatrix.zeros(n, count);
        for (int s = 0; s < count; s++) {
            String path = "predict.inputs[" + s + "]";
            JsonNode sample = list.get(s);
            if (!sample.isArray()) {
                throw HttpError.unprocessable(path, "expected an array of " + n + " numbers (the network's inputs), got " + describe(sample));
            }
            if (sample.size() != n) {
                throw HttpError.unprocessable(path, "expected " + n + " numbers (layer 0 has " + n + " inputs), got " + sample.size());
            }
            for (int i = 0; i < n; i++) {
                JsonNode v = sample.get(i);
                if (!v.isNumber()) {
                    throw HttpError.unprocessable(path + "[" + i + "]", "expected a number, got " + describe(v));
                }
                if (!Double.isFinite(v.doubleValue())) {
                    throw HttpError.unprocessable(path + "[" + i + "]", "number out of range: it overflows to " + v.doubleValue()
                            + " as a double; every number must be finite");
                }
                x.set(i, s, v.doubleValue());
            }
        }
        return x;
    }

    /**
     * An optional positive, finite number: null when absent.
     *
     * @throws HttpError 422 naming {@code field} if it is not a number, or not positive and finite
     */
    private static Double positive(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        if (!node.isNumber()) {
            throw HttpError.unprocessable(field, "expected a positive number, got " + describe(node));
        }
        double value = node.doubleValue();
        if (!(value > 0) || !Double.isFinite(value)) {
            throw HttpError.unprocessable(field, "must be a positive finite number, was " + node);
        }
        return value;
    }

    /**
     * An optional boolean: false when absent.
     *
     * @throws HttpError 422 naming {@code field} if it is not {@code true} or {@code false}
     */
    private static boolean flag(JsonNode node, String field) {
        if (node == null) {
            return false;
        }
        if (!node.isBoolean()) {
            throw HttpError.unprocessable(field, "expected true or false, got " + describe(node));
        }
        return node.booleanValue();
    }

    /**
     * {@code work} whose answer must be finite: a JSON answer cannot hold a number that is not
     * finite, and finite inputs can still overflow (weights of 1e308), so such an answer is refused
     * instead of written with strings where numbers belong.
     *
     * @return the same computation, throwing {@link HttpError} 422 (field {@code ""}) naming the
     *         first value of the answer that is Infinity or NaN, by its path in the answer, and how many there are
     */
    static Supplier<JsonNode> finiteOnly(Supplier<JsonNode> work) {
        return () -> {
            JsonNode answer = work.get();
            NonFinite found = new NonFinite();
            found.scan(answer, "");
            if (found.count > 0) {
                throw HttpError.unprocessable("", "the result is not finite: " + found.first + " = " + found.value
                        + (found.count > 1 ? ", and " + (found.count - 1) + " more value" + (found.count > 2 ? "s" : "") + " of the answer are not finite" : "")
                        + "; the computation overflows double precision (scale the case's weights, inputs or targets down)");
            }
            return answer;
        };
    }

    /** The values of an answer that are not finite: how many, and the first by its path. */
    private static final class NonFinite {
        int count;
        String first;
        double value;

        void scan(JsonNode node, String path) {
            if (node.isNumber()) {
                double v = node.doubleValue();
                if (!Double.isFinite(v)) {
                    if (count++ == 0) {
                        first = path;
                        value = v;
                    }
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    scan(node.get(i), path + "[" + i + "]");
                }
            } else if (node.isObject()) {
                for (Iterator<java.util.Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    java.util.Map.Entry<String, JsonNode> field = fields.next();
                    scan(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
                }
            }
        }
    }

    /**
     * Reads and validates a case, then applies the size limits: parameters (field
     * {@code layers}), batch size and activations (field {@code inputs}).
     *
     * @throws HttpError 422 naming the field
     */
    GradientCase readCase(JsonNode body) {
        GradientCase c;
        try {
            c = reader.read(body);
        } catch (CaseFormatException e) {
            throw HttpError.unprocessable(e.field(), e.detail());
        }
        Network network = c.network();
        if (network.parameterCount() > limits.maxParameters()) {
            throw HttpError.unprocessable("layers", "the network has " + network.parameterCount() + " parameters; this service accepts at most "
                    + limits.maxParameters());
        }
        int batch = c.batchSize();
        if (batch > limits.maxBatchSize()) {
            throw HttpError.unprocessable("inputs", "the batch has " + batch + " samples; this service accepts at most " + limits.maxBatchSize());
        }
        long outputs = 0;
        for (DenseLayer layer : network.layers()) {
            outputs += layer.outputs();
        }
        long activations = outputs * batch;
        if (activations > limits.maxActivations()) {
            throw HttpError.unprocessable("inputs", batch + " samples × " + outputs + " layer outputs = " + activations
                    + " activations; this service accepts at most " + limits.maxActivations() + " (fewer samples per request, or narrower layers)");
        }
        return c;
    }

    /** Removes and returns an optional request field that is not part of the case (null if absent or not an object body). */
    private static JsonNode take(JsonNode body, String name) {
        return body instanceof ObjectNode o ? o.remove(name) : null;
    }

    /**
     * The optional {@code "ggn"} field: false when absent (the exact Hessian), else its boolean.
     *
     * @throws HttpError 422 naming {@code ggn} if it is not {@code true} or {@code false}
     */
    private static boolean gaussNewton(JsonNode ggnNode) {
        if (ggnNode == null) {
            return false;
        }
        if (!ggnNode.isBoolean()) {
            throw HttpError.unprocessable("ggn", "expected true or false, got " + describe(ggnNode));
        }
        return ggnNode.booleanValue();
    }

    /** The answer's {@code "matrix"}: which curvature was computed. */
    private static String matrixName(boolean ggn) {
        return ggn ? "gauss-newton" : "hessian";
    }

    private static double tolerance(JsonNode node, String field, double fallback) {
        if (node == null) {
            return fallback;
        }
        if (!node.isNumber()) {
            throw HttpError.unprocessable(field, "expected a number, got " + describe(node));
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value) || value < 0) {
            throw HttpError.unprocessable(field, "must be finite and at least 0, was " + node);
        }
        return value;
    }

    /** A wrong value as the client wrote it, shortened. */
    private static String describe(JsonNode node) {
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        String s = node.toString();
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
