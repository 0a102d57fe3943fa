package dev.kronograd.core.operator;

import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * (xᵀ ⊗ I_m) for m = n = 4096 — 550 GB dense — is built and applied both ways while allocating
 * next to nothing beyond the vectors the caller owns.
 */
class LargeLayerMemoryTest {
    private static final int M = 4096;
    private static final int N = 4096;
    /** Budget for everything the operator allocates itself (the vectors are the caller's). */
    private static final long OPERATOR_BUDGET_BYTES = 64 * 1024;

    /**
     * Runs the operator path of the measured calls, on a 64×64 layer, until the JIT has compiled
     * it. Interpreted and C1 code of the Vector-API outer product box every vector (megabytes for a
     * 4096×4096 product) until C2 compiles the kernel; that garbage is the JIT's warm-up, not the
     * operator's, and the budget below is about the operator.
     */
    private static void warmUp(Operators ops) {
        int m = 64;
        DenseVector x = DenseVector.zeros(m).fill(0.25);
        DenseVector vecV = DenseVector.zeros(m * m);
        DenseVector out = DenseVector.zeros(m);
        DenseVector u = DenseVector.zeros(m).fill(0.5);
        LinearOperator j = ops.kronecker(ops.rowVector(x), ops.identity(m));
        for (int rep = 0; rep < 20_000; rep++) {
            j.apply(vecV, out);
            j.applyTranspose(u, vecV);
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void kroneckerOfA4096LayerAppliesWithinAFewKilobytesOfOverhead() {
        Operators ops = Operators.using(ReferenceLinearAlgebra.INSTANCE);
        Random rnd = new Random(1);
        DenseVector x = DenseVector.zeros(N);
        for (int i = 0; i < N; i++) {
            x.set(i, rnd.nextGaussian());
        }
        DenseVector vecV = DenseVector.zeros(M * N);           // 134 MB: the parameter-sized vector
        for (int i = 0; i < M * N; i += 4099) {
            vecV.set(i, 1.0);
        }
        DenseVector out = DenseVector.zeros(M);
        DenseVector u = DenseVector.zeros(M).fill(0.5);
        warmUp(ops);

        long before = allocatedBytes();
        LinearOperator j = ops.kronecker(ops.rowVector(x), ops.identity(M));
        j.apply(vecV, out);                                     // V x: one gemv
        j.applyTranspose(u, vecV);                              // vec(u xᵀ): one rank-1 update
        long used = allocatedBytes() - before;

        assertTrue(used < OPERATOR_BUDGET_BYTES, "operator allocated " + used + " B; budget " + OPERATOR_BUDGET_BYTES + " B");
        assertEquals((long) M * N * M * 8, 549_755_813_888L, "dense size of the Jacobian");
        assertEquals(N, j.storedDoubles(), "the structure holds x only");
        assertEquals(0.5 * x.get(N - 1), vecV.get(M * N - 1), 1e-15, "vec(u xᵀ), last entry");
        MaterializationTooLargeException e = assertThrows(MaterializationTooLargeException.class, j::toDense);
        assertTrue(e.getMessage().contains("549.8 GB"), e.getMessage());
    }
}
