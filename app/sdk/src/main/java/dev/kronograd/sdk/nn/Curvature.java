package dev.kronograd.sdk.nn;

import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.ShapeMismatchException;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.Transpose;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.MaterializationLimit;
import dev.kronograd.core.operator.Operators;
import dev.kronograd.core.operator.SparseMatrix;

import java.util.ArrayList;
import java.util.List;

/**
 * Second-order derivatives of a network's loss on one batch, in Kronecker form and matrix-free.
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
 * the generalised Gauss–Newton (GGN). Every operator here is composed from the core algebra and
 * applies at the cost of a few GEMMs — {@code O(B(mn + m²))} for a layer, never {@code O(m²n²)}.
 * Network-wide products use Pearlmutter's R-operator (exact Hessian) and JVP → ∇²ℓ → VJP (GGN).
 *
 * <p>Holds its own workspace: immutable after construction and safe to share for reading, as long
 * as the network's parameters do not change.
 */
public final class Curvature {
    private final Network net;
    private final Operators ops;
    private final LinearAlgebra la;
    private final List<LayerEvaluation> evals;
    private final DenseMatrix[] outputGradient; // ∂L/∂A_k
    private final DenseMatrix[] delta;          // Δ_k = σ'_k ⊙ ∂L/∂A_k
    private final DenseMatrix[] second;         // σ''(Z_k)
    private final DenseVector gradient;
    private final LossHessianOperator lossHessian;
    private final double value;
    private final int batch;

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
     * not change while the returned object is in use.
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

    // ---- layer operators ----------------------------------------------------------------------

    /** M_k of the exact Hessian (mB × mB, block diagonal over samples). */
    public LinearOperator curvatureOfPreActivation(int k, boolean gaussNewton) {
        checkLayer(k);
        LayerEvaluation e = evals.get(k);
        LinearOperator core;
        if (k == evals.size() - 1) {
            core = ops.compose(e.sigmaPrime, lossHessian, e.sigmaPrime);
        } else {
            LayerEvaluation next = evals.get(k + 1);
            core = ops.compose(e.sigmaPrime, next.inputLinear.transpose(), curvatureOfPreActivation(k + 1, gaussNewton), next.inputLinear,
                    e.sigmaPrime);
        }
        if (gaussNewton) {
            return core;
        }
        DenseVector s = DenseVector.zeros(e.z.rows() * batch);
        la.mul(second[k].vec(), outputGradient[k].vec(), s);
        return ops.sum(core, ops.diagonal(s));
    }

    /** The exact Hessian of L with respect to θ_k: {@code K_kᵀ M_k K_k = Σ_i (ā_i ā_iᵀ) ⊗ M_{k,i}}. */
    public LinearOperator layerHessian(int k) {
        LayerEvaluation e = evals.get(checkLayer(k));
        return ops.compose(e.linear.transpose(), curvatureOfPreActivation(k, false), e.linear);
    }

    /** The GGN block of θ_k: {@code K_kᵀ M̃_k K_k} (M without the σ'' terms); positive semi-definite for convex losses. */
    public LinearOperator layerGaussNewton(int k) {
        LayerEvaluation e = evals.get(checkLayer(k));
        return ops.compose(e.linear.transpose(), curvatureOfPreActivation(k, true), e.linear);
    }

    /**
     * The same Hessian written out as the sum of Kronecker products {@code Σ_i (ā_i ā_iᵀ) ⊗ M_{k,i}},
     * with each m×m block M_{k,i} materialised (m_k² B doubles): for inspection and small cases.
     */
    public LinearOperator layerHessianKroneckerSum(int k, boolean gaussNewton) {
        LayerEvaluation e = evals.get(checkLayer(k));
        int m = e.layer.outputs();
        int n = e.layer.inputs();
        List<DenseMatrix> blocks = sampleBlocks(curvatureOfPreActivation(k, gaussNewton), m);
        List<LinearOperator> terms = new ArrayList<>();
        for (int s = 0; s < batch; s++) {
            DenseVector aBar = DenseVector.zeros(n + 1);
            aBar.slice(0, n).setFrom(e.input.column(s));
            aBar.set(n, 1.0);
            LinearOperator outer = ops.compose(ops.columnVector(aBar), ops.rowVector(aBar));
            terms.add(ops.kronecker(outer, ops.dense(blocks.get(s))));
        }
        return ops.sum(terms.toArray(new LinearOperator[0]));
    }

    /** The m×m diagonal blocks of a block-diagonal (mB × mB) operator, with m products. */
    private List<DenseMatrix> sampleBlocks(LinearOperator blockDiagonal, int m) {
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

    // ---- network-wide products ----------------------------------------------------------------

    /** H v for the whole network's θ, exact, by Pearlmutter's R-operator (forward-over-reverse). */
    public DenseVector hessianVectorProduct(DenseVector v) {
        return product(v, false);
    }

    /** G v for the whole network's θ: J_θᵀ ∇²ℓ J_θ v (JVP, loss Hessian, VJP). */
    public DenseVector gaussNewtonVectorProduct(DenseVector v) {
        return product(v, true);
    }

    private DenseVector product(DenseVector v, boolean gaussNewton) {
        ShapeMismatchException.requireLength("vector", v.length(), "the network's θ", net.parameterCount());
        int layers = evals.size();
        DenseMatrix[] zDot = new DenseMatrix[layers];
        DenseMatrix[] aDot = new DenseMatrix[layers];
        // R-forward: Ż_k = V_k Ā_{k−1} + c_k 1ᵀ + W_k Ȧ_{k−1};  Ȧ_k = σ'_k ⊙ Ż_k
        for (int k = 0; k < layers; k++) {
            LayerEvaluation e = evals.get(k);
            DenseLayer l = e.layer;
            zDot[k] = DenseMatrix.zeros(l.outputs(), batch);
            e.linear.apply(v.slice(l.parameterOffset(), l.parameterCount()), zDot[k].vec());
            if (k > 0) {
                DenseVector through = e.inputLinear.apply(aDot[k - 1].vec());
                la.axpy(1.0, through, zDot[k].vec());
            }
            aDot[k] = DenseMatrix.zeros(l.outputs(), batch);
            e.sigmaPrime.apply(zDot[k].vec(), aDot[k].vec());
        }
        // R{∂L/∂A_L} = ∇²ℓ Ȧ_L
        DenseMatrix rg = DenseMatrix.zeros(net.outputs(), batch);
        lossHessian.apply(aDot[layers - 1].vec(), rg.vec());
        DenseVector out = DenseVector.zeros(net.parameterCount());
        for (int k = layers - 1; k >= 0; k--) {
            LayerEvaluation e = evals.get(k);
            DenseLayer l = e.layer;
            int m = l.outputs();
            // R{Δ_k} = σ''_k ⊙ Ż_k ⊙ G_k + σ'_k ⊙ R{G_k}   (the GGN keeps only the second term)
            DenseMatrix rDelta = DenseMatrix.zeros(m, batch);
            e.sigmaPrime.apply(rg.vec(), rDelta.vec());
            if (!gaussNewton) {
                DenseVector t = DenseVector.zeros(m * batch);
                la.mul(second[k].vec(), zDot[k].vec(), t);
                la.mul(t, outputGradient[k].vec(), t);
                la.axpy(1.0, t, rDelta.vec());
            }
            DenseVector outK = out.slice(l.parameterOffset(), l.parameterCount());
            e.linear.applyTranspose(rDelta.vec(), outK);             // R{Δ_k} Ā_{k−1}ᵀ
            if (!gaussNewton && k > 0) {
                // + Δ_k R{Ā_{k−1}}ᵀ, with R{Ā} = [Ȧ_{k−1}; 0ᵀ]: only the W block changes.
                la.multiply(Transpose.N, Transpose.T, 1.0, delta[k], aDot[k - 1], 1.0, outK.slice(0, m * l.inputs()).unvec(m, l.inputs()));
            }
            if (k > 0) {
                // R{G_{k−1}} = W_kᵀ R{Δ_k} + V_kᵀ Δ_k   (the GGN keeps only the first term)
                DenseMatrix next = DenseMatrix.zeros(l.inputs(), batch);
                e.inputLinear.applyTranspose(rDelta.vec(), next.vec());
                if (!gaussNewton) {
                    DenseMatrix vW = v.slice(l.parameterOffset(), m * l.inputs()).unvec(m, l.inputs());
                    la.multiply(Transpose.T, Transpose.N, 1.0, vW, delta[k], 1.0, next);
                }
                rg = next;
            }
        }
        return out;
    }

    /** The network's exact Hessian ∇²_θ L as a symmetric P×P operator (each apply is one R-operator pass). */
    public LinearOperator hessian() {
        return new ProductOperator(false);
    }

    /** The network's GGN J_θᵀ ∇²ℓ J_θ as a symmetric P×P operator. */
    public LinearOperator gaussNewton() {
        return new ProductOperator(true);
    }

    // ---- KFAC ---------------------------------------------------------------------------------

    /**
     * KFAC factors of layer k: {@code A = (1/B) Σ_i ā_i ā_iᵀ} ((n+1)×(n+1)) and
     * {@code G = (1/B) Σ_i M̃_{k,i}} (m×m), the back-propagated Gauss–Newton curvature of the
     * pre-activation; the layer's GGN block is approximated by {@code B·(A ⊗ G)}.
     *
     * @param a the input factor A
     * @param g the output factor G
     */
    public record KfacFactors(DenseMatrix a, DenseMatrix g) {
    }

    /** The KFAC factors of layer k. */
    public KfacFactors kfacFactors(int k) {
        LayerEvaluation e = evals.get(checkLayer(k));
        int n = e.layer.inputs();
        int m = e.layer.outputs();
        DenseMatrix aBar = DenseMatrix.zeros(n + 1, batch);
        aBar.block(0, 0, n, batch).setFrom(e.input);
        aBar.block(n, 0, 1, batch).fill(1.0);
        DenseMatrix a = DenseMatrix.zeros(n + 1, n + 1);
        la.multiply(Transpose.N, Transpose.T, 1.0 / batch, aBar, aBar, 0.0, a);
        DenseMatrix g = DenseMatrix.zeros(m, m);
        for (DenseMatrix block : sampleBlocks(curvatureOfPreActivation(k, true), m)) {
            la.axpy(1.0 / batch, block.vec(), g.vec());
        }
        return new KfacFactors(a, g);
    }

    /**
     * The damped KFAC-preconditioned gradient: per layer {@code ((A + λI)⁻¹ ⊗ (G + λI)⁻¹) vec(dW̄)
     * = vec((G + λI)⁻¹ dW̄ (A + λI)⁻¹)} with dW̄ = [dW, db] — two small Cholesky solves through
     * the backend, never the big inverse.
     */
    public DenseVector kfacPreconditionedGradient(double damping) {
        if (!(damping > 0) || !Double.isFinite(damping)) {
            throw new IllegalArgumentException("damping λ must be a positive finite number, was " + damping);
        }
        DenseVector out = DenseVector.zeros(net.parameterCount());
        for (int k = 0; k < evals.size(); k++) {
            DenseLayer l = evals.get(k).layer;
            int m = l.outputs();
            int n1 = l.inputs() + 1;
            KfacFactors f = kfacFactors(k);
            addDiagonal(f.a(), damping);
            addDiagonal(f.g(), damping);
            // Y = (G + λI)⁻¹ dW̄   (m × (n+1))
            DenseMatrix y = gradient.slice(l.parameterOffset(), l.parameterCount()).unvec(m, n1).copy();
            la.posv(m, n1, f.g().data(), 0, m, y.data(), 0, m);
            // Pᵀ = (A + λI)⁻¹ Yᵀ   ((n+1) × m), A symmetric
            DenseMatrix pt = y.transposeCopy();
            la.posv(n1, m, f.a().data(), 0, n1, pt.data(), 0, n1);
            out.slice(l.parameterOffset(), l.parameterCount()).unvec(m, n1).setFrom(pt.transposeCopy());
        }
        return out;
    }

    private static void addDiagonal(DenseMatrix m, double lambda) {
        for (int i = 0; i < m.rows(); i++) {
            m.set(i, i, m.get(i, i) + lambda);
        }
    }

    private int checkLayer(int k) {
        if (k < 0 || k >= evals.size()) {
            throw new IndexOutOfBoundsException("layer " + k + " does not exist; the network has " + evals.size() + " layers (0–"
                    + (evals.size() - 1) + ")");
        }
        return k;
    }

    /** A symmetric P×P operator applied through {@link #product}. */
    private final class ProductOperator implements LinearOperator {
        private final boolean gaussNewton;

        ProductOperator(boolean gaussNewton) {
            this.gaussNewton = gaussNewton;
        }

        @Override
        public int rows() {
            return net.parameterCount();
        }

        @Override
        public int cols() {
            return net.parameterCount();
        }

        @Override
        public void apply(DenseVector v, DenseVector out) {
            LinearOperator.checkApply(this, v, out);
            out.setFrom(product(v, gaussNewton));
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
            return MaterializationLimit.saturatingMultiply(rows(), cols());
        }

        @Override
        public long storedDoubles() {
            return net.parameterCount();
        }

        @Override
        public String describe() {
            return gaussNewton ? "Jᵀ∇²ℓJ(" + rows() + ")" : "∇²L(" + rows() + ")";
        }

        @Override
        public SparseMatrix toSparse(MaterializationLimit limit) {
            limit.checkSparse(this);
            DenseMatrix d = toDense(limit);
            int p = rows();
            int[] ptr = new int[p + 1];
            int[] idx = new int[p * p];
            for (int j = 0; j < p; j++) {
                for (int i = 0; i < p; i++) {
                    idx[j * p + i] = i;
                }
                ptr[j + 1] = (j + 1) * p;
            }
            return SparseMatrix.of(p, p, ptr, idx, d.vec().toArray());
        }
    }
}
