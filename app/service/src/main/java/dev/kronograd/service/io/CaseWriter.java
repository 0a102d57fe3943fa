package dev.kronograd.service.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kronograd.sdk.nn.DenseLayer;
import dev.kronograd.sdk.nn.Gradient;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Writes results and cases as JSON (docs/case-format.md). The gradient result is
 *
 * <pre>
 * {"loss": L, "outputs": [[f of sample 0], ...],
 *  "gradients": [{"weights": [[row 0 of dW_0], ...], "bias": [db_0]}, ...]}
 * </pre>
 *
 * with one {@code gradients} entry per layer. Matrices are written as row-major lists of rows
 * whatever the internal (column-major) layout; batches as one array per sample, as in the input
 * format. The trees returned here are ordinary Jackson {@link ObjectNode}s, so callers may add
 * fields (readers of the format must ignore fields they do not know).
 *
 * <p>Numbers are written with full double precision (the shortest decimal that parses back to
 * the same double), so reading the output reproduces every value bit for bit. A non-finite value
 * cannot be a JSON number: it is written as the string {@code "NaN"}, {@code "Infinity"} or
 * {@code "-Infinity"}, which keeps the document valid JSON.
 *
 * <p>A writer is immutable and thread-safe.
 */
public final class CaseWriter {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectWriter writer;

    private CaseWriter(ObjectWriter writer) {
        this.writer = writer;
    }

    /** A writer producing indented JSON: objects one field per line, each array of numbers on one line. */
    public static CaseWriter pretty() {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        return new CaseWriter(MAPPER.writer(printer));
    }

    /** A writer producing JSON on a single line. */
    public static CaseWriter compact() {
        return new CaseWriter(MAPPER.writer());
    }

    /**
     * The gradient result of {@code network} for one batch.
     *
     * @param network  the network {@code gradient} was computed for (gives the layer shapes)
     * @param gradient its loss, outputs and ∇_θ L
     * @return {@code {"loss", "outputs", "gradients"}}; a new tree the caller may extend
     */
    public static ObjectNode gradientResult(Network network, Gradient gradient) {
        ObjectNode result = NODES.objectNode();
        result.put("loss", gradient.loss());
        result.set("outputs", samples(gradient.outputs()));
        ArrayNode layers = result.putArray("gradients");
        for (int k = 0; k < network.layers().size(); k++) {
            ObjectNode layer = layers.addObject();
            layer.set("weights", rows(gradient.weights(k)));
            layer.set("bias", numbers(gradient.bias(k)));
        }
        return result;
    }

    /**
     * A θ-shaped vector of {@code network} in the layout of the gradient output:
     * {@code [{"weights": [[row-major rows]], "bias": […]}, …]}, one entry per layer.
     */
    public static ArrayNode parameterVector(Network network, DenseVector theta) {
        ArrayNode layers = NODES.arrayNode();
        for (DenseLayer l : network.layers()) {
            DenseVector slice = theta.slice(l.parameterOffset(), l.parameterCount());
            ObjectNode layer = layers.addObject();
            layer.set("weights", rows(slice.slice(0, l.outputs() * l.inputs()).unvec(l.outputs(), l.inputs())));
            layer.set("bias", numbers(slice.slice(l.outputs() * l.inputs(), l.outputs())));
        }
        return layers;
    }

    /**
     * Where parameter {@code p} of θ = [θ₁; θ₂; …], θ_k = [vec W_k; b_k], sits in the case:
     * {@code layers[k].weights[i][j]} (vec is column-major: index j·m + i) or {@code layers[k].bias[i]}.
     */
    public static String parameterField(Network network, int p) {
        for (DenseLayer layer : network.layers()) {
            int local = p - layer.parameterOffset();
            if (local >= 0 && local < layer.parameterCount()) {
                int m = layer.outputs();
                int weights = m * layer.inputs();
                String base = "layers[" + layer.index() + "]";
                return local < weights
                        ? base + ".weights[" + (local % m) + "][" + (local / m) + "]"
                        : base + ".bias[" + (local - weights) + "]";
            }
        }
        return "";
    }

    /**
     * A case in the input format: the network's current parameters and activations, the inputs,
     * the loss and the targets. {@link CaseReader} reads it back to an equal case.
     */
    public static ObjectNode gradientCase(GradientCase gradientCase) {
        ObjectNode root = NODES.objectNode();
        ArrayNode layers = root.putArray("layers");
        for (DenseLayer l : gradientCase.network().layers()) {
            ObjectNode layer = layers.addObject();
            layer.set("weights", rows(l.weights()));
            layer.set("bias", numbers(l.bias()));
            layer.put("activation", l.activation().name());
        }
        root.set("inputs", samples(gradientCase.inputs()));
        ObjectNode loss = root.putObject("loss");
        loss.put("type", gradientCase.loss().name());
        loss.set("targets", samples(gradientCase.targets()));
        return root;
    }

    /** {@code m} (r×c) as a row-major list of r arrays of c numbers. */
    public static ArrayNode rows(DenseMatrix m) {
        ArrayNode out = NODES.arrayNode(m.rows());
        for (int i = 0; i < m.rows(); i++) {
            ArrayNode row = out.addArray();
            for (int j = 0; j < m.cols(); j++) {
                row.add(m.get(i, j));
            }
        }
        return out;
    }

    /** A batch {@code m} (length×B, one sample per column) as a list of B arrays, one per sample. */
    public static ArrayNode samples(DenseMatrix m) {
        ArrayNode out = NODES.arrayNode(m.cols());
        for (int j = 0; j < m.cols(); j++) {
            ArrayNode sample = out.addArray();
            for (int i = 0; i < m.rows(); i++) {
                sample.add(m.get(i, j));
            }
        }
        return out;
    }

    /** {@code v} as an array of numbers. */
    public static ArrayNode numbers(DenseVector v) {
        ArrayNode out = NODES.arrayNode(v.length());
        for (int i = 0; i < v.length(); i++) {
            out.add(v.get(i));
        }
        return out;
    }

    /** Writes {@code json} followed by a line feed; flushes {@code out} but does not close it. */
    public void write(JsonNode json, Writer out) throws IOException {
        try (JsonGenerator generator = writer.createGenerator(out)) {
            generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            writer.writeValue(generator, json);
        }
        out.write('\n');
        out.flush();
    }

    /** {@code json} as a string, without a trailing line feed. */
    public String toString(JsonNode json) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = writer.createGenerator(out)) {
            writer.writeValue(generator, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }
}
