package dev.kronograd.sdk.loss;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.testing.NaiveDense;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each loss's gradient and Hessian-vector product against central differences; stability at extreme logits. */
class LossTest {
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
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        DenseMatrix f = DenseMatrix.wrap(new double[] {1000, -1000, 0}, 3, 1);
        DenseMatrix y = DenseMatrix.wrap(new double[] {0, 1, 0}, 3, 1);
        DenseMatrix g = DenseMatrix.zeros(3, 1);
        double value = ce.valueAndGradient(f, y, g);
        assertEquals(2000.0, value, 1e-9);
        assertEquals(1.0, g.get(0, 0), 1e-15);
        assertEquals(-1.0, g.get(1, 0), 1e-15);
        assertTrue(Double.isFinite(g.get(2, 0)));
    }

    @Test
    void registryFindsBuiltInsAndListsThemForUnknownNames() {
        LossRegistry registry = LossRegistry.load(getClass().getClassLoader());
        assertTrue(registry.get("squared-error") instanceof SquaredError);
        UnknownLossException e = assertThrows(UnknownLossException.class, () -> registry.get("hinge"));
        assertTrue(e.getMessage().contains("softmax-cross-entropy, squared-error"), e.getMessage());
    }
}
