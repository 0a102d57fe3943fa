package dev.kronograd.service.io;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.nn.DenseLayer;
import dev.kronograd.sdk.nn.Network;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CaseReader}: a valid case becomes the right network, batch and targets; every kind of
 * invalid case fails with a {@link CaseFormatException} naming the JSON field and saying what is
 * wrong, in one line.
 */
class CaseReaderTest {
    /** A valid case: one 2×3 tanh layer, two samples; the error cases below vary one part of it. */
    private static final String LAYERS = "[{'weights': [[1, 2, 3], [4, 5, 6]], 'bias': [0.1, 0.2], 'activation': 'tanh'}]";
    private static final String INPUTS = "[[1, 0, -1], [0.5, 0.5, 0.5]]";
    private static final String LOSS = "{'type': 'squared-error', 'targets': [[0, 1], [1, 0]]}";

    private static CaseReader reader;

    @BeforeAll
    static void sdk() {
        reader = CaseReader.using(Kronograd.builder().backend("ejml").build());
    }

    /** JSON written with single quotes, for readability. */
    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static String doc(String layers, String inputs, String loss) {
        return json("{'layers': " + layers + ", 'inputs': " + inputs + ", 'loss': " + loss + "}");
    }

    @Test
    void readsAValidCaseWithRowMajorWeightsAndOneColumnPerSample() {
        GradientCase c = reader.read(doc(LAYERS, INPUTS, LOSS));
        Network net = c.network();
        assertEquals(1, net.layers().size());
        DenseLayer layer = net.layer(0);
        assertEquals(2, layer.outputs());
        assertEquals(3, layer.inputs());
        assertEquals("tanh", layer.activation().name());
        double[][] w = {{1, 2, 3}, {4, 5, 6}};
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(w[i][j], layer.weights().get(i, j), "W[" + i + "][" + j + "]");
            }
        }
        assertEquals(0.1, layer.bias().get(0));
        assertEquals(0.2, layer.bias().get(1));
        assertEquals(2, c.batchSize());
        assertEquals(3, c.inputs().rows());
        assertEquals(-1.0, c.inputs().get(2, 0), "x of sample 0, component 2");
        assertEquals(0.5, c.inputs().get(1, 1), "x of sample 1, component 1");
        assertEquals("squared-error", c.loss().name());
        assertEquals(2, c.targets().rows());
        assertEquals(1.0, c.targets().get(1, 0), "y of sample 0, component 1");
        assertEquals(1.0, c.targets().get(0, 1), "y of sample 1, component 0");
    }

    @Test
    void chainsLayersAndReadsFromStreamsReadersAndFiles(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        String text = doc("[{'weights': [[1, 2], [3, 4], [5, 6]], 'bias': [0, 0, 0], 'activation': 'relu'},"
                        + " {'weights': [[1, -1, 1]], 'bias': [0.5], 'activation': 'identity'}]",
                "[[1, 2]]", "{'type': 'squared-error', 'targets': [[3]]}");
        Path file = dir.resolve("case.json");
        Files.writeString(file, text);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        InputStream stream = new ByteArrayInputStream(bytes);
        for (GradientCase c : new GradientCase[] {reader.read(text), reader.read(new StringReader(text)), reader.read(stream),
                reader.read(file)}) {
            assertEquals(2, c.network().layers().size());
            assertEquals(2, c.network().inputs());
            assertEquals(1, c.network().outputs());
            assertEquals(3, c.network().layer(1).inputs());
            // f = [1, -1, 1]·relu([5, 11, 17]) + 0.5 = 11.5
            assertEquals(11.5, c.network().predict(c.inputs()).get(0, 0), 1e-12);
        }
    }

    static Stream<Arguments> invalidCases() {
        String twoLayers = "[{'weights': [[1, 2], [3, 4], [5, 6], [7, 8]], 'bias': [0, 0, 0, 0], 'activation': 'tanh'},"
                + " {'weights': [[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3], [1, 2, 3, 4]], 'bias': [0, 0, 0, 0], 'activation': 'tanh'}]";
        return Stream.of(
                // the document
                Arguments.of("empty input", "  ", "", "the input is empty; expected a JSON object with \"layers\", \"inputs\" and \"loss\""),
                Arguments.of("not an object", "[1, 2]", "", "expected a JSON object with \"layers\", \"inputs\" and \"loss\", got an array"),
                Arguments.of("unknown top-level field", doc(LAYERS, INPUTS, LOSS).replace("\"inputs\"", "\"input\""),
                        "input", "unknown field; a case has \"layers\", \"inputs\" and \"loss\""),
                Arguments.of("missing layers", json("{'inputs': " + INPUTS + ", 'loss': " + LOSS + "}"),
                        "layers", "missing; a case needs \"layers\", \"inputs\" and \"loss\""),
                Arguments.of("missing inputs", json("{'layers': " + LAYERS + ", 'loss': " + LOSS + "}"),
                        "inputs", "missing; a case needs \"layers\", \"inputs\" and \"loss\""),
                Arguments.of("missing loss", json("{'layers': " + LAYERS + ", 'inputs': " + INPUTS + "}"),
                        "loss", "missing; a case needs \"layers\", \"inputs\" and \"loss\""),
                // layers
                Arguments.of("empty layers", doc("[]", INPUTS, LOSS), "layers", "is empty; a case needs at least one layer"),
                Arguments.of("layers not a list", doc("{}", INPUTS, LOSS), "layers", "expected a list of layers, got an object"),
                Arguments.of("layer not an object", doc("[3]", INPUTS, LOSS), "layers[0]",
                        "expected a layer object with \"weights\", \"bias\" and \"activation\", got 3"),
                Arguments.of("misspelt layer field", doc(LAYERS.replace("weights", "weigths"), INPUTS, LOSS), "layers[0].weigths",
                        "unknown field; a layer has \"weights\", \"bias\" and \"activation\""),
                Arguments.of("missing weights", doc("[{'bias': [0.1, 0.2], 'activation': 'tanh'}]", INPUTS, LOSS), "layers[0].weights",
                        "missing; a layer needs \"weights\", \"bias\" and \"activation\""),
                Arguments.of("missing bias", doc("[{'weights': [[1, 2, 3], [4, 5, 6]], 'activation': 'tanh'}]", INPUTS, LOSS),
                        "layers[0].bias", "missing; a layer needs \"weights\", \"bias\" and \"activation\""),
                Arguments.of("missing activation", doc("[{'weights': [[1, 2, 3], [4, 5, 6]], 'bias': [0.1, 0.2]}]", INPUTS, LOSS),
                        "layers[0].activation", "missing; a layer needs \"weights\", \"bias\" and \"activation\""),
                Arguments.of("no rows", doc("[{'weights': [], 'bias': [], 'activation': 'tanh'}]", INPUTS, LOSS), "layers[0].weights",
                        "is empty; a layer needs at least one row"),
                Arguments.of("empty row", doc("[{'weights': [[]], 'bias': [0], 'activation': 'tanh'}]", INPUTS, LOSS),
                        "layers[0].weights[0]", "row is empty; a layer needs at least one input"),
                Arguments.of("weights not rows", doc("[{'weights': [1, 2], 'bias': [0], 'activation': 'tanh'}]", INPUTS, LOSS),
                        "layers[0].weights[0]", "expected an array of numbers, got 1"),
                Arguments.of("ragged rows", doc(twoLayers, "[[1, 2]]", "{'type': 'squared-error', 'targets': [[0, 0, 0, 0]]}"),
                        "layers[1].weights[2]", "row has 3 numbers but row 0 has 4"),
                Arguments.of("layers do not chain", doc("[{'weights': [[1, 2], [3, 4], [5, 6], [7, 8]], 'bias': [0, 0, 0, 0], 'activation': 'tanh'},"
                                + " {'weights': [[1, 2, 3]], 'bias': [0], 'activation': 'identity'}]", "[[1, 2]]",
                                "{'type': 'squared-error', 'targets': [[0]]}"),
                        "layers[1].weights", "rows have 3 numbers but layer 0 has 4 outputs; each row needs one number per output of the previous layer"),
                Arguments.of("bias too long", doc(LAYERS.replace("[0.1, 0.2]", "[0.1, 0.2, 0.3]"), INPUTS, LOSS), "layers[0].bias",
                        "expected 2 numbers (\"weights\" has 2 rows), got 3"),
                Arguments.of("string in bias", doc(LAYERS.replace("[0.1, 0.2]", "[0.1, 'x']"), INPUTS, LOSS), "layers[0].bias[1]",
                        "expected a number, got \"x\""),
                Arguments.of("null bias", doc(LAYERS.replace("[0.1, 0.2]", "null"), INPUTS, LOSS), "layers[0].bias",
                        "expected an array of numbers, got null"),
                Arguments.of("boolean weight", doc(LAYERS.replace("[4, 5, 6]", "[4, true, 6]"), INPUTS, LOSS), "layers[0].weights[1][1]",
                        "expected a number, got true"),
                Arguments.of("long string is shortened", doc(LAYERS.replace("[4, 5, 6]", "[4, '" + "y".repeat(100) + "', 6]"), INPUTS, LOSS),
                        "layers[0].weights[1][1]", "expected a number, got \"" + "y".repeat(39) + "…"),
                Arguments.of("activation not a string", doc(LAYERS.replace("'tanh'", "3"), INPUTS, LOSS), "layers[0].activation",
                        "expected a string, got 3"),
                Arguments.of("number overflows", doc(LAYERS.replace("[4, 5, 6]", "[4, 1e999, 6]"), INPUTS, LOSS), "layers[0].weights[1][1]",
                        "number out of range: it overflows to Infinity as a double; every number must be finite"),
                Arguments.of("integer overflows", doc(LAYERS, INPUTS.replace("[1, 0, -1]", "[1, -1" + "0".repeat(400) + ", -1]"), LOSS),
                        "inputs[0][1]", "number out of range: it overflows to -Infinity as a double; every number must be finite"),
                // inputs
                Arguments.of("empty inputs", doc(LAYERS, "[]", LOSS), "inputs", "is empty; a case needs at least one sample"),
                Arguments.of("input too long", doc(LAYERS, "[[1, 0, -1, 2], [0.5, 0.5, 0.5]]", LOSS), "inputs[0]",
                        "expected 3 numbers (layer 0 has 3 inputs), got 4"),
                Arguments.of("input too short", doc(LAYERS, "[[1, 0, -1], [0.5]]", LOSS), "inputs[1]",
                        "expected 3 numbers (layer 0 has 3 inputs), got 1"),
                Arguments.of("input not a list", doc(LAYERS, "[[1, 0, -1], 7]", LOSS), "inputs[1]", "expected an array of numbers, got 7"),
                // loss
                Arguments.of("loss not an object", doc(LAYERS, INPUTS, "'squared-error'"), "loss",
                        "expected an object with \"type\" and \"targets\", got \"squared-error\""),
                Arguments.of("unknown loss field", doc(LAYERS, INPUTS, "{'type': 'squared-error', 'targets': [[0, 1], [1, 0]], 'weight': 2}"),
                        "loss.weight", "unknown field; a loss has \"type\" and \"targets\""),
                Arguments.of("missing loss type", doc(LAYERS, INPUTS, "{'targets': [[0, 1], [1, 0]]}"), "loss.type",
                        "missing; a loss needs \"type\" and \"targets\""),
                Arguments.of("missing targets", doc(LAYERS, INPUTS, "{'type': 'squared-error'}"), "loss.targets",
                        "missing; a loss needs \"type\" and \"targets\""),
                Arguments.of("unknown loss", doc(LAYERS, INPUTS, "{'type': 'hinge', 'targets': [[0, 1], [1, 0]]}"), "loss.type",
                        "unknown loss 'hinge'; known losses: sigmoid-cross-entropy, softmax-cross-entropy, squared-error"),
                Arguments.of("loss type not a string", doc(LAYERS, INPUTS, "{'type': 5, 'targets': [[0, 1], [1, 0]]}"), "loss.type",
                        "expected a string, got 5"),
                Arguments.of("too few targets", doc(LAYERS, INPUTS, "{'type': 'squared-error', 'targets': [[0, 1]]}"), "loss.targets",
                        "expected 2 targets (one per input), got 1"),
                Arguments.of("targets not a list", doc(LAYERS, INPUTS, "{'type': 'squared-error', 'targets': 1}"), "loss.targets",
                        "expected a list of targets (one array of numbers per sample), got 1"),
                Arguments.of("target too long", doc(LAYERS, INPUTS, "{'type': 'squared-error', 'targets': [[0, 1], [1, 0, 0]]}"),
                        "loss.targets[1]", "expected 2 numbers (the last layer, layer 0, has 2 outputs), got 3"),
                Arguments.of("target is no probability vector", doc(LAYERS, INPUTS, "{'type': 'softmax-cross-entropy', 'targets': [[0, 1], [0.5, 0.6]]}"),
                        "loss.targets[1]", "softmax-cross-entropy: target of sample 1 sums to 1.1; targets must be probability vectors summing to 1"),
                Arguments.of("negative softmax target component", doc(LAYERS, INPUTS, "{'type': 'softmax-cross-entropy', 'targets': [[-0.5, 1.5], [0, 1]]}"),
                        "loss.targets[0]", "softmax-cross-entropy: target of sample 0 has component 0 = -0.5; targets must be probability "
                                + "vectors (non-negative, summing to 1)"),
                Arguments.of("sigmoid target out of [0, 1]", doc(LAYERS, INPUTS, "{'type': 'sigmoid-cross-entropy', 'targets': [[0, 1], [1, 2]]}"),
                        "loss.targets[1]", "sigmoid-cross-entropy: target of sample 1 has component 1 = 2.0; each component is a probability "
                                + "in [0, 1] (a label 0 or 1, or a soft label)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCases")
    void rejectsInvalidCasesNamingTheField(String what, String json, String field, String detail) {
        CaseFormatException e = assertThrows(CaseFormatException.class, () -> reader.read(json));
        assertEquals(field, e.field(), "field");
        assertEquals(detail, e.detail(), "detail");
        assertEquals(field.isEmpty() ? detail : field + ": " + detail, e.getMessage());
    }

    @Test
    void unknownActivationNamesTheFieldAndListsTheKnownOnes() {
        CaseFormatException e = assertThrows(CaseFormatException.class,
                () -> reader.read(doc(LAYERS.replace("tanh", "foo"), INPUTS, LOSS)));
        assertEquals("layers[0].activation", e.field());
        assertTrue(e.getMessage().startsWith("layers[0].activation: unknown activation 'foo'; available: "), e.getMessage());
        for (String known : new String[] {"identity", "relu", "sigmoid", "tanh"}) {
            assertTrue(e.detail().contains(known), "lists " + known + ": " + e.detail());
        }
        assertOneLine(e);
        assertSame(dev.kronograd.activations.UnknownActivationException.class, e.getCause().getClass());
    }

    static Stream<Arguments> invalidJson() {
        String valid = doc(LAYERS, INPUTS, LOSS);
        return Stream.of(
                Arguments.of("NaN", doc(LAYERS.replace("[0.1, 0.2]", "[0.1, NaN]"), INPUTS, LOSS), "layers[0].bias[1]",
                        "NaN and Infinity are not JSON numbers; every number must be finite (line 1, column "),
                Arguments.of("Infinity", doc(LAYERS, INPUTS.replace("[1, 0, -1]", "[1, Infinity, -1]"), LOSS), "inputs[0][1]",
                        "NaN and Infinity are not JSON numbers; every number must be finite (line 1, column "),
                Arguments.of("-Infinity", doc(LAYERS, INPUTS.replace("[1, 0, -1]", "[1, 0, -Infinity]"), LOSS), "inputs[0][2]",
                        "NaN and Infinity are not JSON numbers; every number must be finite (line 1, column "),
                Arguments.of("duplicate key", json("{'layers': " + LAYERS + ", 'inputs': " + INPUTS + ", 'inputs': " + INPUTS
                        + ", 'loss': " + LOSS + "}"), "inputs", "duplicate key 'inputs'; each key may appear once (line 1, column "),
                Arguments.of("duplicate key in a layer", doc(LAYERS.replace("'bias'", "'activation': 'relu', 'bias'"), INPUTS, LOSS),
                        "layers[0].activation", "duplicate key 'activation'; each key may appear once (line 1, column "),
                Arguments.of("unclosed array", valid.substring(0, valid.length() - 10), "loss.targets[1]",
                        "invalid JSON: Unexpected end-of-input"),
                Arguments.of("bad token", doc(LAYERS.replace("[4, 5, 6]", "[4, five, 6]"), INPUTS, LOSS), "layers[0].weights[1][1]",
                        "invalid JSON: Unrecognized token 'five'"),
                Arguments.of("trailing garbage", valid + " x", "", "unexpected content after the end of the JSON value (line 1, column "),
                Arguments.of("a second object", valid + "\n{}", "", "unexpected content after the end of the JSON value (line 2, column 1)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidJson")
    void rejectsInvalidJsonWithFieldAndPosition(String what, String json, String field, String detailStart) {
        CaseFormatException e = assertThrows(CaseFormatException.class, () -> reader.read(json));
        assertEquals(field, e.field(), "field of " + e.getMessage());
        assertTrue(e.detail().startsWith(detailStart), "detail: " + e.detail());
        assertOneLine(e);
    }

    @Test
    void everyErrorMessageIsOneLine() {
        invalidCases().forEach(a -> assertOneLine(assertThrows(CaseFormatException.class, () -> reader.read((String) a.get()[1]))));
    }

    private static void assertOneLine(CaseFormatException e) {
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), "one line: " + e.getMessage());
    }
}
