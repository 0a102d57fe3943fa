package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.Transpose;
import dev.kronograd.core.operator.KroneckerOperator;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.MaterializationLimit;
import dev.kronograd.core.operator.Operators;
import dev.kronograd.core.operator.SparseMatrix;

import java.util.ArrayList;
import java.util.List;

/**
 * The Kronecker-factored approximate curvature (KFAC) of a network's loss: block diagonal over
 * layers, each block one Kronecker product (P×P, symmetric; positive semi-definite when the loss
 * is convex in the outputs, as the GGN),
 *
 * <pre>
 *   F = ⊕_k A_k ⊗ G_k
 *   A_k = (1/B) Σ_i ā_i ā_iᵀ        ((n_k+1) × (n_k+1)), ā_i = [a_{k−1,i}; 1] layer k's input
 *   G_k = (1/B) Σ_i M̃_{k,i}         (m_k × m_k), the GGN's back-propagated pre-activation curvature
 * </pre>
 *
 * Block k approximates the GGN block {@code Σ_i (ā_i ā_iᵀ) ⊗ M̃_{k,i}} divided by B — the GGN of
 * the mean loss L/B, so that the damping λ of {@link #damped} does not scale with the batch; it is
 * exact (times B) when every sample has the same ā_i or the same M̃_{k,i}, in particular for B = 1.
 * Applied by the vec trick, never materialised: block k maps
 * {@code vec V̄ ↦ vec(G_k V̄ A_k)} (V̄ m_k × (n_k+1), A_k symmetric), two GEMMs.
 *
 * <p>{@link #eigendecomposition()} gives the same matrix in the factors' eigenbases, with exact
 * {@code (A⊗G + λI)⁻¹}, {@code log det} and trace; times B ({@code scaled(B)}) it approximates the
 * summed loss's GGN, the scaling the Laplace approximation uses (docs/curvature.md).
 *
 * <p>Immutable: the factors are computed once ({@link Curvature#kfac()}) and handed out as copies.
 */
public final class KfacOperator implements CurvatureOperator {

    /**
     * The factors of one layer.
     *
     * @param a the input factor A_k, (n_k+1) × (n_k+1)
     * @param g the output factor G_k, m_k × m_k
     */
    public record Factors(DenseMatrix a, DenseMatrix g) {
    }

    private final Operators ops;
    private final int parameterCount;
    private final int[] offsets;
    private final int[] lengths;
    private final DenseMatrix[] a;
    private final DenseMatrix[] g;
    private final KroneckerOperator[] blocks;

    private KfacOperator(Operators ops, int parameterCount, int[] offsets, DenseMatrix[] a, DenseMatrix[] g) {
        this.ops = ops;
        this.parameterCount = parameterCount;
        this.offsets = offsets;
        this.a = a;
        this.g = g;
        this.lengths = new int[a.length];
        this.blocks = new KroneckerOperator[a.length];
        for (int k = 0; k < a.length; k++) {
            lengths[k] = a[k].rows() * g[k].rows();
            blocks[k] = ops.kronecker(ops.dense(a[k]), ops.dense(g[k]));
        }
    }

    /** The factors at an evaluation point: A_k by one GEMM, G_k from m_k products with M̃_k. */
    static KfacOperator at(Curvature at) {
        LinearAlgebra la = at.la;
        int batch = at.batch;
        int layers = at.evals.size();
        GgnOperator ggn = at.ggn();
        int[] offsets = new int[layers];
        DenseMatrix[] as = new DenseMatrix[layers];
        DenseMatrix[] gs = new DenseMatrix[layers];
        for (int k = 0; k < layers; k++) {
            LayerEvaluation e = at.evals.get(k);
            int n = e.layer.inputs();
            int m = e.layer.outputs();
            offsets[k] = e.layer.parameterOffset();
            DenseMatrix aBar = augmentedInput(e, batch);
            as[k] = DenseMatrix.zeros(n + 1, n + 1);
            la.multiply(Transpose.N, Transpose.T, 1.0 / batch, aBar, aBar, 0.0, as[k]);
            gs[k] = DenseMatrix.zeros(m, m);
            for (DenseMatrix block : at.sampleBlocks(ggn.preActivationCurvature(k), m)) {
                la.axpy(1.0 / batch, block.vec(), gs[k].vec());
            }
        }
        return new KfacOperator(at.ops, at.net.parameterCount(), offsets, as, gs);
    }

    /** Ā = [A_{k−1}; 1ᵀ], (n_k+1) × B: layer k's inputs with the bias row. */
    static DenseMatrix augmentedInput(LayerEvaluation e, int batch) {
        int n = e.layer.inputs();
        DenseMatrix aBar = DenseMatrix.zeros(n + 1, batch);
        aBar.block(0, 0, n, batch).setFrom(e.input);
        aBar.block(n, 0, 1, batch).fill(1.0);
        return aBar;
    }

    /**
     * The eigendecomposition of this operator, {@code ⊕_k (Q_A ⊗ Q_G) diag(λ(G_k) λ(A_k)ᵀ) (Q_A ⊗ Q_G)ᵀ}
     * from the symmetric eigendecompositions of the factors ({@link SymmetricEigen}, Jacobi): the same
     * matrix (to rounding) with exact {@code (A⊗G + λI)⁻¹} products, {@code log det(A⊗G + λI)} and
     * trace ({@link KroneckerEigenOperator}). Same scaling as this operator (the mean loss's GGN):
     * {@code .scaled(B)} gives the summed loss's. Costs O((n_k+1)³ + m_k³) per layer and sweep.
     */
    public KroneckerEigenOperator eigendecomposition() {
        int layers = a.length;
        DenseMatrix[] qa = new DenseMatrix[layers];
        DenseMatrix[] qg = new DenseMatrix[layers];
        DenseMatrix[] s = new DenseMatrix[layers];
        for (int k = 0; k < layers; k++) {
            SymmetricEigen ea = SymmetricEigen.of(a[k]);
            SymmetricEigen eg = SymmetricEigen.of(g[k]);
            double[] la = ea.values();
            double[] lg = eg.values();
            qa[k] = ea.vectors();
            qg[k] = eg.vectors();
            s[k] = DenseMatrix.zeros(lg.length, la.length);
            for (int j = 0; j < la.length; j++) {
                for (int i = 0; i < lg.length; i++) {
                    s[k].set(i, j, lg[i] * la[j]);
                }
            }
        }
        return new KroneckerEigenOperator(ops, parameterCount, offsets, qa, qg, s, "⊕ A_k ⊗ G_k");
    }

    /**
     * Layer k's factors A_k and G_k (copies: modifying them does not change this operator).
     *
     * @throws IndexOutOfBoundsException if the network has no layer k
     */
    public Factors factors(int k) {
        checkLayer(k);
        return new Factors(a[k].copy(), g[k].copy());
    }

    @Override
    public int layers() {
        return a.length;
    }

    /** Layer k's block {@code A_k ⊗ G_k}, (m_k(n_k+1))², applied by the vec trick. */
    @Override
    public KroneckerOperator layer(int k) {
        checkLayer(k);
        return blocks[k];
    }

    /**
     * The damped approximation {@code ⊕_k (A_k + λI) ⊗ (G_k + λI)}: each factor damped, so that
     * both are positive definite and {@link #inverse()} exists.
     *
     * @param damping λ, positive and finite
     * @throws IllegalArgumentException if λ is not positive and finite
     */
    public KfacOperator damped(double damping) {
        if (!(damping > 0) || !Double.isFinite(damping)) {
            throw new IllegalArgumentException("damping λ must be a positive finite number, was " + damping);
        }
        DenseMatrix[] da = new DenseMatrix[a.length];
        DenseMatrix[] dg = new DenseMatrix[g.length];
        for (int k = 0; k < a.length; k++) {
            da[k] = plusDiagonal(a[k], damping);
            dg[k] = plusDiagonal(g[k], damping);
        }
        return new KfacOperator(ops, parameterCount, offsets, da, dg);
    }

    /**
     * {@code F⁻¹ = ⊕_k A_k⁻¹ ⊗ G_k⁻¹} (P×P, symmetric): block k maps {@code vec V̄ ↦ vec(G_k⁻¹ V̄ A_k⁻¹)},
     * two small Cholesky solves through the backend per product, never the big inverse. The
     * factors must be positive definite — take the inverse of {@link #damped} — otherwise a
     * product fails with the backend's error. {@code kfac().damped(λ).inverse().apply(gradient)}
     * is the damped KFAC-preconditioned gradient.
     */
    public LinearOperator inverse() {
        return new Inverse();
    }

    @Override
    public int rows() {
        return parameterCount;
    }

    @Override
    public int cols() {
        return parameterCount;
    }

    /** out = F v, block by block. v: length P, not modified. out: length P, overwritten. */
    @Override
    public void apply(DenseVector v, DenseVector out) {
        LinearOperator.checkApply(this, v, out);
        for (int k = 0; k < blocks.length; k++) {
            blocks[k].apply(v.slice(offsets[k], lengths[k]), out.slice(offsets[k], lengths[k]));
        }
    }

    /** Σ_k (m_k(n_k+1))²: the entries of the diagonal blocks. */
    @Override
    public long nonZeros() {
        long nnz = 0;
        for (int len : lengths) {
            nnz += MaterializationLimit.saturatingMultiply(len, len);
        }
        return nnz;
    }

    /** Σ_k (n_k+1)² + m_k²: the factors. */
    @Override
    public long storedDoubles() {
        long stored = 0;
        for (KroneckerOperator block : blocks) {
            stored += block.storedDoubles();
        }
        return stored;
    }

    @Override
    public String describe() {
        return "⊕ A_k ⊗ G_k(" + parameterCount + ")";
    }

    @Override
    public SparseMatrix toSparse(MaterializationLimit limit) {
        limit.checkSparse(this);
        return Curvature.blockDiagonalSparse(this, offsets, lengths);
    }

    private void checkLayer(int k) {
        if (k < 0 || k >= a.length) {
            throw new IndexOutOfBoundsException("layer " + k + " does not exist; the network has " + a.length + " layers (0–"
                    + (a.length - 1) + ")");
        }
    }

    private static DenseMatrix plusDiagonal(DenseMatrix m, double lambda) {
        DenseMatrix d = m.copy();
        for (int i = 0; i < d.rows(); i++) {
            d.set(i, i, d.get(i, i) + lambda);
        }
        return d;
    }

    /** ⊕_k A_k⁻¹ ⊗ G_k⁻¹ by Cholesky solves on copies of the factors (posv overwrites them). */
    private final class Inverse implements LinearOperator {

        @Override
        public int rows() {
            return parameterCount;
        }

        @Override
        public int cols() {
            return parameterCount;
        }

        @Override
        public void apply(DenseVector v, DenseVector out) {
            LinearOperator.checkApply(this, v, out);
            LinearAlgebra la = ops.linearAlgebra();
            for (int k = 0; k < blocks.length; k++) {
                int m = g[k].rows();
                int n1 = a[k].rows();
                DenseMatrix gk = g[k].copy();
                DenseMatrix ak = a[k].copy();
                // Y = G⁻¹ V̄   (m × (n+1))
                DenseMatrix y = v.slice(offsets[k], lengths[k]).unvec(m, n1).copy();
                la.posv(m, n1, gk.data(), 0, m, y.data(), 0, m);
                // Pᵀ = A⁻¹ Yᵀ   ((n+1) × m), A symmetric
                DenseMatrix pt = y.transposeCopy();
                la.posv(n1, m, ak.data(), 0, n1, pt.data(), 0, n1);
                out.slice(offsets[k], lengths[k]).unvec(m, n1).setFrom(pt.transposeCopy());
            }
        }

        @Override
        public void applyTranspose(DenseVector u, DenseVector out) {
            apply(u, out);
        }

        @Override
        public LinearOperator transpose() {
            return this;
        }

        @Override
        public long nonZeros() {
            return KfacOperator.this.nonZeros();
        }

        @Override
        public long storedDoubles() {
            return KfacOperator.this.storedDoubles();
        }

        @Override
        public String describe() {
            return "⊕ A_k⁻¹ ⊗ G_k⁻¹(" + parameterCount + ")";
        }

        @Override
        public SparseMatrix toSparse(MaterializationLimit limit) {
            limit.checkSparse(this);
            return Curvature.blockDiagonalSparse(this, offsets, lengths);
        }
    }
}
