package dev.kronograd.service.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kronograd.activations.UnknownActivationException;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.DenseLayer;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.sdk.nn.NetworkBuilder;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.KronogradException;
import dev.kronograd.core.DenseVector;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads a gradient case in the JSON case format (docs/case-format.md) and validates all of it before any
 * computation:
 *
 * <pre>
 * {"layers": [{"weights": [[row 0], [row 1], ...], "bias": [...], "activation": "tanh"}, ...],
 *  "inputs": [[x of sample 0], [x of sample 1], ...],
 *  "loss":   {"type": "squared-error", "targets": [[y0], [y1], ...]}}
 * </pre>
 *
 * Weights are row-major lists of rows: layer k's W_k is m_k×n_k with n_0 the input length and
 * n_k = m_{k−1}. Every problem is a {@link CaseFormatException} whose {@link CaseFormatException#field()
 * field} is the JSON path of the offending value, e.g.
 * {@code layers[1].weights[2]: row has 3 numbers but row 0 has 4}.
 *
 * <h2>Strictness</h2>
 * The document must be exactly one JSON object: nothing but whitespace may follow it. Keys must be
 * unique within an object, and a field the format does not define is rejected (it is almost
 * always a misspelling). NaN and Infinity are not JSON and are rejected; so is a number too large
 * for a double (such as {@code 1e999}), which would otherwise turn into Infinity. Nesting depth and
 * number length are bounded by Jackson's default stream-read constraints.
 *
 * <p>A reader is immutable and thread-safe if its network and loss sources are.
 */
public final class CaseReader {
    private static final List<String> CASE_FIELDS = List.of("layers", "inputs", "loss");
    private static final List<String> LAYER_FIELDS = List.of("weights", "bias", "activation");
    private static final List<String> LOSS_FIELDS = List.of("type", "targets");
    /** The longest excerpt of a wrong value quoted in a message. */
    private static final int EXCERPT_CHARS = 40;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // the default, stated: NaN/Infinity are not JSON
            .build();

    private final Supplier<NetworkBuilder> networks;
    private final Function<String, Loss> losses;

    /**
     * @param networks a fresh {@link NetworkBuilder} per case (it fixes the backend and resolves
     *                 activation names, throwing {@link UnknownActivationException} for unknown ones)
     * @param losses   resolves loss names, throwing an {@link IllegalArgumentException} whose
     *                 message lists the known names for unknown ones
     */
    public CaseReader(Supplier<NetworkBuilder> networks, Function<String, Loss> losses) {
        this.networks = Objects.requireNonNull(networks, "networks");
        this.losses = Objects.requireNonNull(losses, "losses");
    }

    /** A reader building networks on {@code sdk}'s backend with its activations and losses. */
    public static CaseReader using(Kronograd sdk) {
        return new CaseReader(sdk::network, sdk::loss);
    }

    /**
     * Reads the case in {@code file} (JSON, UTF-8/16/32 detected).
     *
     * @throws CaseFormatException if the content is not a valid case
     * @throws IOException         if the file cannot be read
     */
    public GradientCase read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    /**
     * Reads a case from {@code in} (JSON, UTF-8/16/32 detected) up to its end; does not close it.
     *
     * @throws CaseFormatException if the content is not a valid case
     * @throws IOException         if reading fails
     */
    public GradientCase read(InputStream in) throws IOException {
        try (JsonParser parser = MAPPER.createParser(in)) {
            parser.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            return read(parse(parser));
        }
    }

    /**
     * Reads a case from {@code in} up to its end; does not close it.
     *
     * @throws CaseFormatException if the content is not a valid case
     * @throws IOException         if reading fails
     */
    public GradientCase read(Reader in) throws IOException {
        try (JsonParser parser = MAPPER.createParser(in)) {
            parser.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            return read(parse(parser));
        }
    }

    /**
     * Reads a case from a JSON text.
     *
     * @throws CaseFormatException if it is not a valid case
     */
    public GradientCase read(String json) {
        try (JsonParser parser = MAPPER.createParser(json)) {
            return read(parse(parser));
        } catch (IOException e) {
            // Only syntax errors can happen on a String, and parse() turns those into CaseFormatException.
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Validates an already parsed document and builds the case.
     *
     * @throws CaseFormatException if it is not a valid case
     */
    public GradientCase read(JsonNode document) {
        Objects.requireNonNull(document, "document");
        if (!document.isObject()) {
            throw new CaseFormatException("", "expected a JSON object with \"layers\", \"inputs\" and \"loss\", got " + describe(document));
        }
        allowOnly(document, "", CASE_FIELDS, "a case has");

        // Layers: shapes chain, n_k = m_{k−1}.
        JsonNode layers = required(document, "", "layers", "a case needs \"layers\", \"inputs\" and \"loss\"");
        requireNonEmptyArray(layers, "layers", "a list of layers", "a case needs at least one layer");
        NetworkBuilder builder = networks.get();
        int inputs = -1;
        int previousOutputs = -1;
        for (int k = 0; k < layers.size(); k++) {
            String path = index("layers", k);
            JsonNode layer = layers.get(k);
            if (!layer.isObject()) {
                throw new CaseFormatException(path, "expected a layer object with \"weights\", \"bias\" and \"activation\", got " + describe(layer));
            }
            allowOnly(layer, path, LAYER_FIELDS, "a layer has");
            String layerNeeds = "a layer needs \"weights\", \"bias\" and \"activation\"";
            double[][] w = matrix(required(layer, path, "weights", layerNeeds), child(path, "weights"));
            int m = w.length;
            int n = w[0].length;
            if (k == 0) {
                inputs = n;
            } else if (n != previousOutputs) {
                throw new CaseFormatException(child(path, "weights"), "rows have " + n + " numbers but layer " + (k - 1) + " has "
                        + previousOutputs + " outputs; each row needs one number per output of the previous layer");
            }
            double[] b = vector(required(layer, path, "bias", layerNeeds), child(path, "bias"));
            if (b.length != m) {
                throw new CaseFormatException(child(path, "bias"), "expected " + m + " numbers (\"weights\" has " + m + " rows), got "
                        + b.length);
            }
            String activation = text(required(layer, path, "activation", layerNeeds), child(path, "activation"));
            try {
                builder.layer(DenseMatrix.ofRows(w), DenseVector.of(b), activation);
            } catch (UnknownActivationException e) {
                throw new CaseFormatException(child(path, "activation"), oneLine(e.getMessage()), e);
            } catch (IllegalArgumentException | KronogradException e) {
                throw new CaseFormatException(path, oneLine(e.getMessage()), e);
            }
            previousOutputs = m;
        }
        int outputs = previousOutputs;
        int last = layers.size() - 1;

        // Inputs: one array of n_0 numbers per sample, stored as the columns of X.
        JsonNode inputList = required(document, "", "inputs", "a case needs \"layers\", \"inputs\" and \"loss\"");
        requireNonEmptyArray(inputList, "inputs", "a list of samples", "a case needs at least one sample");
        int batch = inputList.size();
        DenseMatrix x = DenseMatrix.zeros(inputs, batch);
        for (int s = 0; s < batch; s++) {
            String path = index("inputs", s);
            double[] sample = vector(inputList.get(s), path);
            if (sample.length != inputs) {
                throw new CaseFormatException(path, "expected " + inputs + " numbers (layer 0 has " + inputs + " inputs), got " + sample.length);
            }
            x.column(s).setFrom(DenseVector.wrap(sample));
        }

        // Loss: a known type and one target of m_L numbers per sample.
        JsonNode lossNode = required(document, "", "loss", "a case needs \"layers\", \"inputs\" and \"loss\"");
        if (!lossNode.isObject()) {
            throw new CaseFormatException("loss", "expected an object with \"type\" and \"targets\", got " + describe(lossNode));
        }
        allowOnly(lossNode, "loss", LOSS_FIELDS, "a loss has");
        String lossNeeds = "a loss needs \"type\" and \"targets\"";
        String type = text(required(lossNode, "loss", "type", lossNeeds), "loss.type");
        Loss loss;
        try {
            loss = Objects.requireNonNull(losses.apply(type), "loss resolver returned null");
        } catch (IllegalArgumentException | KronogradException e) {
            throw new CaseFormatException("loss.type", oneLine(e.getMessage()), e);
        }
        JsonNode targetList = required(lossNode, "loss", "targets", lossNeeds);
        if (!targetList.isArray()) {
            throw new CaseFormatException("loss.targets", "expected a list of targets (one array of numbers per sample), got "
                    + describe(targetList));
        }
        if (targetList.size() != batch) {
            throw new CaseFormatException("loss.targets", "expected " + batch + (batch == 1 ? " target" : " targets")
                    + " (one per input), got " + targetList.size());
        }
        DenseMatrix y = DenseMatrix.zeros(outputs, batch);
        for (int s = 0; s < batch; s++) {
            String path = index("loss.targets", s);
            double[] target = vector(targetList.get(s), path);
            if (target.length != outputs) {
                throw new CaseFormatException(path, "expected " + outputs + " numbers (the last layer, layer " + last + ", has " + outputs
                        + " outputs), got " + target.length);
            }
            y.column(s).setFrom(DenseVector.wrap(target));
        }
        try {
            loss.validateTargets(outputs, y);
        } catch (IllegalArgumentException | KronogradException e) {
            throw new CaseFormatException(invalidTarget(loss, y), oneLine(e.getMessage()), e);
        }
        Network network = builder.build();
        return new GradientCase(network, x, loss, y);
    }

    /**
     * Parses a JSON document from {@code file} with the same strictness as a case (no NaN, no
     * duplicate keys, nothing after the value).
     *
     * @throws CaseFormatException for invalid JSON
     * @throws IOException         if the file cannot be read
     */
    public static JsonNode readTree(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); JsonParser parser = MAPPER.createParser(in)) {
            return parse(parser);
        }
    }

    /**
     * Parses exactly one JSON value from {@code json} (UTF-8; UTF-16/32 detected) with the same
     * strictness as a case.
     *
     * @throws CaseFormatException for invalid JSON, naming the path where the parser stopped
     */
    public static JsonNode readTree(byte[] json) {
        try (JsonParser parser = MAPPER.createParser(json)) {
            return parse(parser);
        } catch (IOException e) {
            // Parsing a byte array does no I/O: parse() turns syntax errors into CaseFormatException.
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A vector over all of {@code network}'s parameters, θ-shaped, in the layout of the gradient
     * output: {@code [{"weights": [[row-major rows]], "bias": […]}, …]}, one entry per layer.
     *
     * @param list the JSON array of per-layer entries
     * @param path its JSON path, for messages (e.g. {@code gradients} or {@code vector.gradients})
     * @throws CaseFormatException naming the offending field when a shape or a number is wrong
     */
    public static DenseVector parameterVector(JsonNode list, String path, Network network) {
        int layers = network.layers().size();
        if (!list.isArray()) {
            throw new CaseFormatException(path, "expected a list with one {\"weights\", \"bias\"} entry per layer, got " + describe(list));
        }
        if (list.size() != layers) {
            throw new CaseFormatException(path, "expected " + layers + (layers == 1 ? " entry" : " entries") + " (one per layer), got " + list.size());
        }
        DenseVector out = DenseVector.zeros(network.parameterCount());
        for (int k = 0; k < layers; k++) {
            DenseLayer l = network.layer(k);
            String at = index(path, k);
            JsonNode entry = list.get(k);
            if (!entry.isObject()) {
                throw new CaseFormatException(at, "expected an object with \"weights\" and \"bias\", got " + describe(entry));
            }
            allowOnly(entry, at, List.of("weights", "bias"), "an entry has");
            String needs = "an entry needs \"weights\" and \"bias\"";
            double[][] w = matrix(required(entry, at, "weights", needs), child(at, "weights"));
            if (w.length != l.outputs() || w[0].length != l.inputs()) {
                throw new CaseFormatException(child(at, "weights"), "expected " + l.outputs() + "×" + l.inputs() + " (layer " + k + "'s W), got "
                        + w.length + "×" + w[0].length);
            }
            double[] b = vector(required(entry, at, "bias", needs), child(at, "bias"));
            if (b.length != l.outputs()) {
                throw new CaseFormatException(child(at, "bias"), "expected " + l.outputs() + " numbers (layer " + k + "'s b), got " + b.length);
            }
            DenseVector slice = out.slice(l.parameterOffset(), l.parameterCount());
            slice.slice(0, l.outputs() * l.inputs()).unvec(l.outputs(), l.inputs()).setFrom(DenseMatrix.ofRows(w));
            slice.slice(l.outputs() * l.inputs(), l.outputs()).setFrom(DenseVector.wrap(b));
        }
        return out;
    }

    // ---- JSON text ----------------------------------------------------------------------------

    /** Exactly one JSON value, nothing after it; syntax errors become {@link CaseFormatException}. */
    private static JsonNode parse(JsonParser parser) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(parser);
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        }
        if (root == null || root.isMissingNode()) {
            throw new CaseFormatException("", "the input is empty; expected a JSON object with \"layers\", \"inputs\" and \"loss\"");
        }
        String trailing = "unexpected content after the end of the JSON value";
        String exactlyOne = "; the input must be exactly one JSON object";
        try {
            if (parser.nextToken() != null) {
                throw new CaseFormatException("", trailing + " " + at(parser.currentTokenLocation()) + exactlyOne);
            }
        } catch (JsonProcessingException e) {
            throw new CaseFormatException("", trailing + (e.getLocation() == null ? "" : " " + at(e.getLocation())) + exactlyOne, e);
        }
        return root;
    }

    private static CaseFormatException syntaxError(JsonProcessingException e) {
        String field = "";
        if (e.getProcessor() instanceof JsonParser p) {
            field = pathOf(p.getParsingContext());
        }
        // Jackson names the source of a location ("[Source: …; line: 1, column: 12]"): keep the position only.
        String original = oneLine(e.getOriginalMessage()).replaceAll("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]", "line $1, column $2");
        String detail;
        if (original.startsWith("Non-standard token")) {
            detail = "NaN and Infinity are not JSON numbers; every number must be finite";
        } else if (original.startsWith("Duplicate field")) {
            detail = "duplicate key" + original.substring("Duplicate field".length()) + "; each key may appear once";
        } else {
            detail = "invalid JSON: " + original;
        }
        return new CaseFormatException(field, detail + (e.getLocation() == null ? "" : " " + at(e.getLocation())), e);
    }

    private static String at(JsonLocation location) {
        return "(line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** The parser's position as a path like {@code layers[0].bias[1]}. */
    private static String pathOf(JsonStreamContext context) {
        List<String> segments = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                segments.add("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.inObject() && c.getCurrentName() != null) {
                segments.add("." + c.getCurrentName());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = segments.size() - 1; i >= 0; i--) {
            sb.append(segments.get(i));
        }
        return sb.length() > 0 && sb.charAt(0) == '.' ? sb.substring(1) : sb.toString();
    }

    // ---- values -------------------------------------------------------------------------------

    private static void allowOnly(JsonNode object, String path, List<String> allowed, String what) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new CaseFormatException(child(path, name), "unknown field; " + what + " " + quotedList(allowed));
            }
        }
    }

    private static JsonNode required(JsonNode object, String path, String name, String needs) {
        JsonNode value = object.get(name);
        if (value == null) {
            throw new CaseFormatException(child(path, name), "missing; " + needs);
        }
        return value;
    }

    private static void requireNonEmptyArray(JsonNode node, String path, String expected, String needs) {
        if (!node.isArray()) {
            throw new CaseFormatException(path, "expected " + expected + ", got " + describe(node));
        }
        if (node.isEmpty()) {
            throw new CaseFormatException(path, "is empty; " + needs);
        }
    }

    /** A non-empty list of rows of equal, non-zero length. */
    private static double[][] matrix(JsonNode node, String path) {
        requireNonEmptyArray(node, path, "a list of rows (one array of numbers per output)", "a layer needs at least one row");
        double[][] rows = new double[node.size()][];
        for (int i = 0; i < rows.length; i++) {
            String rowPath = index(path, i);
            rows[i] = vector(node.get(i), rowPath);
            if (rows[i].length == 0) {
                throw new CaseFormatException(rowPath, "row is empty; a layer needs at least one input");
            }
            if (i > 0 && rows[i].length != rows[0].length) {
                throw new CaseFormatException(rowPath, "row has " + rows[i].length + " numbers but row 0 has " + rows[0].length);
            }
        }
        return rows;
    }

    private static double[] vector(JsonNode node, String path) {
        if (!node.isArray()) {
            throw new CaseFormatException(path, "expected an array of numbers, got " + describe(node));
        }
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(node.get(i), index(path, i));
        }
        return out;
    }

    private static double number(JsonNode node, String path) {
        if (!node.isNumber()) {
            throw new CaseFormatException(path, "expected a number, got " + describe(node));
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value)) {
            // Only an out-of-range literal gets here (the parser rejects NaN/Infinity tokens).
            throw new CaseFormatException(path, "number out of range: it overflows to " + value + " as a double; every number must be finite");
        }
        return value;
    }

    private static String text(JsonNode node, String path) {
        if (!node.isTextual()) {
            throw new CaseFormatException(path, "expected a string, got " + describe(node));
        }
        return node.textValue();
    }

    /** A wrong value as the user wrote it, shortened: {@code "x"}, {@code 3}, {@code null}, {@code an array}. */
    static String describe(JsonNode node) {
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        return excerpt(node.toString());
    }

    private static String excerpt(String s) {
        return s.length() <= EXCERPT_CHARS ? s : s.substring(0, EXCERPT_CHARS) + "…";
    }

    private static String quotedList(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? "" : i == names.size() - 1 ? " and " : ", ").append('"').append(names.get(i)).append('"');
        }
        return sb.toString();
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String index(String path, int i) {
        return path + "[" + i + "]";
    }

    /**
     * The path of the first target the loss refuses on its own, {@code loss.targets[s]}, or
     * {@code loss.targets} if each passes alone (a constraint over the batch).
     */
    private static String invalidTarget(Loss loss, DenseMatrix y) {
        DenseMatrix one = DenseMatrix.zeros(y.rows(), 1);
        for (int s = 0; s < y.cols(); s++) {
            one.column(0).setFrom(y.column(s));
            try {
                loss.validateTargets(y.rows(), one);
            } catch (IllegalArgumentException | KronogradException e) {
                return index("loss.targets", s);
            }
        }
        return "loss.targets";
    }

    /** Messages of CaseFormatException are one line: continuation lines are joined with "; ". */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        // "problems:\n  a\n  b" → "problems: a; b"
        return message.strip().replaceAll(":\\s*\\R\\s*", ": ").replaceAll("\\s*\\R\\s*", "; ");
    }
}
