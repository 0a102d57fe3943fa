package dev.kronograd.core.operator;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.testing.NaiveDense;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** vec(A X B) = (Bᵀ ⊗ A) vec(X), through the lazy operator and its dense form, against the definition. */
class KroneckerIdentityTest {
    private static final double TOL = 1e-12;
    private final Operators ops = Operators.using(ReferenceLinearAlgebra.INSTANCE);

    /** Dimensions 1..6, with 1 drawn often so that 1×1, 1×n and n×1 factors are common. */
    private static int dim(Random rnd) {
        return rnd.nextInt(4) == 0 ? 1 : 1 + rnd.nextInt(6);
    }

    @Test
    void vecTrickHoldsOnAThousandRandomShapeTriples() {
        Random rnd = new Random(2024);
        int vectorShaped = 0;
        for (int trial = 0; trial < 1200; trial++) {
            int p = dim(rnd);
            int q = dim(rnd);
            int r = dim(rnd);
            int s = dim(rnd);
            if (p == 1 || q == 1 || r == 1 || s == 1) {
                vectorShaped++;
            }
            double[][] a = NaiveDense.random(rnd, p, q);  // A  p×q
            double[][] x = NaiveDense.random(rnd, q, r);  // X  q×r
            double[][] b = NaiveDense.random(rnd, r, s);  // B  r×s
            double[] expected = NaiveDense.vec(NaiveDense.multiply(NaiveDense.multiply(a, x), b), s);
            double[] vecX = NaiveDense.vec(x, r);
            double[][] naiveKron = NaiveDense.kron(NaiveDense.transpose(b, s), r, a, q);
            double[] viaNaiveKron = NaiveDense.multiply(naiveKron, vecX);
            assertTrue(NaiveDense.relativeError(viaNaiveKron, expected) < TOL, "definition, trial " + trial);

            // Bᵀ as a transposed view of B: no copy.
            LinearOperator kron = ops.kronecker(ops.denseTranspose(DenseMatrix.ofRows(b)), ops.dense(DenseMatrix.ofRows(a)));
            double[] lazy = kron.apply(DenseVector.of(vecX)).toArray();
            assertTrue(NaiveDense.relativeError(lazy, expected) < TOL, "lazy operator, trial " + trial + " shapes " + p + "," + q + "," + r + "," + s);

            DenseMatrix dense = kron.toDense();
            NaiveDense.assertClose(naiveKron, dense.toRowArrays(), 0.0, "toDense equals the naive Kronecker product, trial " + trial);
            double[] viaDense = NaiveDense.multiply(dense.toRowArrays(), vecX);
            assertTrue(NaiveDense.relativeError(viaDense, expected) < TOL, "dense form, trial " + trial);
        }
        assertTrue(vectorShaped > 500, "the shape draw must exercise vector-shaped factors, got " + vectorShaped);
    }

    @Test
    void identityAndDiagonalFactorsTakeTheirSpecialPathsAndAgree() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int p = dim(rnd);
            int q = dim(rnd);
            int m = dim(rnd);
            double[][] a = NaiveDense.random(rnd, p, q);
            double[] d = NaiveDense.random(rnd, m);
            LinearOperator[] rights = {ops.identity(m), ops.diagonal(DenseVector.of(d)), ops.compose(ops.diagonal(DenseVector.of(d)), ops.identity(m))};
            for (LinearOperator right : rights) {
                for (LinearOperator left : new LinearOperator[] {ops.dense(DenseMatrix.ofRows(a)), ops.compose(ops.dense(DenseMatrix.ofRows(a)))}) {
                    for (boolean swap : new boolean[] {false, true}) {
                        LinearOperator kron = swap ? ops.kronecker(right, left) : ops.kronecker(left, right);
                        double[][] dense = kron.toDense().toRowArrays();
                        double[] v = NaiveDense.random(rnd, kron.cols());
                        double[] u = NaiveDense.random(rnd, kron.rows());
                        assertTrue(NaiveDense.relativeError(kron.apply(DenseVector.of(v)).toArray(), NaiveDense.multiply(dense, v)) < TOL);
                        assertTrue(NaiveDense.relativeError(kron.applyTranspose(DenseVector.of(u)).toArray(),
                                NaiveDense.multiply(NaiveDense.transpose(dense, kron.cols()), u)) < TOL);
                    }
                }
            }
        }
    }
}
