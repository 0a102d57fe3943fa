package dev.kronograd.backend.ejml;

import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.Transpose;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * {@link LinearAlgebra} on EJML 0.46.1 ({@code ejml-ddense}), pure Java.
 *
 * <p><b>gemm</b>, C = α·op(A)·op(B) + β·C with op(A) m×k, op(B) k×n, C m×n, runs on EJML's
 * row-major kernels through the identity "a column-major r×c array is the row-major c×r matrix of
 * its transpose": Cᵀ = op(B)ᵀ·op(A)ᵀ, which is {@code mult}, {@code multTransA},
 * {@code multTransB} or {@code multTransAB} on the very same arrays (β = 0: {@code mult(α, …)},
 * which overwrites C without reading it; β = 1: {@code multAdd(α, …)}; otherwise C is scaled by β
 * first, then {@code multAdd}). Routes by the work m·n·k, measured with JMH on a 2-core AMD EPYC
 * (docs/backends.md):
 * <ul>
 *   <li>m·n·k ≥ {@value #CONCURRENT_MIN_WORK} (128³), with more than one processor:
 *       EJML's multi-threaded {@code CommonOps_MT_DDRM} (its own fork-join pool);</li>
 *   <li>m·n·k ≥ {@value #EJML_MIN_WORK} (≈ 192³) on a single processor: EJML's single-threaded
 *       {@code CommonOps_DDRM};</li>
 *   <li>below: plain Java loops. EJML's unblocked kernels only overtake simple column-major loops
 *       somewhere between n = 128 and n = 256 (and its wrapping costs more than the arithmetic of
 *       a tiny product), so small and medium products are faster without it.</li>
 * </ul>
 *
 * <p>EJML's {@code DMatrixRMaj} has neither offset nor leading dimension: an operand is wrapped
 * without copying when its offset is 0 and its leading dimension equals its row count (a longer
 * array is fine: EJML only touches the first rows·cols elements). Other operands are packed into
 * a contiguous scratch array of the calling thread — O(rows·cols) copying against O(m·n·k)
 * arithmetic, the packing BLAS implementations do internally — and C is copied back.
 *
 * <p>Level-1 and level-2 operations (gemv, ger, axpy, dot, scal, copy) always run Java loops:
 * EJML has no kernels with offsets and increments, and its row-major vector kernels are the same
 * loops; ours handle four columns per pass and use independent partial sums (measured 1.3–6×
 * faster than the reference loops, and never slower down to n = 2).
 *
 * <p>Thread-safe. Packing buffers are kept per thread and re-used (see {@link #scratch}), so a
 * steady training loop allocates no operand-sized memory.
 */
public final class EjmlLinearAlgebra extends LinearAlgebra {

    /** gemm with m·n·k at least this uses EJML's single-threaded kernels (below: Java loops), unless the multi-threaded route applies. */
    public static final long EJML_MIN_WORK = 192L * 192 * 192;

    /** gemm with m·n·k at least this uses EJML's multi-threaded kernels, when there is more than one processor. */
    public static final long CONCURRENT_MIN_WORK = 128L * 128 * 128;

    private final long ejmlMinWork;
    private final long concurrentMinWork;

    /** The backend with the measured thresholds. */
    public EjmlLinearAlgebra() {
        this(EJML_MIN_WORK, Runtime.getRuntime().availableProcessors() > 1 ? CONCURRENT_MIN_WORK : Long.MAX_VALUE);
    }

    /**
     * With explicit gemm routing thresholds, for tuning on other hardware (and for tests that force
     * one route): from m·n·k ≥ {@code concurrentMinWork} EJML's multi-threaded kernels, else from
     * {@code ejmlMinWork} its single-threaded ones, else Java loops; {@link Long#MAX_VALUE}
     * disables a route.
     */
    public EjmlLinearAlgebra(long ejmlMinWork, long concurrentMinWork) {
        this.ejmlMinWork = ejmlMinWork;
        this.concurrentMinWork = concurrentMinWork;
    }

    @Override
    public String name() {
        return "ejml";
    }

    @Override
    protected void gemmKernel(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                              double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                              double beta, double[] c, int cOff, int ldc) {
        boolean ta = transA == Transpose.T;
        boolean tb = transB == Transpose.T;
        long work = (long) m * n * k;
        boolean concurrent = work >= concurrentMinWork;
        if (!concurrent && work < ejmlMinWork) {
            JavaKernels.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        // Row-major views of the stored arrays: at = Aᵀ, bt = Bᵀ, ct = Cᵀ.
        DMatrixRMaj at = transposedView(a, aOff, lda, ta ? k : m, ta ? m : k, true, 0);
        DMatrixRMaj bt = transposedView(b, bOff, ldb, tb ? n : k, tb ? k : n, true, 1);
        DMatrixRMaj ct = transposedView(c, cOff, ldc, m, n, beta != 0, 2);
        // Cᵀ = op(B)ᵀ·op(A)ᵀ with op(B)ᵀ = tb ? btᵀ : bt and op(A)ᵀ = ta ? atᵀ : at.
        if (beta == 0) {
            multiply(concurrent, tb, ta, alpha, bt, at, ct);
        } else {
            if (beta != 1) {
                CommonOps_DDRM.scale(beta, ct);
            }
            multiplyAdd(concurrent, tb, ta, alpha, bt, at, ct);
        }
        if (ct.data != c) {
            for (int j = 0; j < n; j++) {
                System.arraycopy(ct.data, j * m, c, cOff + j * ldc, m);
            }
        }
    }

    /** ct = α·X·Y with X = transX ? xᵀ : x, Y = transY ? yᵀ : y (overwrites ct without reading it). */
    private static void multiply(boolean concurrent, boolean transX, boolean transY, double alpha,
                                 DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj ct) {
        if (concurrent) {
            if (transX) {
                if (transY) {
                    CommonOps_MT_DDRM.multTransAB(alpha, x, y, ct);
                } else {
                    CommonOps_MT_DDRM.multTransA(alpha, x, y, ct);
                }
            } else if (transY) {
                CommonOps_MT_DDRM.multTransB(alpha, x, y, ct);
            } else {
                CommonOps_MT_DDRM.mult(alpha, x, y, ct);
            }
        } else if (transX) {
            if (transY) {
                CommonOps_DDRM.multTransAB(alpha, x, y, ct);
            } else {
                CommonOps_DDRM.multTransA(alpha, x, y, ct);
            }
        } else if (transY) {
            CommonOps_DDRM.multTransB(alpha, x, y, ct);
        } else {
            CommonOps_DDRM.mult(alpha, x, y, ct);
        }
    }

    /** ct += α·X·Y with X = transX ? xᵀ : x, Y = transY ? yᵀ : y. */
    private static void multiplyAdd(boolean concurrent, boolean transX, boolean transY, double alpha,
                                    DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj ct) {
        if (concurrent) {
            if (transX) {
                if (transY) {
                    CommonOps_MT_DDRM.multAddTransAB(alpha, x, y, ct);
                } else {
                    CommonOps_MT_DDRM.multAddTransA(alpha, x, y, ct);
                }
            } else if (transY) {
                CommonOps_MT_DDRM.multAddTransB(alpha, x, y, ct);
            } else {
                CommonOps_MT_DDRM.multAdd(alpha, x, y, ct);
            }
        } else if (transX) {
            if (transY) {
                CommonOps_DDRM.multAddTransAB(alpha, x, y, ct);
            } else {
                CommonOps_DDRM.multAddTransA(alpha, x, y, ct);
            }
        } else if (transY) {
            CommonOps_DDRM.multAddTransB(alpha, x, y, ct);
        } else {
            CommonOps_DDRM.multAdd(alpha, x, y, ct);
        }
    }

    /**
     * The column-major rows×cols matrix at (data, off, ld) as EJML's row-major cols×rows matrix of
     * its transpose: the array itself when it is laid out contiguously from index 0, otherwise a
     * packed copy (filled only when {@code read}, i.e. when the old contents matter).
     */
    private static DMatrixRMaj transposedView(double[] data, int off, int ld, int rows, int cols, boolean read, int slot) {
        if (off == 0 && ld == rows) {
            return DMatrixRMaj.wrap(cols, rows, data);
        }
        double[] packed = scratch(slot, rows * cols);
        if (read) {
            for (int j = 0; j < cols; j++) {
                System.arraycopy(data, off + j * ld, packed, j * rows, rows);
            }
        }
        return DMatrixRMaj.wrap(cols, rows, packed);
    }

    /**
     * Packing buffer {@code slot} (0: A, 1: B, 2: C) of the calling thread, at least {@code length}
     * long. Re-used from call to call: a network's later layers have W and their gradient slice at an
     * offset in θ, so every training step packs them, and fresh arrays cost 8 MB each at 1024×1024
     * (measured: 50 MB allocated per step of a 3×1024 network, now none). Each thread keeps its
     * largest buffers (up to three operands' worth) until it ends.
     */
    private static double[] scratch(int slot, int length) {
        double[][] buffers = SCRATCH.get();
        if (buffers[slot] == null || buffers[slot].length < length) {
            buffers[slot] = new double[length];
        }
        return buffers[slot];
    }

    /** Per-thread packing buffers, see {@link #scratch}. Only the calling thread touches its own. */
    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[3][]);

    @Override
    protected void gemvKernel(Transpose trans, int m, int n, double alpha, double[] a, int aOff, int lda,
                              double[] x, int xOff, int incx, double beta, double[] y, int yOff, int incy) {
        JavaKernels.gemv(trans == Transpose.T, m, n, alpha, a, aOff, lda, x, xOff, incx, beta, y, yOff, incy);
    }

    @Override
    protected void gerKernel(int m, int n, double alpha, double[] x, int xOff, int incx,
                             double[] y, int yOff, int incy, double[] a, int aOff, int lda) {
        JavaKernels.ger(m, n, alpha, x, xOff, incx, y, yOff, incy, a, aOff, lda);
    }

    @Override
    protected void axpyKernel(int n, double alpha, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        JavaKernels.axpy(n, alpha, x, xOff, incx, y, yOff, incy);
    }

    @Override
    protected double dotKernel(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        return JavaKernels.dot(n, x, xOff, incx, y, yOff, incy);
    }

    @Override
    protected void scalKernel(int n, double alpha, double[] x, int xOff, int incx) {
        JavaKernels.scal(n, alpha, x, xOff, incx);
    }

    @Override
    protected void copyKernel(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        JavaKernels.copy(n, x, xOff, incx, y, yOff, incy);
    }

    /**
     * Cholesky solve with EJML's {@code LinearSolverFactory_DDRM.chol}: A (symmetric, lower
     * triangle read) and B are packed row-major, solved, and X is written back into B.
     */
    @Override
    protected void posvKernel(int n, int nrhs, double[] a, int aOff, int lda, double[] b, int bOff, int ldb) {
        DMatrixRMaj matrix = new DMatrixRMaj(n, n);
        for (int j = 0; j < n; j++) {
            for (int i = j; i < n; i++) {
                double v = a[aOff + i + j * lda];
                matrix.unsafe_set(i, j, v);
                matrix.unsafe_set(j, i, v);
            }
        }
        DMatrixRMaj rhs = new DMatrixRMaj(n, nrhs);
        for (int j = 0; j < nrhs; j++) {
            for (int i = 0; i < n; i++) {
                rhs.unsafe_set(i, j, b[bOff + i + j * ldb]);
            }
        }
        LinearSolverDense<DMatrixRMaj> cholesky = LinearSolverFactory_DDRM.chol(n);
        if (!cholesky.setA(matrix)) {
            throw new ArithmeticException("posv: the matrix is not positive definite (EJML's Cholesky decomposition failed)");
        }
        DMatrixRMaj x = new DMatrixRMaj(n, nrhs);
        cholesky.solve(rhs, x);
        for (int j = 0; j < nrhs; j++) {
            for (int i = 0; i < n; i++) {
                b[bOff + i + j * ldb] = x.unsafe_get(i, j);
            }
        }
    }
}
