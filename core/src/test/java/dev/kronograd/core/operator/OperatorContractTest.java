package dev.kronograd.core.operator;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.testing.NaiveDense;
import dev.kronograd.core.ShapeMismatchException;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every operator kind on random shapes: apply and applyTranspose agree with toDense() and
 * toSparse(), the adjoint identity ⟨u, A v⟩ = ⟨Aᵀu, v⟩ holds, and transpose() is the transpose.
 */
class OperatorContractTest {
    private static final double TOL = 1e-12;
    private final Operators ops = Operators.using(ReferenceLinearAlgebra.INSTANCE);

    private static int dim(Random rnd) {
        return rnd.nextInt(4) == 0 ? 1 : 1 + rnd.nextInt(5);
    }

    private DenseMatrix randomMatrix(Random rnd, int r, int c) {
        return DenseMatrix.ofRows(NaiveDense.random(rnd, r, c));
    }

    /** Named generators; each makes a random operator of its kind with rows = r (where it can). */
    private List<Kind> kinds() {
        List<Kind> k = new ArrayList<>();
        k.add(new Kind("identity", (rnd, r) -> ops.identity(r)));
        k.add(new Kind("diagonal", (rnd, r) -> ops.diagonal(DenseVector.of(NaiveDense.random(rnd, r)))));
        k.add(new Kind("dense", (rnd, r) -> ops.dense(randomMatrix(rnd, r, dim(rnd)))));
        k.add(new Kind("dense transposed", (rnd, r) -> ops.denseTranspose(randomMatrix(rnd, dim(rnd), r))));
        k.add(new Kind("row vector", (rnd, r) -> ops.rowVector(DenseVector.of(NaiveDense.random(rnd, dim(rnd))))));
        k.add(new Kind("column vector", (rnd, r) -> ops.columnVector(DenseVector.of(NaiveDense.random(rnd, r)))));
        k.add(new Kind("kron dense⊗dense", (rnd, r) -> ops.kronecker(randomMatrixOp(rnd), randomMatrixOp(rnd))));
        k.add(new Kind("kron xᵀ⊗I", (rnd, r) -> ops.kronecker(ops.rowVector(DenseVector.of(NaiveDense.random(rnd, dim(rnd)))), ops.identity(r))));
        k.add(new Kind("kron I⊗dense", (rnd, r) -> ops.kronecker(ops.identity(dim(rnd)), randomMatrixOp(rnd))));
        k.add(new Kind("kron diag⊗composite", (rnd, r) -> {
            int mid = dim(rnd);
            return ops.kronecker(ops.diagonal(DenseVector.of(NaiveDense.random(rnd, dim(rnd)))),
                    ops.compose(ops.dense(randomMatrix(rnd, dim(rnd), mid)), ops.dense(randomMatrix(rnd, mid, dim(rnd)))));
        }));
        k.add(new Kind("kron composite⊗composite", (rnd, r) -> ops.kronecker(
                ops.compose(ops.dense(randomMatrix(rnd, dim(rnd), 2)), ops.identity(2)),
                ops.sum(ops.dense(randomMatrix(rnd, 3, 2)), ops.dense(randomMatrix(rnd, 3, 2))))));
        k.add(new Kind("horizontal", (rnd, r) -> ops.horizontal(ops.dense(randomMatrix(rnd, r, dim(rnd))), ops.identity(r),
                ops.kronecker(ops.rowVector(DenseVector.of(NaiveDense.random(rnd, 2))), ops.identity(r)))));
        k.add(new Kind("vertical", (rnd, r) -> {
            int c = dim(rnd);
            return ops.vertical(ops.dense(randomMatrix(rnd, dim(rnd), c)), ops.diagonal(DenseVector.of(NaiveDense.random(rnd, c))),
                    ops.denseTranspose(randomMatrix(rnd, c, r)));
        }));
        k.add(new Kind("compose", (rnd, r) -> {
            int mid = dim(rnd);
            return ops.compose(ops.diagonal(DenseVector.of(NaiveDense.random(rnd, r))), ops.dense(randomMatrix(rnd, r, mid)),
                    ops.kronecker(ops.identity(1), ops.dense(randomMatrix(rnd, mid, dim(rnd)))));
        }));
        k.add(new Kind("transpose", (rnd, r) -> ops.kronecker(randomMatrixOp(rnd), ops.identity(dim(rnd))).transpose()));
        k.add(new Kind("scale", (rnd, r) -> ops.scale(rnd.nextGaussian(), ops.dense(randomMatrix(rnd, r, dim(rnd))))));
        k.add(new Kind("sum", (rnd, r) -> {
            return ops.sum(ops.dense(randomMatrix(rnd, r, r)), ops.identity(r), ops.diagonal(DenseVector.of(NaiveDense.random(rnd, r))))
                    .transpose();
        }));
        k.add(new Kind("layer jacobian", (rnd, r) -> {
            int n = dim(rnd);
            int batch = dim(rnd);
            DenseMatrix x = randomMatrix(rnd, n, batch);
            return ops.compose(ops.diagonal(DenseVector.of(NaiveDense.random(rnd, r * batch))),
                    ops.horizontal(ops.kronecker(ops.denseTranspose(x), ops.identity(r)),
                            ops.kronecker(ops.columnVector(DenseVector.zeros(batch).fill(1)), ops.identity(r))));
        }));
        return k;
    }

    private LinearOperator randomMatrixOp(Random rnd) {
        return rnd.nextBoolean() ? ops.dense(randomMatrix(rnd, dim(rnd), dim(rnd))) : ops.denseTranspose(randomMatrix(rnd, dim(rnd), dim(rnd)));
    }

    private record Kind(String name, BiFunction<Random, Integer, LinearOperator> make) {
    }

    @Test
    void everyOperatorAgreesWithItsDenseAndSparseFormsAndItsAdjoint() {
        Random rnd = new Random(99);
        for (Kind kind : kinds()) {
            for (int trial = 0; trial < 60; trial++) {
                LinearOperator a = kind.make().apply(rnd, dim(rnd));
                String where = kind.name() + " trial " + trial + " " + a.describe();
                double[][] dense = a.toDense().toRowArrays();
                assertEquals(a.rows(), dense.length, where);
                SparseMatrix sparse = a.toSparse();
                assertEquals(a.rows(), sparse.rows(), where);
                assertEquals(a.cols(), sparse.cols(), where);
                assertTrue(sparse.nonZeros() <= a.nonZeros(), where + ": stored " + sparse.nonZeros() + " > nonZeros() " + a.nonZeros());
                NaiveDense.assertClose(dense, sparse.toDense().toRowArrays(), 1e-11, where);

                double[] v = NaiveDense.random(rnd, a.cols());
                double[] u = NaiveDense.random(rnd, a.rows());
                double[] av = a.apply(DenseVector.of(v)).toArray();
                double[] atu = a.applyTranspose(DenseVector.of(u)).toArray();
                assertTrue(NaiveDense.relativeError(av, NaiveDense.multiply(dense, v)) < TOL, where + " apply vs dense");
                assertTrue(NaiveDense.relativeError(av, sparse.multiply(DenseVector.of(v)).toArray()) < TOL, where + " apply vs sparse");
                double[][] denseT = NaiveDense.transpose(dense, a.cols());
                assertTrue(NaiveDense.relativeError(atu, NaiveDense.multiply(denseT, u)) < TOL, where + " applyTranspose vs dense");
                assertTrue(NaiveDense.relativeError(atu, sparse.transpose().multiply(DenseVector.of(u)).toArray()) < TOL, where + " vs sparse");

                double lhs = DenseVector.of(u).dot(DenseVector.of(av));
                double rhs = DenseVector.of(atu).dot(DenseVector.of(v));
                assertEquals(lhs, rhs, TOL * (1 + Math.abs(lhs)) * 10, where + " adjoint identity");

                LinearOperator t = a.transpose();
                assertEquals(a.cols(), t.rows(), where);
                assertTrue(NaiveDense.relativeError(t.apply(DenseVector.of(u)).toArray(), atu) < TOL, where + " transpose().apply");
                NaiveDense.assertClose(denseT, t.toDense().toRowArrays(), 1e-11, where + " transpose().toDense()");
            }
        }
    }

    @Test
    void toStringIsTheFormulaOfDescribe() {
        Random rnd = new Random(7);
        java.util.Set<Class<?>> seen = new java.util.HashSet<>();
        for (Kind kind : kinds()) {
            for (int trial = 0; trial < 10; trial++) {
                LinearOperator a = kind.make().apply(rnd, dim(rnd));
                for (LinearOperator op : java.util.List.of(a, a.transpose())) {
                    seen.add(op.getClass());
                    assertEquals(op.describe(), op.toString(), kind.name());
                    assertFalse(op.toString().contains("@"), op.toString());
                }
            }
        }
        assertTrue(seen.size() >= 6, "operator classes covered: " + seen);
    }

    @Test
    void wrongLengthsNameTheOperatorAndTheExpectation() {
        LinearOperator k = ops.kronecker(ops.rowVector(DenseVector.of(1, 2, 3)), ops.identity(4));
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> k.apply(DenseVector.zeros(11), DenseVector.zeros(4)));
        assertTrue(e.getMessage().contains("4×12") && e.getMessage().contains("length 11") && e.getMessage().contains("expected 12"), e.getMessage());
        ShapeMismatchException t = assertThrows(ShapeMismatchException.class, () -> k.applyTranspose(DenseVector.zeros(4), DenseVector.zeros(4)));
        assertTrue(t.getMessage().contains("out has length 4; expected 12"), t.getMessage());
        ShapeMismatchException h = assertThrows(ShapeMismatchException.class, () -> ops.horizontal(ops.identity(2), ops.identity(3)));
        assertTrue(h.getMessage().contains("expected rows 2"), h.getMessage());
        assertThrows(ShapeMismatchException.class, () -> ops.compose(ops.identity(2), ops.identity(3)));
        assertThrows(ShapeMismatchException.class, () -> ops.sum(ops.identity(2), ops.identity(3)));
    }

    @Test
    void materialisingBeyondTheLimitFailsWithTheSizeItWouldNeed() {
        LinearOperator k = ops.kronecker(ops.rowVector(DenseVector.zeros(100)), ops.identity(100));
        MaterializationTooLargeException e = assertThrows(MaterializationTooLargeException.class,
                () -> k.toDense(MaterializationLimit.ofBytes(1_000_000)));
        assertEquals(100L * 10_000 * 8, e.requiredBytes());
        assertTrue(e.getMessage().contains("8.0 MB") && e.getMessage().contains("apply"), e.getMessage());
        assertEquals(10_000, k.toSparse(MaterializationLimit.ofBytes(1_000_000)).nonZeros());
        assertThrows(MaterializationTooLargeException.class, () -> k.toSparse(MaterializationLimit.ofBytes(1000)));
    }

    @Test
    void theSystemPropertyIsReadOnlyWhenAskedFor() {
        String old = System.getProperty(MaterializationLimit.PROPERTY);
        try {
            System.setProperty(MaterializationLimit.PROPERTY, "1k");
            assertEquals(1024, MaterializationLimit.fromSystemProperties().maxBytes());
            assertThrows(MaterializationTooLargeException.class, () -> ops.identity(20).toDense(MaterializationLimit.fromSystemProperties()));
            // The library's own default ignores the property: 20×20 doubles (3.2 kB) fit in 256 MiB.
            assertEquals(MaterializationLimit.DEFAULT_MAX_BYTES, MaterializationLimit.defaults().maxBytes());
            assertEquals(20, ops.identity(20).toDense().rows());
            System.setProperty(MaterializationLimit.PROPERTY, "lots");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, MaterializationLimit::fromSystemProperties);
            assertTrue(e.getMessage().contains(MaterializationLimit.PROPERTY), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(MaterializationLimit.PROPERTY);
            } else {
                System.setProperty(MaterializationLimit.PROPERTY, old);
            }
        }
    }
}
