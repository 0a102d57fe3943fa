package dev.kronograd.sdk.nn;

import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.Transpose;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.MaterializationLimit;
import dev.kronograd.core.operator.Operators;
import dev.kronograd.core.operator.SparseMatrix;

import java.util.ArrayList;
import java.util.List;

/**
 * A network's loss on one batch, evaluated once, as the point at which its curvatures are taken:
 * each curvature is its own {@link CurvatureOperator} type.
 *
 * <pre>
 *   {@link #hessian()}  ∇²_θ L                                   {@link HessianOperator}, exact (Pearlmutter's R-operator)
 *   {@link #ggn()}      J_θᵀ ∇²ℓ J_θ                             {@link GgnOperator}, the generalised Gauss–Newton
 *   {@link #kfac()}     ⊕_k A_k ⊗ G_k                            {@link KfacOperator}, Kronecker-factored, applied by the vec trick
 *   {@link #ekfac()}    ⊕_k (Q_A ⊗ Q_G) diag(S_k) (Q_A ⊗ Q_G)ᵀ      {@link KroneckerEigenOperator}, eigenvalue-corrected KFAC
 * </pre>
 *
 * <p>Layer k's pre-activation is linear in its parameters, {@code vec Z_k = K_k θ_k} with
 * {@code K_k = X̄_{k−1}ᵀ ⊗ I_m}, so the exact Hessian of L with respect to θ_k is
 *
 * <pre>
 *   H_k = K_kᵀ M_k K_k = Σ_i (ā_i ā_iᵀ) ⊗ M_{k,i}
 *   M_L = D_L ∇²ℓ D_L + diag(σ''_L ⊙ ∂L/∂A_L)
 *   M_k = D_k (I_B ⊗ W_{k+1})ᵀ M_{k+1} (I_B ⊗ W_{k+1}) D_k + diag(σ''_k ⊙ ∂L/∂A_k)
 * </pre>
 *
 * with {@code D_k = diag(σ'_k)} and M block diagonal over samples. Dropping the σ'' terms gives
 * the GGN's {@code M̃_k}. Every layer operator is composed from the core algebra and applies at the
 * cost of a few GEMMs — {@code O(B(mn + m²))} for a layer, never {@code O(m²n²)}.
 *
 * <p>Holds the forward and backward pass (σ', σ'', ∂L/∂A_k, Δ_k) the operators share: immutable
 * after construction and safe to share for reading, as long as the network's parameters do not
 * change.
 */
public final class Curvature {
    // Package-private: the operators of this package read the evaluation; nothing writes it.
    final Network net;
    final Operators ops;
    final LinearAlgebra la;
    final List<LayerEvaluation> evals;
    final DenseMatrix[] outputGradient; // ∂L/∂A_k
    final DenseMatrix[] delta;          // Δ_k = σ'_k ⊙ ∂L/∂A_k
    final DenseMatrix[] second;         // σ''(Z_k)
    final LossHessianOperator lossHessian;
    final int batch;
    private final DenseVector gradient;
    private final double value;

    private Curvature(Network net, DenseMatrix x, Loss loss, DenseMatrix targets) {
        this.net = net;
        this.ops = net.operators();
        this.la = ops.linearAlgebra();
        BatchWorkspace ws = net.newWorkspace();
        this.gradient = DenseVector.zeros(net.parameterCount());
        this.value = net.gradient(x, loss, targets, ws, gradient);
        this.evals = ws.layers();
        this.batch = x.cols();
        int layers = evals.size();
        outputGradient = new DenseMatrix[layers];
        delta = new DenseMatrix[layers];
        second = new DenseMatrix[layers];
        DenseMatrix y = targets.copy();
        for (int k = 0; k < layers; k++) {
            LayerEvaluation e = evals.get(k);
            delta[k] = e.upstream.copy();
            second[k] = DenseMatrix.zeros(e.z.rows(), e.z.cols());
            e.layer.activation().secondDerivatives(e.z.data(), 0, second[k].data(), 0, (int) e.z.size());
        }
        LayerEvaluation last = evals.get(layers - 1);
        outputGradient[layers - 1] = DenseMatrix.zeros(last.output.rows(), batch);
        loss.valueAndGradient(last.output, y, outputGradient[layers - 1]);
        for (int k = layers - 1; k > 0; k--) {
            outputGradient[k - 1] = DenseMatrix.zeros(evals.get(k - 1).output.rows(), batch);
            la.multiply(Transpose.T, Transpose.N, 1.0, evals.get(k).layer.weights(), delta[k], 0.0, outputGradient[k - 1]);
        }
        this.lossHessian = new LossHessianOperator(loss, last.output, y);
    }

    /**
     * Evaluates the network on a batch and prepares its curvature. The network's parameters must
     * not change while the returned object, or an operator taken from it, is in use.
     *
     * @param x       the inputs, n×B. Not modified.
     * @param targets the targets, one column per sample. Not modified (copied).
     */
    public static Curvature at(Network net, DenseMatrix x, Loss loss, DenseMatrix targets) {
        return new Curvature(net, x, loss, targets);
    }

    /** L at this point. */
    public double loss() {
        return value;
    }

    /** ∇_θ L at this point (a copy is not made; do not modify). */
    public DenseVector gradient() {
        return gradient;
    }

    /** ∇²_F L, block diagonal over samples. */
    public LinearOperator lossHessian() {
        return lossHessian;
    }

    /** Number of layers of the network: the blocks of every curvature operator. */
    public int layers() {
        return evals.size();
    }

    /** The network's exact Hessian ∇²_θ L (P×P); each product is one R-operator pass. */
    public HessianOperator hessian() {
        return new HessianOperator(this);
    }

    /** The network's generalised Gauss–Newton matrix J_θᵀ ∇²ℓ J_θ (P×P); each product is JVP → ∇²ℓ → VJP. */
    public GgnOperator ggn() {
        return new GgnOperator(this);
    }

    /**
     * The KFAC approximation {@code ⊕_k A_k ⊗ G_k} (P×P). Computes every layer's factors now: the
     * GGN's pre-activation curvature of layer k is applied m_k times.
     */
    public KfacOperator kfac() {
        return KfacOperator.at(this);
    }

    /**
     * EKFAC, the eigenvalue-corrected KFAC (George et al. 2018), with the same scaling as
     * {@link #kfac()} (the mean loss's GGN): KFAC's Kronecker eigenbasis {@code Q_A ⊗ Q_G}, with the
     * eigenvalues replaced by the diagonal of the exact GGN block in that basis,
     *
     * <pre>
     *   S_k[r, j] = (1/B) Σ_i (q_{A,j}ᵀ ā_i)² · q_{G,r}ᵀ M̃_{k,i} q_{G,r}
     * </pre>
     *
     * (for a GGN with per-sample factorisation M̃_{k,i} = Σ_c g_c g_cᵀ this is George et al.'s
     * {@code E[(Q_Gᵀ ∇_{W̄} Q_A)²]}, with exact rather than sampled gradients). It is the diagonal
     * that minimises the Frobenius distance to the GGN block among all matrices diagonal in that
     * basis, so each block is at least as close to the exact GGN as KFAC's. Costs KFAC's factors and
     * eigendecompositions plus O(B(m_k³ + (n_k+1)²)) per layer.
     */
    public KroneckerEigenOperator ekfac() {
        KroneckerEigenOperator base = kfac().eigendecomposition();
        GgnOperator ggn = ggn();
        DenseMatrix[][] m = ggn.sampleCurvatures(0);
        int layers = evals.size();
        DenseMatrix[] qa = new DenseMatrix[layers];
        DenseMatrix[] qg = new DenseMatrix[layers];
        DenseMatrix[] s = new DenseMatrix[layers];
        int[] offsets = new int[layers];
        for (int k = 0; k < layers; k++) {
            LayerEvaluation e = evals.get(k);
            offsets[k] = e.layer.parameterOffset();
            qa[k] = base.inputBasis(k);
            qg[k] = base.outputBasis(k);
            int n1 = qa[k].rows();
            int mk = qg[k].rows();
            DenseMatrix c = DenseMatrix.zeros(n1, batch);
            la.multiply(Transpose.T, Transpose.N, 1.0, qa[k], KfacOperator.augmentedInput(e, batch), 0.0, c);
            s[k] = DenseMatrix.zeros(mk, n1);
            DenseMatrix mq = DenseMatrix.zeros(mk, mk);
            for (int i = 0; i < batch; i++) {
                la.multiply(Transpose.N, Transpose.N, 1.0, m[k][i], qg[k], 0.0, mq);
                for (int r = 0; r < mk; r++) {
                    double d = 0;
                    for (int t = 0; t < mk; t++) {
                        d += qg[k].get(t, r) * mq.get(t, r);
                    }
                    for (int j = 0; j < n1; j++) {
                        double cj = c.get(j, i);
                        s[k].set(r, j, s[k].get(r, j) + d * cj * cj / batch);
                    }
                }
            }
        }
        return new KroneckerEigenOperator(ops, net.parameterCount(), offsets, qa, qg, s, "EKFAC");
    }

    int checkLayer(int k) {
        if (k < 0 || k >= evals.size()) {
            throw new IndexOutOfBoundsException("layer " + k + " does not exist; the network has " + evals.size() + " layers (0–"
                    + (evals.size() - 1) + ")");
        }
        return k;
    }

    /** The m×m diagonal blocks of a block-diagonal (mB × mB) operator, with m products. */
    List<DenseMatrix> sampleBlocks(LinearOperator blockDiagonal, int m) {
        List<DenseMatrix> blocks = new ArrayList<>();
        for (int s = 0; s < batch; s++) {
            blocks.add(DenseMatrix.zeros(m, m));
        }
        DenseMatrix e = DenseMatrix.zeros(m, batch);
        DenseVector out = DenseVector.zeros(m * batch);
        for (int j = 0; j < m; j++) {
            for (int s = 0; s < batch; s++) {
                e.set(j, s, 1.0);
            }
            blockDiagonal.apply(e.vec(), out);
            DenseMatrix col = out.unvec(m, batch);
            for (int s = 0; s < batch; s++) {
                e.set(j, s, 0.0);
                blocks.get(s).column(j).setFrom(col.column(s));
            }
        }
        return blocks;
    }

    /**
     * The CSC matrix of a square operator that is block diagonal over the given ranges of θ (one
     * range of length P for a full matrix): every entry of each diagonal block is structural.
     * Materialised column by column through {@code op.apply}.
     */
    static SparseMatrix blockDiagonalSparse(LinearOperator op, int[] offsets, int[] lengths) {
        int p = op.cols();
        long nnz = 0;
        for (int len : lengths) {
            nnz += (long) len * len;
        }
        int[] ptr = new int[p + 1];
        int[] idx = new int[Math.toIntExact(nnz)];
        double[] val = new double[idx.length];
        DenseVector e = DenseVector.zeros(p);
        DenseVector col = DenseVector.zeros(p);
        int at = 0;
        for (int b = 0; b < offsets.length; b++) {
            for (int j = offsets[b]; j < offsets[b] + lengths[b]; j++) {
                e.set(j, 1.0);
                op.apply(e, col);
                e.set(j, 0.0);
                for (int i = offsets[b]; i < offsets[b] + lengths[b]; i++) {
                    idx[at] = i;
                    val[at++] = col.get(i);
                }
                ptr[j + 1] = at;
            }
        }
        return SparseMatrix.of(p, p, ptr, idx, val);
    }

    /** The one-block layout of a full P×P operator, for {@link #blockDiagonalSparse}. */
    static SparseMatrix fullSparse(LinearOperator op, MaterializationLimit limit) {
        limit.checkSparse(op);
        return blockDiagonalSparse(op, new int[] {0}, new int[] {op.cols()});
    }
}
