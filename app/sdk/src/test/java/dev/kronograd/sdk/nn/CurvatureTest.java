package dev.kronograd.sdk.nn;

import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.loss.SoftmaxCrossEntropy;
import dev.kronograd.sdk.loss.SquaredError;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.operator.Operators;
import dev.kronograd.core.testing.NaiveDense;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hessians, GGNs and KFAC against (Richardson-extrapolated) finite differences of the gradient, the dense Kronecker formula
 * (single layers), symmetry and positive semi-definiteness, on every available backend.
 */
class CurvatureTest {
    private static final List<String> SMOOTH = List.of("tanh", "sigmoid", "softplus", "gelu", "silu", "gelu-tanh", "elu", "selu", "softsign");

    static List<LinearAlgebra> backends() {
        return TestBackends.available();
    }

    /**
     * The step of {@link #finiteDifferenceHessian}: 2⁻⁹ ≈ 1.95e-3, so the farthest probe is θ_j ± 4h ≈ θ_j ± 7.8e-3.
     * Large enough that rounding (∝ 1/h) stays far below the tolerance, small enough that truncation (∝ h⁶) does too.
     */
    private static final double FD_STEP = 0x1p-9;

    /**
     * Dense ∇²L, column j by Richardson-extrapolated 4-point central differences of the analytic gradient along θ_j:
     * <pre>
     *   C(h)  = (g(θ + h e_j) − g(θ − h e_j)) / 2h             = H e_j + h²/6 ∂³g + h⁴/120 ∂⁵g + h⁶/5040 ∂⁷g + …
     *   D₄(h) = (4 C(h) − C(2h)) / 3                            = H e_j − h⁴/30 ∂⁵g − h⁶/252 ∂⁷g + …
     *   R(h)  = (16 D₄(h) − D₄(2h)) / 15                        = H e_j + (4/315) h⁶ ∂⁷g + O(h⁸)
     * </pre>
     * (∂ᵏg the k-th derivative of the gradient along e_j). Six gradients per column: θ_j ± h, ± 2h, ± 4h.
     */
    private static double[][] finiteDifferenceHessian(Network net, DenseMatrix x, Loss loss, DenseMatrix y) {
        int p = net.parameterCount();
        double[][] hessian = new double[p][p];
        Network probe = net.copy();
        DenseVector theta = probe.parameters();
        double h = FD_STEP;
        for (int j = 0; j < p; j++) {
            double t = theta.get(j);
            double[] c1 = centralDifference(probe, theta, j, t, h, x, loss, y);
            double[] c2 = centralDifference(probe, theta, j, t, 2 * h, x, loss, y);
            double[] c4 = centralDifference(probe, theta, j, t, 4 * h, x, loss, y);
            theta.set(j, t);
            for (int i = 0; i < p; i++) {
                double d4h = (4 * c1[i] - c2[i]) / 3;
                double d42h = (4 * c2[i] - c4[i]) / 3;
                hessian[i][j] = (16 * d4h - d42h) / 15;
            }
        }
        return hessian;
    }

    /** (g(θ + s e_j) − g(θ − s e_j)) / 2s, with θ_j = t on entry; leaves θ_j perturbed (the caller restores it). */
    private static double[] centralDifference(Network probe, DenseVector theta, int j, double t, double s,
                                              DenseMatrix x, Loss loss, DenseMatrix y) {
        theta.set(j, t + s);
        double[] up = probe.gradient(x, loss, y).flat().toArray();
        theta.set(j, t - s);
        double[] down = probe.gradient(x, loss, y).flat().toArray();
        double[] out = new double[up.length];
        for (int i = 0; i < up.length; i++) {
            out[i] = (up[i] - down[i]) / (2 * s);
        }
        return out;
    }

    /**
     * The bound on |R(h) − H| that the comparison with finite differences allows, in absolute terms:
     * <ul>
     *   <li>Rounding. R(h) = (64 C(h) − 20 C(2h) + C(4h))/45, and if every gradient entry carries an absolute error
     *       ≤ δ then C(s) carries ≤ δ/s, so R carries ≤ (64 + 10 + 1/4)/45 · δ/h = 1.65 δ/h. Each gradient
     *       entry is a few dozen flops on values of the size of g and H, so δ = 64 u (1 + max|g| + max|H|) is generous (the H term
     *       covers θ_j ± kh being rounded, which moves the step by ≤ u|θ_j| and the quotient by ≤ u|θ_j|·|H|/h).</li>
     *   <li>Truncation. (4/315) h⁶ |∂⁷g| with h⁶ = 2⁻⁵⁴ ≈ 5.6e-17: ≈ 7e-19·|∂⁷g|. ∂⁷g is an eighth derivative of L;
     *       the largest factor among these activations is softsign's σ⁽⁸⁾(0) = 8! ≈ 4e4, and with inputs and weights in
     *       [−1, 1) three layers stay within a small multiple of it (times the scale of L's curvature), so
     *       1e-12 (1 + max|H|) bounds this term with room to spare.</li>
     * </ul>
     * Relative to 1 + max|H| this is at most ≈ 1.2e-11 for the networks here (the test also checks it stays ≤ 1e-9);
     * the measured |R(h) − H| is at most 2.4e-13 (1 + max|H|) on every backend, about 50 times below the bound in the tightest case.
     * A dropped or wrong cross-layer term is of the size of the entries themselves (1e-3 … 1 of max|H|).
     */
    private static double finiteDifferenceTolerance(double maxGradient, double maxHessian) {
        double u = Math.ulp(1.0) / 2;
        double delta = 64 * u * (1 + maxGradient + maxHessian);
        return 1.65 * delta / FD_STEP + 1e-12 * (1 + maxHessian);
    }

    private static double maxAbs(double[][] a) {
        double m = 0;
        for (double[] row : a) {
            m = Math.max(m, maxAbs(row));
        }
        return m;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void exactHessiansAndGaussNewtonMatchFiniteDifferencesAndTheKroneckerForm(LinearAlgebra la) {
        Operators ops = Operators.using(la);
        Random rnd = new Random(31);
        int cases = 0;
        for (int depth = 1; depth <= 3; depth++) {
            for (Loss loss : new Loss[] {new SquaredError(), new SoftmaxCrossEntropy()}) {
                for (int trial = 0; trial < 3; trial++) {
                    int n = 1 + rnd.nextInt(3);
                    int batch = 1 + rnd.nextInt(3);
                    int[] widths = new int[depth];
                    String[] acts = new String[depth];
                    for (int k = 0; k < depth; k++) {
                        widths[k] = 1 + rnd.nextInt(3);
                        acts[k] = SMOOTH.get(rnd.nextInt(SMOOTH.size()));
                    }
                    Network net = NetworkGradientTest.randomNetwork(ops, rnd, n, widths, List.of(acts));
                    DenseMatrix x = DenseMatrix.ofRows(NaiveDense.random(rnd, n, batch));
                    DenseMatrix y = NetworkGradientTest.targetsFor(loss, rnd, widths[depth - 1], batch);
                    String where = la.name() + " " + List.of(acts) + " n=" + n + " B=" + batch + " " + loss.name();
                    Curvature c = Curvature.at(net, x, loss, y);
                    int p = net.parameterCount();

                    double[][] exact = c.hessian().toDense().toRowArrays();
                    double[][] fd = finiteDifferenceHessian(net, x, loss, y);
                    double scale = 1 + maxAbs(fd);
                    double fdTolerance = finiteDifferenceTolerance(maxAbs(net.gradient(x, loss, y).flat().toArray()), maxAbs(fd));
                    assertTrue(fdTolerance <= 1e-9 * scale, where + ": finite-difference tolerance " + fdTolerance);
                    NaiveDense.assertClose(fd, exact, fdTolerance, where + ": R-operator Hessian vs finite differences");
                    NaiveDense.assertClose(NaiveDense.transpose(exact, p), exact, 1e-12 * scale, where + ": symmetric");

                    // each layer's Hessian operator is the diagonal block of the full Hessian
                    for (int k = 0; k < depth; k++) {
                        DenseLayer l = net.layer(k);
                        double[][] block = c.hessian().layer(k).toDense().toRowArrays();
                        double[][] kron = c.hessian().layerKroneckerSum(k).toDense().toRowArrays();
                        for (int i = 0; i < l.parameterCount(); i++) {
                            for (int j = 0; j < l.parameterCount(); j++) {
                                assertEquals(exact[l.parameterOffset() + i][l.parameterOffset() + j], block[i][j], 1e-12 * scale,
                                        where + ": layer " + k + " block (" + i + "," + j + ")");
                            }
                        }
                        NaiveDense.assertClose(block, kron, 1e-12 * scale, where + ": layer " + k + " K̄ᵀMK̄ = Σ (āāᵀ) ⊗ M_i");
                    }

                    // GGN: Jᵀ ∇²ℓ J with J the dense Kronecker Jacobian; PSD on random probes
                    double[][] jac = DenseKronReference.parameterJacobian(net, x);
                    double[][] hl = c.lossHessian().toDense().toRowArrays();
                    double[][] ggnDense = NaiveDense.multiply(NaiveDense.multiply(NaiveDense.transpose(jac, p), hl), jac);
                    NaiveDense.assertClose(ggnDense, c.ggn().toDense().toRowArrays(), 1e-12 * scale, where + ": GGN");
                    for (int probe = 0; probe < 5; probe++) {
                        DenseVector v = DenseVector.of(NaiveDense.random(rnd, p));
                        double quad = v.dot(c.ggn().apply(v));
                        assertTrue(quad >= -1e-12 * scale * v.dot(v), where + ": vᵀGv = " + quad);
                        for (int k = 0; k < depth; k++) {
                            DenseVector vk = DenseVector.of(NaiveDense.random(rnd, net.layer(k).parameterCount()));
                            assertTrue(vk.dot(c.ggn().layer(k).apply(vk)) >= -1e-12 * scale * vk.dot(vk), where + ": layer GGN PSD");
                        }
                    }
                    cases++;
                }
            }
        }
        assertEquals(18, cases);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void singleLayerHessianIsTheKroneckerFormula(LinearAlgebra la) {
        // ∇²_θ L = Σ_i (x̄_i x̄_iᵀ) ⊗ M_i,  M_i = D ∇²ℓ D + diag(σ'' ⊙ ∇ℓ), written out densely here.
        Operators ops = Operators.using(la);
        Random rnd = new Random(32);
        for (String act : SMOOTH) {
            int m = 3;
            int n = 2;
            int batch = 2;
            Loss loss = new SoftmaxCrossEntropy();
            Network net = NetworkGradientTest.randomNetwork(ops, rnd, n, new int[] {m}, List.of(act));
            DenseMatrix x = DenseMatrix.ofRows(NaiveDense.random(rnd, n, batch));
            DenseMatrix y = NetworkGradientTest.targetsFor(loss, rnd, m, batch);
            Curvature c = Curvature.at(net, x, loss, y);
            int p = m * (n + 1);
            double[][] expected = new double[p][p];
            DenseLayer l = net.layer(0);
            for (int s = 0; s < batch; s++) {
                double[] z = new double[m];
                double[] f = new double[m];
                for (int i = 0; i < m; i++) {
                    z[i] = l.bias().get(i);
                    for (int j = 0; j < n; j++) {
                        z[i] += l.weights().get(i, j) * x.get(j, s);
                    }
                    f[i] = l.activation().value(z[i]);
                }
                double max = Double.NEGATIVE_INFINITY;
                for (double v : f) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                double[] prob = new double[m];
                for (int i = 0; i < m; i++) {
                    prob[i] = Math.exp(f[i] - max);
                    sum += prob[i];
                }
                double[][] mi = new double[m][m];
                for (int i = 0; i < m; i++) {
                    prob[i] /= sum;
                }
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < m; j++) {
                        double hl = (i == j ? prob[i] : 0) - prob[i] * prob[j];
                        mi[i][j] = l.activation().derivative(z[i]) * hl * l.activation().derivative(z[j]);
                    }
                    mi[i][i] += l.activation().secondDerivative(z[i]) * (prob[i] - y.get(i, s));
                }
                double[][] xBar = new double[n + 1][1];
                for (int j = 0; j < n; j++) {
                    xBar[j][0] = x.get(j, s);
                }
                xBar[n][0] = 1;
                double[][] term = NaiveDense.kron(NaiveDense.multiply(xBar, NaiveDense.transpose(xBar, 1)), n + 1, mi, m);
                for (int i = 0; i < p; i++) {
                    for (int j = 0; j < p; j++) {
                        expected[i][j] += term[i][j];
                    }
                }
            }
            NaiveDense.assertClose(expected, c.hessian().layer(0).toDense().toRowArrays(), 1e-12, act + ": dense kron formula");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void kfacFactorsAndPreconditionerSolveTheKroneckerSystem(LinearAlgebra la) {
        Operators ops = Operators.using(la);
        Random rnd = new Random(33);
        Network net = NetworkGradientTest.randomNetwork(ops, rnd, 3, new int[] {4, 2}, List.of("tanh", "identity"));
        int batch = 5;
        DenseMatrix x = DenseMatrix.ofRows(NaiveDense.random(rnd, 3, batch));
        DenseMatrix y = DenseMatrix.ofRows(NaiveDense.random(rnd, 2, batch));
        Curvature c = Curvature.at(net, x, new SquaredError(), y);
        double lambda = 0.1;
        KfacOperator kfac = c.kfac();
        DenseVector pre = kfac.damped(lambda).inverse().apply(c.gradient());
        for (int k = 0; k < 2; k++) {
            DenseLayer l = net.layer(k);
            KfacOperator.Factors f = kfac.factors(k);
            // A = (1/B) Σ ā āᵀ by the definition
            for (int i = 0; i <= l.inputs(); i++) {
                for (int j = 0; j <= l.inputs(); j++) {
                    double s = 0;
                    for (int b = 0; b < batch; b++) {
                        double ai = i < l.inputs() ? netInput(net, x, k, i, b) : 1;
                        double aj = j < l.inputs() ? netInput(net, x, k, j, b) : 1;
                        s += ai * aj;
                    }
                    assertEquals(s / batch, f.a().get(i, j), 1e-12, "A(" + i + "," + j + ") layer " + k);
                }
            }
            // ((A + λI) ⊗ (G + λI)) vec(P) = vec(dW̄), checked with the dense Kronecker product
            int n1 = l.inputs() + 1;
            double[][] ad = f.a().toRowArrays();
            double[][] gd = f.g().toRowArrays();
            for (int i = 0; i < n1; i++) {
                ad[i][i] += lambda;
            }
            for (int i = 0; i < l.outputs(); i++) {
                gd[i][i] += lambda;
            }
            double[][] kron = NaiveDense.kron(ad, n1, gd, l.outputs());
            double[] back = NaiveDense.multiply(kron, pre.slice(l.parameterOffset(), l.parameterCount()).toArray());
            assertTrue(NaiveDense.relativeError(back, c.gradient().slice(l.parameterOffset(), l.parameterCount()).toArray()) < 1e-10,
                    "layer " + k);
        }
        // G of the output layer under squared error is (1/B) Σ D_i D_i = identity for an identity activation
        NaiveDense.assertClose(DenseMatrix.identity(2).toRowArrays(), kfac.factors(1).g().toRowArrays(), 1e-14, "G of a linear output layer");
    }

    /** Component i of sample b of layer k's input: x itself, or the previous layer's output. */
    private static double netInput(Network net, DenseMatrix x, int layer, int i, int sample) {
        return layer == 0 ? x.get(i, sample) : net.forward(x, net.newWorkspace()).get(layer - 1).output().get(i, sample);
    }
}
