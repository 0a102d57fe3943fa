package dev.kronograd.service.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.nn.Gradient;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CaseWriter}: the gradient result has the documented layout (row-major weights, one
 * array per sample) and every double survives writing and reading bit for bit; a case written
 * out reads back to the same case.
 */
class CaseWriterTest {
    /** Doubles whose shortest decimal form is long or unusual. */
    private static final double[] AWKWARD = {0.1, 1.0 / 3, Math.PI, -0.0, 1e-310, Double.MIN_VALUE, Double.MAX_VALUE / 4,
            Math.nextUp(1.0), -Math.nextDown(2.0), 123456789.123456789, 5e-324 * 3, 0.1 + 0.2};

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Kronograd sdk;

    @BeforeAll
    static void sdk() {
        sdk = Kronograd.builder().backend("ejml").build();
    }

    /** A 2-layer network with awkward numbers in every parameter, input and target. */
    private static GradientCase awkwardCase() {
        Random rnd = new Random(42);
        DenseMatrix w1 = DenseMatrix.zeros(3, 4);
        DenseMatrix w2 = DenseMatrix.zeros(2, 3);
        DenseVector b1 = DenseVector.zeros(3);
        DenseVector b2 = DenseVector.zeros(2);
        DenseMatrix x = DenseMatrix.zeros(4, 3);
        DenseMatrix y = DenseMatrix.zeros(2, 3);
        int k = 0;
        for (DenseMatrix m : new DenseMatrix[] {w1, w2, x, y}) {
            for (int j = 0; j < m.cols(); j++) {
                for (int i = 0; i < m.rows(); i++) {
                    double base = AWKWARD[k++ % AWKWARD.length];
                    // Keep weights and inputs moderate so the forward pass stays finite.
                    m.set(i, j, Math.abs(base) > 1e6 ? rnd.nextGaussian() : base * (rnd.nextBoolean() ? 1 : -1));
                }
            }
        }
        for (DenseVector b : new DenseVector[] {b1, b2}) {
            for (int i = 0; i < b.length(); i++) {
                b.set(i, AWKWARD[k++ % AWKWARD.length] / 7);
            }
        }
        Network net = sdk.network().layer(w1, b1, "tanh").layer(w2, b2, "identity").build();
        return new GradientCase(net, x, sdk.loss("squared-error"), y);
    }

    @Test
    void gradientResultIsRowMajorPerSampleAndExactAfterARoundTrip() throws IOException {
        GradientCase c = awkwardCase();
        Gradient g = c.gradient();
        for (CaseWriter writer : new CaseWriter[] {CaseWriter.pretty(), CaseWriter.compact()}) {
            StringWriter text = new StringWriter();
            writer.write(CaseWriter.gradientResult(c.network(), g), text);
            assertTrue(text.toString().endsWith("}\n"), "ends with a line feed");
            JsonNode back = JSON.readTree(text.toString());

            assertBits(g.loss(), back.get("loss").doubleValue(), "loss");
            JsonNode outputs = back.get("outputs");
            assertEquals(c.batchSize(), outputs.size(), "one output array per sample");
            for (int s = 0; s < c.batchSize(); s++) {
                assertEquals(c.network().outputs(), outputs.get(s).size());
                for (int i = 0; i < c.network().outputs(); i++) {
                    assertBits(g.outputs().get(i, s), outputs.get(s).get(i).doubleValue(), "outputs[" + s + "][" + i + "]");
                }
            }
            JsonNode gradients = back.get("gradients");
            assertEquals(2, gradients.size(), "one entry per layer");
            for (int k = 0; k < 2; k++) {
                DenseMatrix dw = g.weights(k);
                JsonNode rows = gradients.get(k).get("weights");
                assertEquals(dw.rows(), rows.size(), "m rows");
                for (int i = 0; i < dw.rows(); i++) {
                    assertEquals(dw.cols(), rows.get(i).size(), "n numbers per row");
                    for (int j = 0; j < dw.cols(); j++) {
                        assertBits(dw.get(i, j), rows.get(i).get(j).doubleValue(), "gradients[" + k + "].weights[" + i + "][" + j + "]");
                    }
                }
                JsonNode bias = gradients.get(k).get("bias");
                assertEquals(g.bias(k).length(), bias.size());
                for (int i = 0; i < bias.size(); i++) {
                    assertBits(g.bias(k).get(i), bias.get(i).doubleValue(), "gradients[" + k + "].bias[" + i + "]");
                }
            }
        }
    }

    @Test
    void aWrittenCaseReadsBackToTheSameCase() {
        GradientCase original = awkwardCase();
        String text = CaseWriter.pretty().toString(CaseWriter.gradientCase(original));
        GradientCase back = CaseReader.using(sdk).read(text);

        assertEquals(original.network().layers().size(), back.network().layers().size());
        for (int k = 0; k < original.network().layers().size(); k++) {
            assertEquals(original.network().layer(k).activation().name(), back.network().layer(k).activation().name());
        }
        DenseVector theta = original.network().parameters();
        DenseVector thetaBack = back.network().parameters();
        assertEquals(theta.length(), thetaBack.length());
        for (int p = 0; p < theta.length(); p++) {
            assertBits(theta.get(p), thetaBack.get(p), "θ[" + p + "]");
        }
        assertMatrixBits(original.inputs(), back.inputs(), "inputs");
        assertMatrixBits(original.targets(), back.targets(), "targets");
        assertEquals(original.loss().name(), back.loss().name());
        assertBits(original.gradient().loss(), back.gradient().loss(), "the loss recomputed from the read case");
    }

    @Test
    void everyAwkwardDoubleSurvivesExactly() throws IOException {
        DenseMatrix m = DenseMatrix.ofRows(AWKWARD);
        JsonNode back = JSON.readTree(CaseWriter.compact().toString(CaseWriter.rows(m)));
        for (int j = 0; j < AWKWARD.length; j++) {
            assertBits(AWKWARD[j], back.get(0).get(j).doubleValue(), "value " + AWKWARD[j]);
        }
    }

    @Test
    void nonFiniteValuesAreWrittenAsStringsSoTheOutputStaysValidJson() throws IOException {
        String text = CaseWriter.compact().toString(CaseWriter.numbers(
                DenseVector.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.5)));
        assertEquals("[\"NaN\",\"Infinity\",\"-Infinity\",1.5]", text);
        assertEquals(4, JSON.readTree(text).size());
    }

    @Test
    void compactIsOneLineAndPrettyIsIndentedWithTheSameContent() throws IOException {
        GradientCase c = awkwardCase();
        JsonNode result = CaseWriter.gradientResult(c.network(), c.gradient());
        String compact = CaseWriter.compact().toString(result);
        String pretty = CaseWriter.pretty().toString(result);
        assertFalse(compact.contains("\n"));
        assertTrue(pretty.startsWith("{\n  \"loss\": "), pretty);
        assertEquals(JSON.readTree(compact), JSON.readTree(pretty));
    }

    private static void assertMatrixBits(DenseMatrix expected, DenseMatrix actual, String what) {
        assertEquals(expected.shape(), actual.shape(), what + " shape");
        for (int j = 0; j < expected.cols(); j++) {
            for (int i = 0; i < expected.rows(); i++) {
                assertBits(expected.get(i, j), actual.get(i, j), what + "(" + i + ", " + j + ")");
            }
        }
    }

    private static void assertBits(double expected, double actual, String what) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                what + ": expected " + expected + " but read back " + actual);
    }
}
