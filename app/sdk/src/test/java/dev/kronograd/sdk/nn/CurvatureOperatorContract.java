package dev.kronograd.sdk.nn;

import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.loss.SoftmaxCrossEntropy;
import dev.kronograd.sdk.loss.SquaredError;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.ShapeMismatchException;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.Operators;
import dev.kronograd.core.operator.SparseMatrix;
import dev.kronograd.core.testing.NaiveDense;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link CurvatureOperator} must satisfy, run by each implementation's test on small
 * random networks (seeded) and every available backend: equal to an independent dense reference
 * the implementation supplies, symmetric (⟨u, C v⟩ = ⟨C u, v⟩, {@code applyTranspose = apply},
 * {@code transpose() = this}), its layer blocks the diagonal blocks of the whole, its sparse and
 * dense materialisations equal, its shape and layer errors specific.
 */
abstract class CurvatureOperatorContract {
    /** Relative tolerance of results that differ from each other only by rounding. */
    static final double ROUNDING = 1e-12;
    private static final List<String> SMOOTH = List.of("tanh", "sigmoid", "softplus", "gelu", "silu", "elu", "softsign");

    /** A network, a batch and its curvature. */
    record Case(Network net, DenseMatrix x, Loss loss, DenseMatrix y, Curvature at, String where) {
    }

    /** The operator under test at {@code at}. */
    abstract CurvatureOperator operatorAt(Curvature at);

    /** The operator's matrix computed independently of its implementation (P×P, row arrays). */
    abstract double[][] denseReference(Case c);

    /** The absolute tolerance of {@link #denseReference} against the operator, relative to {@code scale}. */
    abstract double referenceTolerance();

    static List<LinearAlgebra> backends() {
        return TestBackends.available();
    }

    /** Depth 1–3, both losses, widths and batches of 1–3, random smooth activations. */
    static List<Case> cases(LinearAlgebra la, long seed) {
        Operators ops = Operators.using(la);
        Random rnd = new Random(seed);
        List<Case> cases = new ArrayList<>();
        for (int depth = 1; depth <= 3; depth++) {
            for (Loss loss : new Loss[] {new SquaredError(), new SoftmaxCrossEntropy()}) {
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
                cases.add(new Case(net, x, loss, y, Curvature.at(net, x, loss, y), where));
            }
        }
        return cases;
    }

    static double maxAbs(double[][] a) {
        double m = 0;
        for (double[] row : a) {
            for (double v : row) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }

    /** The dense GGN Jᵀ ∇²ℓ J from the dense Kronecker Jacobian: an oracle for the GGN and KFAC. */
    static double[][] denseGgn(Case c) {
        int p = c.net().parameterCount();
        double[][] jac = DenseKronReference.parameterJacobian(c.net(), c.x());
        double[][] hl = c.at().lossHessian().toDense().toRowArrays();
        return NaiveDense.multiply(NaiveDense.multiply(NaiveDense.transpose(jac, p), hl), jac);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void matchesItsDenseReference(LinearAlgebra la) {
        for (Case c : cases(la, 41)) {
            double[][] expected = denseReference(c);
            double scale = 1 + maxAbs(expected);
            NaiveDense.assertClose(expected, operatorAt(c.at()).toDense().toRowArrays(), referenceTolerance() * scale,
                    c.where() + ": dense reference");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void isSymmetric(LinearAlgebra la) {
        Random rnd = new Random(42);
        for (Case c : cases(la, 42)) {
            CurvatureOperator op = operatorAt(c.at());
            int p = op.cols();
            assertEquals(p, op.rows(), c.where());
            assertSame(op, op.transpose(), c.where() + ": transpose() is the operator");
            double[][] dense = op.toDense().toRowArrays();
            double scale = 1 + maxAbs(dense);
            NaiveDense.assertClose(NaiveDense.transpose(dense, p), dense, ROUNDING * scale, c.where() + ": dense symmetric");
            for (int probe = 0; probe < 3; probe++) {
                DenseVector u = DenseVector.of(NaiveDense.random(rnd, p));
                DenseVector v = DenseVector.of(NaiveDense.random(rnd, p));
                double uCv = u.dot(op.apply(v));
                double cuV = op.apply(u).dot(v);
                assertEquals(uCv, cuV, ROUNDING * scale * u.norm() * v.norm(), c.where() + ": ⟨u, C v⟩ = ⟨C u, v⟩");
                assertTrue(NaiveDense.relativeError(op.apply(v).toArray(), op.applyTranspose(v).toArray()) <= ROUNDING,
                        c.where() + ": Cᵀ v = C v");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void layerBlocksAreTheDiagonalBlocks(LinearAlgebra la) {
        for (Case c : cases(la, 43)) {
            CurvatureOperator op = operatorAt(c.at());
            double[][] dense = op.toDense().toRowArrays();
            double scale = 1 + maxAbs(dense);
            assertEquals(c.net().layers().size(), op.layers(), c.where());
            for (int k = 0; k < op.layers(); k++) {
                DenseLayer l = c.net().layer(k);
                LinearOperator block = op.layer(k);
                assertEquals(l.parameterCount(), block.rows(), c.where() + ": layer " + k + " rows");
                assertEquals(l.parameterCount(), block.cols(), c.where() + ": layer " + k + " cols");
                double[][] b = block.toDense().toRowArrays();
                for (int i = 0; i < l.parameterCount(); i++) {
                    for (int j = 0; j < l.parameterCount(); j++) {
                        assertEquals(dense[l.parameterOffset() + i][l.parameterOffset() + j], b[i][j], ROUNDING * scale,
                                c.where() + ": layer " + k + " block (" + i + "," + j + ")");
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void sparseAndDenseMaterialisationsAgree(LinearAlgebra la) {
        for (Case c : cases(la, 44)) {
            CurvatureOperator op = operatorAt(c.at());
            double[][] dense = op.toDense().toRowArrays();
            SparseMatrix sparse = op.toSparse();
            assertEquals(op.nonZeros(), sparse.nonZeros(), c.where() + ": structural non-zeros");
            NaiveDense.assertClose(dense, sparse.toDense().toRowArrays(), 0.0, c.where() + ": sparse = dense");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void rejectsWrongLengthsAndLayers(LinearAlgebra la) {
        Case c = cases(la, 45).get(2);
        CurvatureOperator op = operatorAt(c.at());
        int p = op.cols();
        assertThrows(ShapeMismatchException.class, () -> op.apply(DenseVector.zeros(p + 1)));
        assertThrows(ShapeMismatchException.class, () -> op.apply(DenseVector.zeros(p), DenseVector.zeros(p - 1)));
        assertThrows(ShapeMismatchException.class, () -> op.applyTranspose(DenseVector.zeros(p - 1)));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> op.layer(op.layers()));
        assertTrue(e.getMessage().contains("layer " + op.layers() + " does not exist"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> op.layer(-1));
    }
}
