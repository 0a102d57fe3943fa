package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.ShapeMismatchException;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.Operators;
import dev.kronograd.core.testing.NaiveDense;
import dev.kronograd.sdk.loss.SquaredError;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TraceEstimator} on the Hessian, GGN and KFAC of small random networks and on dense test
 * matrices: unbiased (the mean over many seeds within 3 standard errors of the exact trace), the
 * reported standard error calibrated (its root mean square within a factor 1.5 of the spread of the
 * estimates across seeds), Hutch++ exact when the rank is at most its sketch size and tighter than
 * Hutchinson on a decaying spectrum, and argument errors.
 */
class TraceEstimatorTest {
    /** The estimates over this many seeds give the mean and the spread. */
    private static final int SEEDS = 200;
    private static final int PROBES = 30;
    /** The mean estimate may miss the exact trace by this many standard errors of the mean. */
    private static final double STANDARD_ERRORS = 3;
    /** Reported and empirical spread agree within this factor. */
    private static final double CALIBRATION = 1.5;
    /** Hutch++ on a matrix of rank ≤ its sketch: rounding only. */
    private static final double EXACT = 1e-10;

    private final Operators ops = Operators.using(ReferenceLinearAlgebra.INSTANCE);

    private record Estimator(String name, BiFunction<LinearOperator, Long, TraceEstimate> estimate) {
    }

    private static final List<Estimator> ESTIMATORS = List.of(
            new Estimator("hutchinson", (a, seed) -> TraceEstimator.hutchinson(a, PROBES, seed)),
            new Estimator("hutch++", (a, seed) -> TraceEstimator.hutchPlusPlus(a, PROBES, seed)));

    /** Mean, spread across seeds and root mean square of the reported standard errors. */
    private record Spread(double mean, double deviation, double reportedError) {
        static Spread of(LinearOperator a, Estimator e, int seeds) {
            double sum = 0;
            double squares = 0;
            double reported = 0;
            double[] t = new double[seeds];
            for (int s = 0; s < seeds; s++) {
                TraceEstimate estimate = e.estimate().apply(a, (long) s);
                assertEquals(PROBES, estimate.probes());
                t[s] = estimate.trace();
                sum += t[s];
                reported += estimate.standardError() * estimate.standardError();
            }
            double mean = sum / seeds;
            for (double x : t) {
                squares += (x - mean) * (x - mean);
            }
            return new Spread(mean, Math.sqrt(squares / (seeds - 1)), Math.sqrt(reported / seeds));
        }
    }

    private Curvature network(long seed, int batch, int[] widths) {
        Random rnd = new Random(seed);
        int n = 3;
        Network net = NetworkGradientTest.randomNetwork(ops, rnd, n, widths, java.util.Collections.nCopies(widths.length, "tanh"));
        DenseMatrix x = DenseMatrix.ofRows(NaiveDense.random(rnd, n, batch));
        DenseMatrix y = DenseMatrix.ofRows(NaiveDense.random(rnd, widths[widths.length - 1], batch));
        return Curvature.at(net, x, new SquaredError(), y);
    }

    private static double denseTrace(LinearOperator a) {
        DenseMatrix m = a.toDense();
        double t = 0;
        for (int i = 0; i < a.rows(); i++) {
            t += m.get(i, i);
        }
        return t;
    }

    @Test
    void meanOverSeedsIsTheExactTraceAndTheStandardErrorMatchesTheSpread() {
        Curvature at = network(5, 6, new int[] {4, 2});
        List<CurvatureOperator> operators = List.of(at.hessian(), at.ggn(), at.kfac());
        double[] exact = {at.hessian().trace(), at.ggn().trace(), denseTrace(at.kfac())};
        assertEquals(exact[0], denseTrace(at.hessian()), 1e-10 * (1 + Math.abs(exact[0])));
        for (int o = 0; o < operators.size(); o++) {
            for (Estimator e : ESTIMATORS) {
                String where = e.name() + " on " + operators.get(o).describe();
                Spread spread = Spread.of(operators.get(o), e, SEEDS);
                double errorOfMean = spread.deviation() / Math.sqrt(SEEDS);
                assertTrue(Math.abs(spread.mean() - exact[o]) <= STANDARD_ERRORS * errorOfMean,
                        where + ": mean " + spread.mean() + " vs exact " + exact[o] + " ± " + errorOfMean);
                double ratio = spread.reportedError() / spread.deviation();
                assertTrue(ratio >= 1 / CALIBRATION && ratio <= CALIBRATION,
                        where + ": reported standard error " + spread.reportedError() + " vs spread " + spread.deviation());
            }
        }
    }

    @Test
    void hutchPlusPlusIsExactWhenTheRankIsAtMostTheSketch() {
        Random rnd = new Random(3);
        int n = 40;
        for (int rank : new int[] {1, 2, 5}) {
            double[][] b = NaiveDense.random(rnd, n, rank);
            double[][] a = new double[n][n];
            double trace = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    for (int c = 0; c < rank; c++) {
                        a[i][j] += b[i][c] * b[j][c];
                    }
                }
                trace += a[i][i];
            }
            for (long seed = 0; seed < 5; seed++) {
                TraceEstimate t = TraceEstimator.hutchPlusPlus(ops.dense(DenseMatrix.ofRows(a)), 15, seed);
                assertEquals(trace, t.trace(), EXACT, "rank " + rank + " seed " + seed);
                assertEquals(0, t.standardError(), EXACT, "rank " + rank + " seed " + seed);
            }
        }
        // one sample, one output: the GGN J_θᵀ ∇²ℓ J_θ has rank 1, and one sketch column (3 probes) spans it
        Curvature one = network(9, 1, new int[] {4, 1});
        double exact = one.ggn().trace();
        TraceEstimate t = TraceEstimator.hutchPlusPlus(one.ggn(), 3, 11);
        assertEquals(exact, t.trace(), EXACT);
        assertEquals(Double.NaN, t.standardError(), "one residual probe: no spread");
        assertEquals(exact, TraceEstimator.hutchPlusPlus(one.ggn(), 6, 11).trace(), EXACT);
        assertEquals(0, TraceEstimator.hutchPlusPlus(one.ggn(), 6, 11).standardError(), EXACT);
    }

    @Test
    void hutchPlusPlusHasASmallerSpreadThanHutchinsonOnADecayingSpectrum() {
        int n = 80;
        double[][] u = orthogonal(new Random(17), n);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int c = 0; c < n; c++) {
                    a[i][j] += u[i][c] * u[j][c] / ((c + 1.0) * (c + 1.0));   // λ_c = 1/c²
                }
            }
        }
        LinearOperator op = ops.dense(DenseMatrix.ofRows(a));
        Spread hutchinson = Spread.of(op, ESTIMATORS.get(0), 100);
        Spread hutchPlusPlus = Spread.of(op, ESTIMATORS.get(1), 100);
        assertTrue(hutchPlusPlus.deviation() < 0.25 * hutchinson.deviation(),
                "Hutch++ spread " + hutchPlusPlus.deviation() + " vs Hutchinson " + hutchinson.deviation());
        assertTrue(hutchPlusPlus.reportedError() < 0.25 * hutchinson.reportedError(),
                "Hutch++ standard error " + hutchPlusPlus.reportedError() + " vs Hutchinson " + hutchinson.reportedError());
    }

    @Test
    void sameSeedSameEstimate() {
        Curvature at = network(5, 6, new int[] {4, 2});
        assertEquals(TraceEstimator.hutchinson(at.ggn(), 7, 42), TraceEstimator.hutchinson(at.ggn(), 7, 42));
        assertEquals(TraceEstimator.hutchPlusPlus(at.ggn(), 7, 42), TraceEstimator.hutchPlusPlus(at.ggn(), 7, 42));
        assertEquals(Double.NaN, TraceEstimator.hutchinson(at.ggn(), 1, 42).standardError(), "one probe: no spread");
    }

    @Test
    void argumentErrorsNameTheProblem() {
        Curvature at = network(5, 2, new int[] {2});
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> TraceEstimator.hutchinson(at.hessian(), 0, 1));
        assertEquals("Hutchinson's trace estimator needs probes ≥ 1, got 0", zero.getMessage());
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class, () -> TraceEstimator.hutchPlusPlus(at.hessian(), 2, 1));
        assertTrue(two.getMessage().startsWith("Hutch++ needs probes ≥ 3"), two.getMessage());
        assertTrue(two.getMessage().endsWith("got 2"), two.getMessage());
        LinearOperator rectangular = ops.dense(DenseMatrix.zeros(3, 4));
        for (BiFunction<LinearOperator, Long, TraceEstimate> e : List.<BiFunction<LinearOperator, Long, TraceEstimate>>of(
                (a, s) -> TraceEstimator.hutchinson(a, 5, s), (a, s) -> TraceEstimator.hutchPlusPlus(a, 5, s))) {
            ShapeMismatchException shape = assertThrows(ShapeMismatchException.class, () -> e.apply(rectangular, 1L));
            assertTrue(shape.getMessage().startsWith("a trace needs a square operator, but a is 3×4"), shape.getMessage());
        }
    }

    /** A random orthogonal n×n matrix: modified Gram–Schmidt on Gaussian columns. */
    private static double[][] orthogonal(Random rnd, int n) {
        double[][] q = NaiveDense.random(rnd, n, n);
        for (int c = 0; c < n; c++) {
            for (int p = 0; p < c; p++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += q[i][p] * q[i][c];
                }
                for (int i = 0; i < n; i++) {
                    q[i][c] -= dot * q[i][p];
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += q[i][c] * q[i][c];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[i][c] /= norm;
            }
        }
        return q;
    }
}
