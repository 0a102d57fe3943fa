package dev.kronograd.sdk.nn;

import dev.kronograd.sdk.loss.SquaredError;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.MaterializationLimit;
import dev.kronograd.core.operator.MaterializationTooLargeException;
import dev.kronograd.core.operator.Operators;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A 2048×2048 layer's Hessian-vector product in O(mn) memory, where the dense Hessian would need 140.9 TB. */
class LargeLayerHessianMemoryTest {

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void hessianVectorProductOfA2048LayerAllocatesOnlyVectorsOfLengthM() {
        int m = 2048;
        int n = 2048;
        Random rnd = new Random(4);
        Network net = new NetworkBuilder(Operators.using(ReferenceLinearAlgebra.INSTANCE), TestActivations.resolver())
                .inputs(n).layer(m, "tanh").build(rnd);
        DenseMatrix x = DenseMatrix.zeros(n, 1);
        DenseMatrix y = DenseMatrix.zeros(m, 1);
        for (int i = 0; i < n; i++) {
            x.set(i, 0, rnd.nextGaussian());
        }
        Curvature c = Curvature.at(net, x, new SquaredError(), y);
        int p = net.parameterCount();
        DenseVector v = DenseVector.zeros(p).fill(1e-3);
        DenseVector out = DenseVector.zeros(p);
        LinearOperator h = c.hessian().layer(0);

        long before = allocatedBytes();
        h.apply(v, out);
        long used = allocatedBytes() - before;

        long parameterBytes = 8L * p;
        assertTrue(used < parameterBytes / 16, "H·v allocated " + used + " B; a parameter vector is " + parameterBytes + " B");
        long dense = MaterializationLimit.denseBytes(p, p);
        assertTrue(dense > 140e12, "dense Hessian bytes " + dense);
        MaterializationTooLargeException e = assertThrows(MaterializationTooLargeException.class, h::toDense);
        assertTrue(e.getMessage().contains("140.9 TB"), e.getMessage());
        // H v = Σ (x̄ x̄ᵀ) ⊗ M (v): the product is finite and non-trivial
        assertTrue(out.norm() > 0 && Double.isFinite(out.norm()));
    }
}
