package dev.kronograd.service.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.service.io.CaseReader;
import dev.kronograd.service.io.CaseWriter;
import dev.kronograd.service.io.GradientCase;
import dev.kronograd.sdk.nn.Curvature;
import dev.kronograd.sdk.nn.CurvatureOperator;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.sdk.laplace.Laplace;
import dev.kronograd.sdk.laplace.Predictive;
import dev.kronograd.sdk.laplace.Structure;
import dev.kronograd.sdk.nn.Eigenpairs;
import dev.kronograd.sdk.nn.Lanczos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;

/**
 * Cases in the JSON case format (docs/case-format.md) with random shapes, activations, losses and values
 * (seeded), and the answers the service must give for them, computed in-process with the same
 * SDK and written with the same writer: a correct answer is byte for byte equal.
 */
public final class TestCases {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> ACTIVATIONS = List.of("tanh", "sigmoid", "identity", "softplus", "gelu", "silu", "elu", "softsign",
            "gelu-tanh", "selu");

    private TestCases() {
    }

    /** A random case: 1–{@code maxLayers} layers of width 1–{@code maxWidth}, 1–{@code maxBatch} samples. */
    public static ObjectNode random(Random rnd, int maxLayers, int maxWidth, int maxBatch) {
        int layers = 1 + rnd.nextInt(maxLayers);
        int inputs = 1 + rnd.nextInt(maxWidth);
        int batch = 1 + rnd.nextInt(maxBatch);
        boolean softmax = rnd.nextBoolean();
        ObjectNode root = NODES.objectNode();
        ArrayNode layerList = root.putArray("layers");
        int n = inputs;
        int m = 0;
        for (int k = 0; k < layers; k++) {
            m = k == layers - 1 && softmax ? 2 + rnd.nextInt(maxWidth) : 1 + rnd.nextInt(maxWidth);
            ObjectNode layer = layerList.addObject();
            layer.set("weights", matrix(rnd, m, n));
            layer.set("bias", vector(rnd, m));
            layer.put("activation", ACTIVATIONS.get(rnd.nextInt(ACTIVATIONS.size())));
            n = m;
        }
        root.set("inputs", matrix(rnd, batch, inputs));
        ObjectNode loss = root.putObject("loss");
        loss.put("type", softmax ? "softmax-cross-entropy" : "squared-error");
        ArrayNode targets = loss.putArray("targets");
        for (int s = 0; s < batch; s++) {
            ArrayNode target = targets.addArray();
            if (softmax) {
                int hot = rnd.nextInt(m);
                for (int i = 0; i < m; i++) {
                    target.add(i == hot ? 1.0 : 0.0);
                }
            } else {
                for (int i = 0; i < m; i++) {
                    target.add(rnd.nextGaussian());
                }
            }
        }
        return root;
    }

    /** One tanh layer {@code width}×{@code width} on {@code batch} samples, squared error: issue 17's "64×64/B=8". */
    public static ObjectNode square(Random rnd, int width, int batch) {
        ObjectNode root = NODES.objectNode();
        ObjectNode layer = root.putArray("layers").addObject();
        layer.set("weights", matrix(rnd, width, width));
        layer.set("bias", vector(rnd, width));
        layer.put("activation", "tanh");
        root.set("inputs", matrix(rnd, batch, width));
        ObjectNode loss = root.putObject("loss");
        loss.put("type", "squared-error");
        loss.set("targets", matrix(rnd, batch, width));
        return root;
    }

    /** One layer 1×1 with {@code activation}, one sample: a computation as slow as one σ call. */
    public static ObjectNode single(String activation) {
        return parse("{\"layers\": [{\"weights\": [[0.5]], \"bias\": [0.25], \"activation\": \"" + activation + "\"}],"
                + " \"inputs\": [[2.0]], \"loss\": {\"type\": \"squared-error\", \"targets\": [[1.0]]}}");
    }

    /** The case of tanh-two-layers.json: 2 inputs → 3 tanh units → 2 identity outputs, three samples. */
    public static ObjectNode twoLayers() {
        return parse("{\"layers\": ["
                + "{\"weights\": [[0.3, -0.7], [1.1, 0.4], [-0.6, 0.9]], \"bias\": [0.05, -0.1, 0.2], \"activation\": \"tanh\"},"
                + "{\"weights\": [[0.8, -0.5, 0.3], [-0.2, 0.6, 1.2]], \"bias\": [-0.3, 0.1], \"activation\": \"identity\"}],"
                + " \"inputs\": [[0.5, -1.5], [2.0, 0.25], [-0.75, 1.0]],"
                + " \"loss\": {\"type\": \"squared-error\", \"targets\": [[0.2, -0.4], [1.0, 0.5], [-0.3, 0.8]]}}");
    }

    /** The gradient answer for {@code c}, as the service writes it (compact JSON and a line feed). */
    public static String expectedGradient(Kronograd sdk, JsonNode c) {
        GradientCase g = CaseReader.using(sdk).read(c.deepCopy());
        return CaseWriter.compact().toString(CaseWriter.gradientResult(g.network(), g.gradient())) + "\n";
    }

    /** A random θ-shaped vector for {@code c} in the layout of the gradient answer: {"gradients": [...]}. */
    public static ObjectNode randomVector(Kronograd sdk, JsonNode c, Random rnd) {
        GradientCase g = CaseReader.using(sdk).read(c.deepCopy());
        DenseVector v = DenseVector.zeros(g.network().parameterCount());
        for (int i = 0; i < v.length(); i++) {
            v.set(i, rnd.nextGaussian());
        }
        ObjectNode vector = NODES.objectNode();
        vector.set("gradients", CaseWriter.parameterVector(g.network(), v));
        return vector;
    }

    /** The Hessian-vector answer for {@code c} and {@code vector}, as the service writes it. */
    public static String expectedHessianVector(Kronograd sdk, JsonNode c, JsonNode vector, boolean ggn) {
        GradientCase g = CaseReader.using(sdk).read(c.deepCopy());
        DenseVector v = CaseReader.parameterVector(vector.get("gradients"), "vector.gradients", g.network());
        Curvature curvature = Curvature.at(g.network(), g.inputs(), g.loss(), g.targets());
        CurvatureOperator matrix = ggn ? curvature.ggn() : curvature.hessian();
        DenseVector product = matrix.apply(v);
        ObjectNode answer = NODES.objectNode();
        answer.put("matrix", ggn ? "gauss-newton" : "hessian");
        answer.set("product", CaseWriter.parameterVector(g.network(), product));
        return CaseWriter.compact().toString(answer) + "\n";
    }

    /** The Hessian-diagonal answer for {@code c} (the Gauss–Newton matrix's with {@code ggn}), as the service writes it. */
    public static String expectedHessianDiagonal(Kronograd sdk, JsonNode c, boolean ggn) {
        GradientCase g = CaseReader.using(sdk).read(c.deepCopy());
        Curvature curvature = Curvature.at(g.network(), g.inputs(), g.loss(), g.targets());
        DenseVector diagonal = ggn ? curvature.ggn().diagonal() : curvature.hessian().diagonal();
        ObjectNode answer = NODES.objectNode();
        answer.put("matrix", ggn ? "gauss-newton" : "hessian");
        answer.set("diagonal", CaseWriter.parameterVector(g.network(), diagonal));
        return CaseWriter.compact().toString(answer) + "\n";
    }

    /** The Hessian-trace answer for {@code c} (the Gauss–Newton matrix's with {@code ggn}), as the service writes it. */
    public static String expectedHessianTrace(Kronograd sdk, JsonNode c, boolean ggn) {
        GradientCase g = CaseReader.using(sdk).read(c.deepCopy());
        Curvature curvature = Curvature.at(g.network(), g.inputs(), g.loss(), g.targets());
        ObjectNode answer = NODES.objectNode();
        answer.put("matrix", ggn ? "gauss-newton" : "hessian");
        answer.put("trace", ggn ? curvature.ggn().trace() : curvature.hessian().trace());
        return CaseWriter.compact().toString(answer) + "\n";
    }

    /**
     * The Hessian-eigenvalues answer for {@code c}: what {@code kronograd hessian --eigenvalues k [--ggn]}
     * prints (Lanczos, tolerance 1e-10, at most min(P, max(2k + 20, 50)) iterations, seed 0), compact.
     */
    public static String expectedHessianEigenvalues(Kronograd sdk, JsonNode c, int k, boolean ggn) {
        GradientCase g = CaseReader.using(sdk).read(c.deepCopy());
        Curvature curvature = Curvature.at(g.network(), g.inputs(), g.loss(), g.targets());
        CurvatureOperator matrix = ggn ? curvature.ggn() : curvature.hessian();
        int p = matrix.rows();
        Eigenpairs top = Lanczos.topEigenvalues(matrix, k, Math.min(p, Math.max(2 * k + 20, 50)), 1e-10, 0);
        ObjectNode answer = NODES.objectNode();
        ArrayNode values = answer.putArray("eigenvalues");
        for (double v : top.values()) {
            values.add(v);
        }
        answer.put("iterations", top.iterations());
        ArrayNode residuals = answer.putArray("residuals");
        for (double r : top.residuals()) {
            residuals.add(r);
        }
        return CaseWriter.compact().toString(answer) + "\n";
    }

    /**
     * The Laplace answer for {@code c}: what {@code kronograd laplace} prints for these options
     * (sigma null for the cross-entropies, predict null for no predictive), compact.
     */
    public static String expectedLaplace(Kronograd sdk, JsonNode c, String structure, double delta, Double sigma, double[][] predict,
                                         boolean tune) {
        GradientCase g = CaseReader.using(sdk).read(c.deepCopy());
        Laplace.Builder b = Laplace.builder(g.network(), g.inputs(), g.loss(), g.targets()).structure(Structure.parse(structure))
                .priorPrecision(delta);
        if (sigma != null) {
            b.sigmaNoise(sigma);
        }
        Laplace laplace = b.build();
        ObjectNode answer = NODES.objectNode();
        if (tune) {
            laplace = laplace.tunePriorPrecision();
            answer.put("prior_precision", laplace.priorPrecision());
        }
        answer.put("log_marginal_likelihood", laplace.logMarginalLikelihood());
        if (predict != null) {
            DenseMatrix x = DenseMatrix.zeros(predict[0].length, predict.length);
            for (int s = 0; s < predict.length; s++) {
                for (int i = 0; i < predict[s].length; i++) {
                    x.set(i, s, predict[s][i]);
                }
            }
            Predictive p = laplace.predictive(x);
            ObjectNode predictive = answer.putObject("predictive");
            predictive.set("mean", CaseWriter.samples(p.mean()));
            predictive.set("variance", CaseWriter.samples(p.variance()));
        }
        return CaseWriter.compact().toString(answer) + "\n";
    }

    /** {@code c} turned into a sigmoid-cross-entropy case: each target 1 where it was positive, else 0. */
    public static ObjectNode asSigmoid(JsonNode c) {
        ObjectNode request = (ObjectNode) c.deepCopy();
        ObjectNode loss = (ObjectNode) request.get("loss");
        loss.put("type", "sigmoid-cross-entropy");
        for (JsonNode target : loss.get("targets")) {
            ArrayNode t = (ArrayNode) target;
            for (int i = 0; i < t.size(); i++) {
                t.set(i, t.get(i).asDouble() > 0 ? 1.0 : 0.0);
            }
        }
        return request;
    }

    /** {@code c} with {@code "ggn": true} when asked: a Hessian-diagonal or -trace request. */
    public static ObjectNode withGgn(JsonNode c, boolean ggn) {
        ObjectNode request = (ObjectNode) c.deepCopy();
        if (ggn) {
            request.put("ggn", true);
        }
        return request;
    }

    /** {@code c} with {@code "vector"} (and {@code "ggn": true} when asked): a Hessian-vector request. */
    public static ObjectNode withVector(JsonNode c, JsonNode vector, boolean ggn) {
        ObjectNode request = (ObjectNode) c.deepCopy();
        request.set("vector", vector);
        if (ggn) {
            request.put("ggn", true);
        }
        return request;
    }

    public static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ArrayNode matrix(Random rnd, int rows, int cols) {
        ArrayNode out = NODES.arrayNode(rows);
        for (int i = 0; i < rows; i++) {
            out.add(vector(rnd, cols));
        }
        return out;
    }

    private static ArrayNode vector(Random rnd, int length) {
        ArrayNode out = NODES.arrayNode(length);
        for (int i = 0; i < length; i++) {
            out.add(rnd.nextGaussian());
        }
        return out;
    }
}
