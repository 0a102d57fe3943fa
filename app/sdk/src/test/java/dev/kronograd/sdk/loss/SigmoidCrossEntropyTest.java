package dev.kronograd.sdk.loss;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.nn.GradientCheck;
import dev.kronograd.sdk.nn.Network;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sigmoid-cross-entropy}: value against a 60-digit reference, gradient and Hessian against
 * central differences, stability at extreme logits, target validation, and use through a network.
 */
class SigmoidCrossEntropyTest {
    private static final SigmoidCrossEntropy LOSS = new SigmoidCrossEntropy();
    /** Relative accuracy of the closed forms (a few ulps of the summands). */
    private static final double CLOSED_FORM = 1e-14;
    /** Central differences with h = 1e-5: truncation O(h²)·|f'''| plus rounding O(ε/h) ≈ 1e-10. */
    private static final double FINITE_DIFFERENCE = 1e-8;
    private static final MathContext DIGITS = new MathContext(60);

    @Test
    void valueEqualsAHighPrecisionReference() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            double z = (rnd.nextDouble() - 0.5) * 80;
            double t = trial % 3 == 0 ? rnd.nextDouble() : trial % 3 - 1;
            double expected = reference(z, t);
            assertEquals(expected, SigmoidCrossEntropy.elementLoss(z, t), CLOSED_FORM * Math.max(Math.abs(expected), 1e-300),
                    "z=" + z + ", y=" + t);
        }
    }

    @Test
    void extremeLogitsNeitherOverflowNorCancel() {
        // Right label, huge margin: the loss is e^{-|z|} (≈ 9.86e-305 at 700), not 0 and not NaN.
        assertEquals(Math.exp(-700), SigmoidCrossEntropy.elementLoss(700, 1), 1e-15 * Math.exp(-700));
        assertEquals(Math.exp(-700), SigmoidCrossEntropy.elementLoss(-700, 0), 1e-15 * Math.exp(-700));
        // Wrong label: the loss is the margin itself.
        assertEquals(700, SigmoidCrossEntropy.elementLoss(-700, 1), 0);
        assertEquals(700, SigmoidCrossEntropy.elementLoss(700, 0), 0);
        assertEquals(1e300, SigmoidCrossEntropy.elementLoss(1e300, 0), 0);
        assertEquals(0.5 * 1e300, SigmoidCrossEntropy.elementLoss(1e300, 0.5), 1e285);
        for (double z : new double[]{-1e308, -745, -700, -36, 36, 700, 745, 1e308}) {
            double s = SigmoidCrossEntropy.sigmoid(z);
            double d = SigmoidCrossEntropy.sigmoidDerivative(z);
            assertTrue(s >= 0 && s <= 1 && d >= 0 && d <= 0.25, "z=" + z + ": σ=" + s + ", σ'=" + d);
        }
        assertEquals(0.5, SigmoidCrossEntropy.sigmoid(0), 0);
        assertEquals(0.25, SigmoidCrossEntropy.sigmoidDerivative(0), 0);
        assertEquals(SigmoidCrossEntropy.sigmoidDerivative(-3.5), SigmoidCrossEntropy.sigmoidDerivative(3.5), 0);
    }

    @Test
    void gradientAndHessianAgreeWithCentralDifferences() {
        Random rnd = new Random(11);
        int m = 4;
        int b = 3;
        DenseMatrix f = random(rnd, m, b, 6);
        DenseMatrix y = DenseMatrix.zeros(m, b);
        for (int j = 0; j < b; j++) {
            for (int i = 0; i < m; i++) {
                y.set(i, j, (i + j) % 3 == 0 ? rnd.nextDouble() : (i + j) % 2);
            }
        }
        DenseMatrix g = DenseMatrix.zeros(m, b);
        double value = LOSS.valueAndGradient(f, y, g);
        assertEquals(LOSS.value(f, y), value, 0);
        double h = 1e-5;
        for (int j = 0; j < b; j++) {
            for (int i = 0; i < m; i++) {
                double z = f.get(i, j);
                f.set(i, j, z + h);
                double plus = LOSS.value(f, y);
                f.set(i, j, z - h);
                double minus = LOSS.value(f, y);
                f.set(i, j, z);
                assertEquals((plus - minus) / (2 * h), g.get(i, j), FINITE_DIFFERENCE, "∂L/∂f[" + i + "][" + j + "]");
            }
        }
        // H v against the difference of gradients along v: (∇L(f + hv) − ∇L(f − hv)) / 2h.
        DenseMatrix v = random(rnd, m, b, 1);
        DenseMatrix hv = DenseMatrix.zeros(m, b);
        LOSS.hessianVectorProduct(f, y, v, hv);
        DenseMatrix gPlus = DenseMatrix.zeros(m, b);
        DenseMatrix gMinus = DenseMatrix.zeros(m, b);
        LOSS.valueAndGradient(shifted(f, v, h), y, gPlus);
        LOSS.valueAndGradient(shifted(f, v, -h), y, gMinus);
        for (int j = 0; j < b; j++) {
            for (int i = 0; i < m; i++) {
                assertEquals((gPlus.get(i, j) - gMinus.get(i, j)) / (2 * h), hv.get(i, j), FINITE_DIFFERENCE, "(H v)[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void gradientAgreesWithCentralDifferencesAtLogitsUpTo700() {
        double[] logits = {-700, -400, -100, -36, 36, 100, 400, 700};
        double[] targets = {0, 0.25, 0.5, 1};
        double h = 1e-3;
        for (double z : logits) {
            for (double t : targets) {
                DenseMatrix f = DenseMatrix.ofRows(new double[][]{{z}});
                DenseMatrix y = DenseMatrix.ofRows(new double[][]{{t}});
                DenseMatrix g = DenseMatrix.zeros(1, 1);
                LOSS.valueAndGradient(f, y, g);
                double plus = SigmoidCrossEntropy.elementLoss(z + h, t);
                double minus = SigmoidCrossEntropy.elementLoss(z - h, t);
                // Here ℓ is linear in z to within e^{-|z|}, so the difference is exact up to the rounding of ℓ(z ± h):
                // |ℓ| ≤ 700 gives an absolute error ≤ 2·700·2⁻⁵³ / 2h ≈ 8e-11.
                assertEquals((plus - minus) / (2 * h), g.get(0, 0), 1e-10, "z=" + z + ", y=" + t);
                assertTrue(Double.isFinite(LOSS.value(f, y)));
            }
        }
    }

    @Test
    void targetsOutsideTheUnitIntervalAreRejectedNamingTheSample() {
        DenseMatrix y = DenseMatrix.ofRows(new double[][]{{0, 1}, {0.5, 1.5}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LOSS.validateTargets(2, y));
        assertTrue(e.getMessage().contains("sample 1") && e.getMessage().contains("component 1") && e.getMessage().contains("[0, 1]"),
                e.getMessage());
        DenseMatrix nan = DenseMatrix.ofRows(new double[][]{{Double.NaN}});
        assertThrows(IllegalArgumentException.class, () -> LOSS.validateTargets(1, nan));
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class, () -> LOSS.validateTargets(3, y));
        assertTrue(rows.getMessage().contains("3 outputs"), rows.getMessage());
        LOSS.validateTargets(2, DenseMatrix.ofRows(new double[][]{{0, 1}, {0.25, 1}}));
    }

    @Test
    void theSdkKnowsItAndANetworksGradientPassesTheCheck() {
        try (Kronograd sdk = Kronograd.builder().backend("ejml").build()) {
            Loss loss = sdk.loss("sigmoid-cross-entropy");
            assertEquals(SigmoidCrossEntropy.class, loss.getClass());
            Random rnd = new Random(3);
            Network net = sdk.network().inputs(3).layer(5, "tanh").layer(2, "identity").build(rnd);
            DenseMatrix x = random(rnd, 3, 6, 1);
            DenseMatrix y = DenseMatrix.zeros(2, 6);
            for (int s = 0; s < 6; s++) {
                y.set(s % 2, s, 1);
            }
            GradientCheck.Report report = GradientCheck.run(net, x, loss, y, 100, 5);
            assertTrue(report.maxRelativeError() < 1e-6, report.toString());
            DenseVector grad = net.gradient(x, loss, y).flat();
            assertTrue(grad.norm() > 0);
        }
    }

    /** softplus(z) − y z = log(1 + e^z) − y z, the definition, in 60-digit arithmetic. */
    private static double reference(double z, double t) {
        BigDecimal softplus = log(BigDecimal.ONE.add(exp(new BigDecimal(z)), DIGITS));
        return softplus.subtract(new BigDecimal(t).multiply(new BigDecimal(z), DIGITS), DIGITS).doubleValue();
    }

    /** e^x = (e^{x/2^12})^{2^12}, the Taylor series on the small argument. */
    private static BigDecimal exp(BigDecimal x) {
        int k = 12;
        BigDecimal small = x.divide(BigDecimal.valueOf(1L << k), DIGITS);
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal term = BigDecimal.ONE;
        for (int n = 1; n < 40; n++) {
            term = term.multiply(small, DIGITS).divide(BigDecimal.valueOf(n), DIGITS);
            sum = sum.add(term, DIGITS);
        }
        for (int i = 0; i < k; i++) {
            sum = sum.multiply(sum, DIGITS);
        }
        return sum;
    }

    /** log x by Halley's iteration y ← y + 2(x − e^y)/(x + e^y), from the double estimate. */
    private static BigDecimal log(BigDecimal x) {
        BigDecimal y = new BigDecimal(Math.log(x.doubleValue()));
        for (int i = 0; i < 4; i++) {
            BigDecimal ey = exp(y);
            y = y.add(BigDecimal.valueOf(2).multiply(x.subtract(ey, DIGITS), DIGITS).divide(x.add(ey, DIGITS), DIGITS), DIGITS);
        }
        return y;
    }

    private static DenseMatrix random(Random rnd, int rows, int cols, double scale) {
        DenseMatrix m = DenseMatrix.zeros(rows, cols);
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                m.set(i, j, scale * rnd.nextGaussian());
            }
        }
        return m;
    }

    private static DenseMatrix shifted(DenseMatrix f, DenseMatrix v, double h) {
        DenseMatrix out = DenseMatrix.zeros(f.rows(), f.cols());
        for (int j = 0; j < f.cols(); j++) {
            for (int i = 0; i < f.rows(); i++) {
                out.set(i, j, f.get(i, j) + h * v.get(i, j));
            }
        }
        return out;
    }
}
