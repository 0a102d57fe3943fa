package dev.kronograd.sdk;

import dev.kronograd.sdk.nn.Gradient;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's "Compute a gradient" example, as written there, with the numbers it prints. */
class ReadmeExampleTest {

    @Test
    void readmeExampleGivesThePrintedNumbers() {
        Kronograd k = Kronograd.builder().backend("ejml").build();
        Network net = k.network()
                .layer(DenseMatrix.ofRows(new double[][] {{0.5, -1.0}, {2.0, 0.25}}), DenseVector.of(0.1, -0.2), "tanh")
                .build();
        DenseMatrix x = DenseMatrix.ofRows(new double[][] {{1.0}, {2.0}});   // n×B, one sample per column
        DenseMatrix y = DenseMatrix.ofRows(new double[][] {{0.0}, {1.0}});
        Gradient g = net.gradient(x, k.loss("squared-error"), y);

        // by hand: z = W x + b, f = tanh z, δ = (1 − f²)(f − y), dW = δ xᵀ, db = δ
        double[] f = {Math.tanh(0.5 - 2.0 + 0.1), Math.tanh(2.0 + 0.5 - 0.2)};
        double[] delta = {(1 - f[0] * f[0]) * f[0], (1 - f[1] * f[1]) * (f[1] - 1)};
        assertEquals(0.3921218472080277, g.loss(), 1e-15);
        assertEquals(0.5 * (f[0] * f[0] + (f[1] - 1) * (f[1] - 1)), g.loss(), 1e-15);
        assertEquals(-0.19137093586123144, g.weights(0).get(0, 0), 1e-15);
        assertEquals(delta[0] * 2.0, g.weights(0).get(0, 1), 1e-15);
        assertEquals(delta[1] * 1.0, g.weights(0).get(1, 0), 1e-15);
        assertEquals(delta[1], g.bias(0).get(1), 1e-15);
    }
}
