package dev.kronograd.sdk.laplace;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.testing.NaiveDense;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.Curvature;
import dev.kronograd.sdk.nn.DenseLayer;
import dev.kronograd.sdk.nn.DenseLinearAlgebra;
import dev.kronograd.sdk.nn.KfacOperator;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.sdk.nn.NetworkBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Laplace}: every structure's log det Λ, solves Λ⁻¹ v, log Z and GLM predictive variance
 * against dense linear algebra on Λ built independently (the GGN from the dense parameter Jacobian
 * and loss Hessian; KFAC from its factors by dense kron), prior tuning at a maximum, and the errors.
 */
class LaplaceTest {
    private static final double DENSE = 1e-10;
    private static final double SIGMA = 0.7;
    private static final double DELTA = 0.5;
    private static Kronograd k;

    @BeforeAll
    static void open() {
        k = Kronograd.create();
    }

    @AfterAll
    static void close() {
        k.close();
    }

    /** A network, a batch and its loss. */
    record Case(Network net, DenseMatrix x, Loss loss, DenseMatrix y, String where) {
        Laplace.Builder builder() {
            Laplace.Builder b = Laplace.builder(net, x, loss, y);
            return loss.name().equals("squared-error") ? b.sigmaNoise(SIGMA) : b;
        }

        double scale() {
            return loss.name().equals("squared-error") ? 1 / (SIGMA * SIGMA) : 1.0;
        }
    }

    static Network network(Random rnd, int inputs, int[] widths, String[] acts) {
        NetworkBuilder b = k.network();
        int n = inputs;
        for (int i = 0; i < widths.length; i++) {
            b.layer(DenseMatrix.ofRows(NaiveDense.random(rnd, widths[i], n)), DenseVector.of(NaiveDense.random(rnd, widths[i])), acts[i]);
            n = widths[i];
        }
        return b.build();
    }

    static DenseMatrix targets(String loss, Random rnd, int m, int batch) {
        DenseMatrix y = DenseMatrix.zeros(m, batch);
        for (int s = 0; s < batch; s++) {
            double sum = 0;
            for (int i = 0; i < m; i++) {
                y.set(i, s, loss.equals("squared-error") ? rnd.nextGaussian() : rnd.nextDouble());
                sum += y.get(i, s);
            }
            if (loss.equals("softmax-cross-entropy")) {
                for (int i = 0; i < m; i++) {
                    y.set(i, s, y.get(i, s) / sum);
                }
            }
        }
        return y;
    }

    static List<Case> cases(long seed) {
        Random rnd = new Random(seed);
        List<Case> out = new ArrayList<>();
        for (String loss : new String[] {"squared-error", "softmax-cross-entropy", "sigmoid-cross-entropy"}) {
            for (int depth = 1; depth <= 2; depth++) {
                int n = 2 + rnd.nextInt(2);
                int batch = 1 + rnd.nextInt(5);
                int[] widths = new int[depth];
                String[] acts = new String[depth];
                for (int i = 0; i < depth; i++) {
                    widths[i] = 2 + rnd.nextInt(2);
                    acts[i] = i == depth - 1 ? "identity" : List.of("tanh", "softplus", "sigmoid").get(rnd.nextInt(3));
                }
                Network net = network(rnd, n, widths, acts);
                DenseMatrix x = DenseMatrix.ofRows(NaiveDense.random(rnd, n, batch));
                out.add(new Case(net, x, k.loss(loss), targets(loss, rnd, widths[depth - 1], batch),
                        loss + " " + List.of(acts) + " n=" + n + " B=" + batch));
            }
        }
        return out;
    }

    /** scale · Jᵀ ∇²ℓ J from the dense parameter Jacobian (rows j + m s) and the dense loss Hessian. */
    static double[][] denseGgn(Case c) {
        double[][] j = c.net().parameterJacobianDense(c.x()).toRowArrays();
        double[][] hl = Curvature.at(c.net(), c.x(), c.loss(), c.y()).lossHessian().toDense().toRowArrays();
        int p = c.net().parameterCount();
        double[][] g = NaiveDense.multiply(NaiveDense.multiply(NaiveDense.transpose(j, p), hl), j);
        for (double[] row : g) {
            for (int i = 0; i < row.length; i++) {
                row[i] *= c.scale();
            }
        }
        return g;
    }

    /** The dense GGN(NLL) in the structure, over the structure's parameters. */
    static double[][] denseCurvature(Case c, Structure s) {
        double[][] ggn = denseGgn(c);
        int p = ggn.length;
        int batch = c.x().cols();
        switch (s) {
            case FULL:
                return ggn;
            case DIAG: {
                double[][] d = new double[p][p];
                for (int i = 0; i < p; i++) {
                    d[i][i] = ggn[i][i];
                }
                return d;
            }
            case KRON: {
                double[][] kron = new double[p][p];
                KfacOperator kfac = Curvature.at(c.net(), c.x(), c.loss(), c.y()).kfac();
                for (int layer = 0; layer < c.net().layers().size(); layer++) {
                    DenseLayer l = c.net().layer(layer);
                    double[][] a = kfac.factors(layer).a().toRowArrays();
                    double[][] g = kfac.factors(layer).g().toRowArrays();
                    double[][] block = NaiveDense.kron(a, a.length, g, g.length);
                    for (int i = 0; i < block.length; i++) {
                        for (int j = 0; j < block.length; j++) {
                            kron[l.parameterOffset() + i][l.parameterOffset() + j] = batch * c.scale() * block[i][j];
                        }
                    }
                }
                return kron;
            }
            case EKFAC:
                return Curvature.at(c.net(), c.x(), c.loss(), c.y()).ekfac().scaled(batch * c.scale()).toDense().toRowArrays();
            case LAST_LAYER: {
                DenseLayer last = c.net().layer(c.net().layers().size() - 1);
                return DenseLinearAlgebra.block(ggn, last.parameterOffset(), last.parameterCount());
            }
            default:
                throw new AssertionError(s);
        }
    }

    static int offset(Case c, Structure s) {
        return s == Structure.LAST_LAYER ? c.net().layer(c.net().layers().size() - 1).parameterOffset() : 0;
    }

    /** NLL computed from the outputs directly. */
    static double nll(Case c) {
        DenseMatrix f = c.net().predict(c.x());
        double l = c.loss().value(f, c.y());
        if (!c.loss().name().equals("squared-error")) {
            return l;
        }
        double half = 0;
        for (int s = 0; s < f.cols(); s++) {
            for (int i = 0; i < f.rows(); i++) {
                double d = f.get(i, s) - c.y().get(i, s);
                half += 0.5 * d * d;
            }
        }
        return half / (SIGMA * SIGMA) + 0.5 * f.rows() * f.cols() * Math.log(2 * Math.PI * SIGMA * SIGMA);
    }

    @Test
    void logDeterminantSolvesLogZAndPredictiveMatchDenseLinearAlgebra() {
        Random rnd = new Random(5);
        int checked = 0;
        for (Case c : cases(11)) {
            DenseMatrix xStar = DenseMatrix.ofRows(NaiveDense.random(rnd, c.x().rows(), 3));
            for (Structure s : Structure.values()) {
                String where = c.where() + " " + s.label();
                Laplace la = c.builder().structure(s).priorPrecision(DELTA).build();
                double[][] lambda = DenseLinearAlgebra.plusDiagonal(denseCurvature(c, s), DELTA);
                int p = lambda.length;
                assertEquals(p, la.parameterCount(), where);
                double logDet = DenseLinearAlgebra.logDet(lambda);
                assertEquals(logDet, la.logDeterminant(), DENSE * Math.max(1, Math.abs(logDet)), where + ": log det Λ");
                double[] v = NaiveDense.random(rnd, p);
                double[] expected = DenseLinearAlgebra.solve(lambda, v);
                double error = NaiveDense.relativeError(expected, la.posteriorCovarianceTimes(DenseVector.of(v)).toArray());
                assertTrue(error <= DENSE, where + ": Λ⁻¹ v error " + error);
                int offset = offset(c, s);
                double thetaSquared = 0;
                for (int i = 0; i < p; i++) {
                    double t = c.net().parameters().get(offset + i);
                    thetaSquared += t * t;
                }
                double logZ = -nll(c) - 0.5 * DELTA * thetaSquared + 0.5 * p * Math.log(DELTA) - 0.5 * logDet;
                assertEquals(logZ, la.logMarginalLikelihood(), DENSE * Math.max(1, Math.abs(logZ)), where + ": log Z");
                assertEquals(logZ, c.builder().structure(s).priorPrecision(3.0).build().logMarginalLikelihood(DELTA),
                        DENSE * Math.max(1, Math.abs(logZ)), where + ": log Z at another δ");

                Predictive pred = la.predictive(xStar);
                double[][] jStar = c.net().parameterJacobianDense(xStar).toRowArrays();   // rows j + m s
                double[][] inverse = DenseLinearAlgebra.inverse(lambda);
                int m = c.net().outputs();
                NaiveDense.assertClose(c.net().predict(xStar).toRowArrays(), pred.mean().toRowArrays(), 0.0, where + ": mean");
                for (int sample = 0; sample < xStar.cols(); sample++) {
                    for (int j = 0; j < m; j++) {
                        double[] row = jStar[j + m * sample];
                        double var = 0;
                        for (int a = 0; a < p; a++) {
                            for (int b = 0; b < p; b++) {
                                var += row[offset + a] * inverse[a][b] * row[offset + b];
                            }
                        }
                        assertEquals(var, pred.variance().get(j, sample), DENSE * var, where + ": variance (" + j + ", " + sample + ")");
                        assertTrue(var > 0, where);
                    }
                }
                checked++;
            }
        }
        assertEquals(6 * Structure.values().length, checked);
    }

    @Test
    void kronAndEkfacAreFullOnOneSampleAndOneLayer() {
        // One layer, one sample: the KFAC block (times B = 1) is the GGN itself.
        Random rnd = new Random(12);
        for (String loss : new String[] {"squared-error", "softmax-cross-entropy", "sigmoid-cross-entropy"}) {
            Network net = network(rnd, 3, new int[] {3}, new String[] {"tanh"});
            Case c = new Case(net, DenseMatrix.ofRows(NaiveDense.random(rnd, 3, 1)), k.loss(loss), targets(loss, rnd, 3, 1), loss);
            Laplace full = c.builder().structure(Structure.FULL).build();
            for (Structure s : new Structure[] {Structure.KRON, Structure.EKFAC, Structure.LAST_LAYER}) {
                Laplace other = c.builder().structure(s).build();
                assertEquals(full.logDeterminant(), other.logDeterminant(), 1e-12 * Math.max(1, Math.abs(full.logDeterminant())),
                        loss + " " + s.label());
                assertEquals(full.logMarginalLikelihood(), other.logMarginalLikelihood(), 1e-12 * Math.abs(full.logMarginalLikelihood()),
                        loss + " " + s.label());
            }
        }
    }

    @Test
    void tuningFindsTheMaximumOfLogZ() {
        for (Case c : cases(13)) {
            for (Structure s : Structure.values()) {
                Laplace tuned = c.builder().structure(s).build().tunePriorPrecision();
                double delta = tuned.priorPrecision();
                double best = tuned.logMarginalLikelihood();
                String where = c.where() + " " + s.label() + " δ*=" + delta;
                assertEquals(best, tuned.logMarginalLikelihood(delta), 0.0, where);
                for (double factor : new double[] {0.999, 1.001, 0.9, 1.1, 0.1, 10}) {
                    double d = delta * factor;
                    if (d >= Laplace.TUNE_LOWER && d <= Laplace.TUNE_UPPER) {
                        assertTrue(tuned.logMarginalLikelihood(d) <= best, where + ": log Z(" + d + ") > log Z(δ*)");
                    }
                }
                assertTrue(delta > Laplace.TUNE_LOWER && delta < Laplace.TUNE_UPPER, where + ": an interior maximum");
            }
        }
    }

    @Test
    void perLayerPriorPrecisionsMatchDenseLinearAlgebra() {
        Random rnd = new Random(15);
        for (Case c : cases(15)) {
            for (Structure s : Structure.values()) {
                String where = c.where() + " " + s.label();
                Laplace scalar = c.builder().structure(s).priorPrecision(DELTA).build();
                int layers = scalar.layerPriorPrecisions().length;
                assertEquals(s == Structure.LAST_LAYER ? 1 : c.net().layers().size(), layers, where);
                double[] deltas = new double[layers];
                for (int i = 0; i < layers; i++) {
                    deltas[i] = 0.2 + 2 * rnd.nextDouble();
                }
                Laplace la = scalar.withLayerPriorPrecisions(deltas);
                double[][] lambda = denseCurvature(c, s);
                int offset = offset(c, s);
                int first = c.net().layers().size() - layers;
                double prior = 0;
                for (int i = 0; i < layers; i++) {
                    DenseLayer l = c.net().layer(first + i);
                    double squared = 0;
                    for (int q = 0; q < l.parameterCount(); q++) {
                        lambda[l.parameterOffset() - offset + q][l.parameterOffset() - offset + q] += deltas[i];
                        double t = c.net().parameters().get(l.parameterOffset() + q);
                        squared += t * t;
                    }
                    prior += 0.5 * l.parameterCount() * Math.log(deltas[i]) - 0.5 * deltas[i] * squared;
                }
                double logDet = DenseLinearAlgebra.logDet(lambda);
                assertEquals(logDet, la.logDeterminant(), DENSE * Math.max(1, Math.abs(logDet)), where + ": log det Λ");
                double logZ = -nll(c) + prior - 0.5 * logDet;
                assertEquals(logZ, la.logMarginalLikelihood(), DENSE * Math.max(1, Math.abs(logZ)), where + ": log Z");
                assertEquals(logZ, scalar.logMarginalLikelihood(deltas), DENSE * Math.max(1, Math.abs(logZ)), where + ": log Z(δ_k)");
                double[] v = NaiveDense.random(rnd, lambda.length);
                double error = NaiveDense.relativeError(DenseLinearAlgebra.solve(lambda, v), la.posteriorCovarianceTimes(DenseVector.of(v)).toArray());
                assertTrue(error <= DENSE, where + ": Λ⁻¹ v error " + error);
                assertEquals(layers == 1 ? deltas[0] : Double.NaN, la.priorPrecision(), 0.0, where);
            }
        }
    }

    @Test
    void layerTuningIsAtLeastTheScalarOptimumAndACoordinatewiseMaximum() {
        for (Case c : cases(16)) {
            for (Structure s : new Structure[] {Structure.FULL, Structure.DIAG, Structure.KRON}) {
                Laplace base = c.builder().structure(s).build();
                double scalarBest = base.tunePriorPrecision().logMarginalLikelihood();
                Laplace tuned = base.tuneLayerPriorPrecisions();
                double best = tuned.logMarginalLikelihood();
                String where = c.where() + " " + s.label();
                assertTrue(best >= scalarBest, where + ": per-layer " + best + " < scalar " + scalarBest);
                double[] delta = tuned.layerPriorPrecisions();
                for (int k = 0; k < delta.length; k++) {
                    for (double factor : new double[] {0.99, 1.01, 0.5, 2}) {
                        double[] moved = delta.clone();
                        moved[k] *= factor;
                        assertTrue(base.logMarginalLikelihood(moved) <= best, where + ": δ_" + k + "·" + factor + " is higher");
                    }
                }
            }
        }
    }

    @Test
    void badSettingsAreNamed() {
        Case gaussian = cases(14).get(0);
        Case softmax = cases(14).get(2);
        Case sigmoid = cases(14).get(4);
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertMessage(() -> gaussian.builder().priorPrecision(bad).build(), "priorPrecision");
            assertMessage(() -> gaussian.builder().sigmaNoise(bad).build(), "sigmaNoise");
            assertMessage(() -> gaussian.builder().build().withPriorPrecision(bad), "priorPrecision");
            assertMessage(() -> gaussian.builder().build().logMarginalLikelihood(bad), "priorPrecision");
        }
        assertMessage(() -> Laplace.builder(gaussian.net(), gaussian.x(), gaussian.loss(), gaussian.y()).build(), "sigmaNoise σ is required");
        assertMessage(() -> softmax.builder().sigmaNoise(1).build(), "sigmaNoise");
        assertMessage(() -> sigmoid.builder().sigmaNoise(1).build(), "sigmaNoise");
        Laplace la = softmax.builder().build();
        assertMessage(() -> la.predictive(DenseMatrix.zeros(softmax.x().rows() + 1, 2)), "inputs must have length " + softmax.x().rows());
        assertMessage(() -> softmax.builder().structure(Structure.FULL).denseParameterLimit(3).build(), "structure full");
        assertMessage(() -> softmax.builder().structure(Structure.FULL).denseParameterLimit(3).build(), "limit of 3 parameters");
        assertMessage(() -> softmax.builder().structure(Structure.LAST_LAYER).denseParameterLimit(1).build(), "structure last-layer");
        assertMessage(() -> Structure.parse("blocky"), "structure must be one of full|diag|kron|ekfac|last-layer");
        assertMessage(() -> Laplace.builder(softmax.net(), DenseMatrix.zeros(softmax.x().rows() + 1, 1), softmax.loss(),
                DenseMatrix.zeros(softmax.net().outputs(), 1)).build(), "inputs must have length");
        assertEquals(Structure.LAST_LAYER, Structure.parse("last-layer"));
        Laplace two = cases(14).get(3).builder().build();
        assertMessage(() -> two.withLayerPriorPrecisions(new double[] {1}), "one δ per layer of the approximation: 2, got 1");
        assertMessage(() -> two.withLayerPriorPrecisions(new double[] {1, -1}), "priorPrecision");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable run, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run);
        assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
}
