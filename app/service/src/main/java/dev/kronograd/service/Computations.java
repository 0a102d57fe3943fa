package dev.kronograd.service;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.kronograd.core.DenseVector;

import java.util.Iterator;
import java.util.List;
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
