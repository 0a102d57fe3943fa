package dev.kronograd.sdk.loss;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.testing.NaiveDense;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each loss's gradient and Hessian-vector product against central differences; stability at extreme logits. */
class LossTest {
    /** The precision of the decimal references: 60 significant digits. */
    private static final MathContext DECIMAL = new MathContext(60);

    private final Random rnd = new Random(8);

    private DenseMatrix probabilities(int m, int batch) {
        DenseMatrix y = DenseMatrix.zeros(m, batch);
        for (int s = 0; s < batch; s++) {
            double sum = 0;
            for (int i = 0; i < m; i++) {
                y.set(i, s, rnd.nextDouble());
                sum += y.get(i, s);
            }
            for (int i = 0; i < m; i++) {
                y.set(i, s, y.get(i, s) / sum);
            }
        }
        return y;
    }

    @Test
    void gradientsAndHessianVectorProductsMatchCentralDifferences() {
        for (Loss loss : new Loss[] {new SquaredError(), new SoftmaxCrossEntropy()}) {
            int m = 4;
            int batch = 3;
            DenseMatrix f = DenseMatrix.ofRows(NaiveDense.random(rnd, m, batch));
            DenseMatrix y = loss instanceof SoftmaxCrossEntropy ? probabilities(m, batch) : DenseMatrix.ofRows(NaiveDense.random(rnd, m, batch));
            DenseMatrix g = DenseMatrix.zeros(m, batch);
            double value = loss.valueAndGradient(f, y, g);
            assertEquals(loss.value(f, y), value, 1e-14 * Math.abs(value));
            DenseMatrix v = DenseMatrix.ofRows(NaiveDense.random(rnd, m, batch));
            DenseMatrix hv = DenseMatrix.zeros(m, batch);
            loss.hessianVectorProduct(f, y, v, hv);
            double h = 1e-5;
            DenseMatrix gp = DenseMatrix.zeros(m, batch);
            DenseMatrix gm = DenseMatrix.zeros(m, batch);
            DenseMatrix fp = f.copy();
            DenseMatrix fm = f.copy();
            for (int j = 0; j < batch; j++) {
                for (int i = 0; i < m; i++) {
                    fp.set(i, j, f.get(i, j) + h * v.get(i, j));
                    fm.set(i, j, f.get(i, j) - h * v.get(i, j));
                    DenseMatrix up = f.copy();
                    up.set(i, j, f.get(i, j) + h);
                    DenseMatrix down = f.copy();
                    down.set(i, j, f.get(i, j) - h);
                    double fd = (loss.value(up, y) - loss.value(down, y)) / (2 * h);
                    assertEquals(fd, g.get(i, j), 1e-8, loss.name() + " gradient (" + i + "," + j + ")");
                }
            }
            loss.valueAndGradient(fp, y, gp);
            loss.valueAndGradient(fm, y, gm);
            for (int j = 0; j < batch; j++) {
                for (int i = 0; i < m; i++) {
                    assertEquals((gp.get(i, j) - gm.get(i, j)) / (2 * h), hv.get(i, j), 1e-8, loss.name() + " Hv (" + i + "," + j + ")");
                }
            }
        }
    }

    @Test
    void softmaxCrossEntropyIsStableForHugeLogits() {
        // Sample 0: logits (1000, −1000, 0); sample 1: (700, −700, 0); both with target e₁. Unshifted, exp(1000) and
        // exp(700)·3 would overflow. The references come from the definition in 60-digit decimal arithmetic:
        // p = softmax(f), ℓ = logsumexp(f) − f₁, ∇ℓ = p − y, rounded to the nearest double once at the end.
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        double[][] logits = {{1000, -1000, 0}, {700, -700, 0}};
        DenseMatrix f = DenseMatrix.zeros(3, 2);
        DenseMatrix y = DenseMatrix.zeros(3, 2);
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < 3; i++) {
                f.set(i, s, logits[s][i]);
            }
            y.set(1, s, 1);
        }
        DenseMatrix g = DenseMatrix.zeros(3, 2);
        double value = ce.valueAndGradient(f, y, g);
        double[] expectedLoss = new double[2];
        for (int s = 0; s < 2; s++) {
            BigDecimal[] p = softmax(logits[s]);
            expectedLoss[s] = logSumExp(logits[s]).subtract(BigDecimal.valueOf(logits[s][1])).doubleValue();
            for (int i = 0; i < 3; i++) {
                double expected = p[i].subtract(BigDecimal.valueOf(y.get(i, s))).doubleValue();
                // ∇ℓ_i = exp(f_i − lse) − y_i: one exp and one subtraction from the correctly rounded value, ≤ 2 ulps.
                assertEquals(expected, g.get(i, s), 2 * Math.ulp(expected), "gradient (" + i + "," + s + ")");
            }
        }
        // ℓ = 2000 and 1400: lse − f₁ with lse = max + log(1 + e^(−1000) + …) where the log term is far below half an ulp.
        assertEquals(2000.0, expectedLoss[0], 0.0);
        assertEquals(1400.0, expectedLoss[1], 0.0);
        assertEquals(expectedLoss[0] + expectedLoss[1], value, 0.0);
        // Sample 0's third probability is e^(−1000)/(1 + …) ≈ 5e-435, below half the smallest subnormal: exactly +0.
        assertEquals(0.0, softmax(logits[0])[2].doubleValue(), 0.0);
        assertEquals(0.0, g.get(2, 0), 0.0);
        // Sample 1's is e^(−700) ≈ 9.86e-305, a normal double the loss must not lose.
        assertEquals(9.86e-305, g.get(2, 1), 0.01e-305);
    }

    /** e^x for |x| ≤ 2000 to ~55 digits: e^x = (e^(x/2¹²))^(2¹²), the inner exponential by its Taylor series. */
    private static BigDecimal exp(double x) {
        int halvings = 12;
        BigDecimal r = new BigDecimal(x).divide(BigDecimal.valueOf(1L << halvings), DECIMAL);
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal term = BigDecimal.ONE;
        for (int k = 1; k < 60; k++) {
            term = term.multiply(r, DECIMAL).divide(BigDecimal.valueOf(k), DECIMAL);
            sum = sum.add(term, DECIMAL);
        }
        for (int k = 0; k < halvings; k++) {
            sum = sum.multiply(sum, DECIMAL);
        }
        return sum;
    }

    private static BigDecimal[] softmax(double[] f) {
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal[] e = new BigDecimal[f.length];
        for (int i = 0; i < f.length; i++) {
            e[i] = exp(f[i]);
            total = total.add(e[i], DECIMAL);
        }
        for (int i = 0; i < f.length; i++) {
            e[i] = e[i].divide(total, DECIMAL);
        }
        return e;
    }

    /** log Σ e^(f_i) = max + log Σ e^(f_i − max), the last log from its series log(1 + t) with t ≤ 2e^(−700). */
    private static BigDecimal logSumExp(double[] f) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : f) {
            max = Math.max(max, v);
        }
        BigDecimal t = BigDecimal.ZERO;
        for (double v : f) {
            if (v != max) {
                t = t.add(exp(v - max), DECIMAL);
            }
        }
        // log(1 + t) = t − t²/2 + …; with t < 1e-300 the first term is exact to far beyond 60 digits.
        return BigDecimal.valueOf(max).add(t, DECIMAL);
    }

    @Test
    void registryFindsBuiltInsAndListsThemForUnknownNames() {
        LossRegistry registry = LossRegistry.load(getClass().getClassLoader());
        assertTrue(registry.get("squared-error") instanceof SquaredError);
        UnknownLossException e = assertThrows(UnknownLossException.class, () -> registry.get("hinge"));
        assertTrue(e.getMessage().contains("softmax-cross-entropy, squared-error"), e.getMessage());
    }
}
