package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.ShapeMismatchException;
import dev.kronograd.core.linalg.Transpose;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.MaterializationLimit;
import dev.kronograd.core.operator.SparseMatrix;

import java.util.ArrayList;
import java.util.List;

/**
 * What the exact Hessian and the GGN share: both are {@code K_kᵀ M_k K_k} on layer k's block,
 * with the pre-activation curvature M_k back-propagated from the loss,
 *
 * <pre>
 *   M_L = D_L ∇²ℓ D_L + S_L
 *   M_k = D_k (I_B ⊗ W_{k+1})ᵀ M_{k+1} (I_B ⊗ W_{k+1}) D_k + S_k
 * </pre>
 *
 * where the subclass supplies S_k through {@link #withActivationCurvature} (the Hessian's
 * {@code diag(σ''_k ⊙ ∂L/∂A_k)}, nothing for the GGN) and the network-wide product through
 * {@link #product}. Template method: {@link #apply} checks the lengths once, then calls the kernel.
 *
 * <p>Because layer k's block is a sum of Kronecker products {@code Σ_i (ā_i ā_iᵀ) ⊗ M_{k,i}}, its
 * diagonal, trace and Frobenius norm follow in closed form from the per-sample m_k×m_k blocks
 * M_{k,i} ({@link #layerDiagonal(int)}, {@link #layerTrace(int)}, {@link #layerFrobeniusNorm(int)}),
 * and so do the whole matrix's ({@link #diagonal()}, {@link #trace()}, {@link #frobeniusNorm()},
 * the last with the cross-layer blocks); the blocks are back-propagated densely,
 * {@code M_{k,i} = D_{k,i} W_{k+1}ᵀ M_{k+1,i} W_{k+1} D_{k,i} + S_{k,i}}, and no P×P or (mn+m)²
 * matrix is formed.
 */
abstract class BackPropagatedCurvature implements CurvatureOperator {
    final Curvature at;

    BackPropagatedCurvature(Curvature at) {
        this.at = at;
    }

    /** M_k with its activation-curvature term S_k added (or not). */
    abstract LinearOperator withActivationCurvature(int k, LinearOperator core);

    /**
     * Adds S_k's block for one sample to {@code block} (m_k×m_k, modified): the Hessian's
     * {@code diag(σ''_k ⊙ ∂L/∂A_k)} column {@code sample}, nothing for the GGN.
     */
    abstract void addActivationCurvature(int k, int sample, DenseMatrix block);

    /** {@code out = C v} over the whole θ; lengths are checked, out is zero. */
    abstract void product(DenseVector v, DenseVector out);

    @Override
    public final int layers() {
        return at.evals.size();
    }

    /**
     * The curvature of the loss with respect to layer k's pre-activation vec Z_k: M_k (mB × mB,
     * block diagonal over samples, blocks M_{k,i}), composed from σ'_k, W_{k+1} and M_{k+1}.
     *
     * @throws IndexOutOfBoundsException if the network has no layer k
     */
    public final LinearOperator preActivationCurvature(int k) {
        LayerEvaluation e = at.evals.get(at.checkLayer(k));
        LinearOperator core;
        if (k == at.evals.size() - 1) {
            core = at.ops.compose(e.sigmaPrime, at.lossHessian, e.sigmaPrime);
        } else {
            LayerEvaluation next = at.evals.get(k + 1);
            core = at.ops.compose(e.sigmaPrime, next.inputLinear.transpose(), preActivationCurvature(k + 1), next.inputLinear,
                    e.sigmaPrime);
        }
        return withActivationCurvature(k, core);
    }

    /**
     * Layer k's block {@code K_kᵀ M_k K_k}, {@code K_k = X̄_{k−1}ᵀ ⊗ I_m}: ((mn+m) × (mn+m)),
     * matrix-free; a product costs {@code O(B(mn + m²))} plus the M_k products.
     */
    @Override
    public final LinearOperator layer(int k) {
        LayerEvaluation e = at.evals.get(at.checkLayer(k));
        return at.ops.compose(e.linear.transpose(), preActivationCurvature(k), e.linear);
    }

    /**
     * Layer k's block written out as the sum of Kronecker products {@code Σ_i (ā_i ā_iᵀ) ⊗ M_{k,i}}
     * ((n+1)² ⊗ m² per term), with each m×m block M_{k,i} materialised (m_k² B doubles): for
     * inspection and small cases. Equal to {@link #layer(int)}.
     */
    public final LinearOperator layerKroneckerSum(int k) {
        LayerEvaluation e = at.evals.get(at.checkLayer(k));
        int m = e.layer.outputs();
        int n = e.layer.inputs();
        List<DenseMatrix> blocks = at.sampleBlocks(preActivationCurvature(k), m);
        List<LinearOperator> terms = new ArrayList<>();
        for (int s = 0; s < at.batch; s++) {
            DenseVector aBar = DenseVector.zeros(n + 1);
            aBar.slice(0, n).setFrom(e.input.column(s));
            aBar.set(n, 1.0);
            LinearOperator outer = at.ops.compose(at.ops.columnVector(aBar), at.ops.rowVector(aBar));
            terms.add(at.ops.kronecker(outer, at.ops.dense(blocks.get(s))));
        }
        return at.ops.sum(terms.toArray(new LinearOperator[0]));
    }

    /**
     * The diagonal of layer k's block,
     *
     * <pre>
     *   diag(C_k) = Σ_i (ā_i ∘ ā_i) ⊗ diag(M_{k,i}) = vec(Dg_k (Ā_{k−1} ∘ Ā_{k−1})ᵀ)
     * </pre>
     *
     * with {@code Dg_k} the m×B matrix whose column i is diag(M_{k,i}) and Ā_{k−1} = [A_{k−1}; 1ᵀ]
     * ((n+1)×B): length m(n+1), in θ_k's order [vec W_k; b_k] (vec stacks columns, so entry
     * {@code j·m + r} belongs to W_k[r][j], the last m entries to b_k). Costs the back-propagation
     * of the blocks M_{j,i}, j ≥ k ({@code O(B Σ_{j≥k} m_{j+1} m_j (m_{j+1} + m_j))}, plus m_L
     * loss-Hessian products), then {@code O(B m (n+1))}.
     *
     * @return a new vector of length m_k n_k + m_k
     * @throws IndexOutOfBoundsException if the network has no layer k
     */
    public final DenseVector layerDiagonal(int k) {
        at.checkLayer(k);
        return layerDiagonal(k, sampleCurvatures(k)[k]);
    }

    /**
     * The diagonal of the whole matrix (length P): the layers' {@link #layerDiagonal(int)} in θ's order
     * [θ_0; θ_1; …]. The cross-layer blocks do not touch the diagonal. One back-propagation of the
     * per-sample blocks for all layers.
     *
     * @return a new vector of length P
     */
    public final DenseVector diagonal() {
        DenseMatrix[][] blocks = sampleCurvatures(0);
        DenseVector out = DenseVector.zeros(rows());
        for (int k = 0; k < layers(); k++) {
            DenseLayer l = at.evals.get(k).layer;
            out.slice(l.parameterOffset(), l.parameterCount()).setFrom(layerDiagonal(k, blocks[k]));
        }
        return out;
    }

    /**
     * The trace of layer k's block, {@code tr(C_k) = Σ_i ‖ā_i‖² tr(M_{k,i})}; cost as
     * {@link #layerDiagonal}, then {@code O(B(m + n))}.
     *
     * @throws IndexOutOfBoundsException if the network has no layer k
     */
    public final double layerTrace(int k) {
        at.checkLayer(k);
        return layerTrace(k, sampleCurvatures(k)[k]);
    }

    /** The trace of the whole matrix, {@code Σ_k tr(C_k)}: one back-propagation of the per-sample blocks. */
    public final double trace() {
        DenseMatrix[][] blocks = sampleCurvatures(0);
        double t = 0;
        for (int k = 0; k < layers(); k++) {
            t += layerTrace(k, blocks[k]);
        }
        return t;
    }

    /**
     * The Frobenius norm of layer k's diagonal block only (not of the whole matrix, for which see
     * {@link #frobeniusNorm()}):
     *
     * <pre>
     *   ‖C_k‖_F² = Σ_{i,j} (ā_iᵀ ā_j)² tr(M_{k,i} M_{k,j})
     * </pre>
     *
     * from {@code ⟨A ⊗ B, C ⊗ D⟩_F = ⟨A, C⟩_F ⟨B, D⟩_F} and the symmetry of the blocks; cost as
     * {@link #layerDiagonal}, then {@code O(B²(m² + n))}.
     *
     * @throws IndexOutOfBoundsException if the network has no layer k
     */
    public final double layerFrobeniusNorm(int k) {
        at.checkLayer(k);
        return Math.sqrt(Math.max(layerFrobeniusSquared(k, sampleCurvatures(k)[k]), 0.0));
    }

    /**
     * The Frobenius norm of the whole matrix, {@code ‖C‖_F² = Σ_k ‖C_kk‖_F² + 2 Σ_{l>k} ‖C_lk‖_F²},
     * with the cross-layer blocks in closed form too. For l > k, with {@code P_i = ∂a_{l−1,i}/∂z_{k,i}
     * = D_{l−1} W_{l−1} ⋯ W_{k+1} D_k} (m_{l−1}×m_k), {@code u_i = ā_{l−1,i}}, {@code v_i = ā_{k−1,i}}
     * and {@code g_i = ∂L/∂z_{l,i}}, block (l, k) is
     *
     * <pre>
     *   C_lk = Σ_i (u_i v_iᵀ) ⊗ (M_{l,i} W_l P_i)  +  Σ_i T_i,   T_i[(c, r), (t, s)] = [c < n] g_{i,r} (P_i)_{cs} v_{i,t}
     * </pre>
     *
     * (rows (c, r) index W̄_l[r][c], columns (t, s) index W̄_k[s][t]): the first sum from the
     * curvature behind layer l, T from the bilinear {@code W_l a_{l−1}}, which only the exact
     * Hessian has (the GGN linearises the network, its T is zero). Each sum's squared norm is a
     * double sum over sample pairs of products of small inner products, so the cost is
     * {@code O(B² Σ_{l>k} (m_l m_k + m_{l−1} m_k + n_l + n_k))} plus {@code O(B)} small GEMMs per
     * pair; no P×P or (mn+m)² matrix is formed.
     */
    public final double frobeniusNorm() {
        DenseMatrix[][] m = sampleCurvatures(0);
        double sum = 0;
        for (int k = 0; k < layers(); k++) {
            sum += layerFrobeniusSquared(k, m[k]);
            LayerEvaluation ek = at.evals.get(k);
            int mk = ek.layer.outputs();
            DenseMatrix[] p = new DenseMatrix[at.batch];   // P_{l−1,k,i}, starting at P_{k,k,i} = D_{k,i}
            for (int s = 0; s < at.batch; s++) {
                p[s] = DenseMatrix.zeros(mk, mk);
                for (int r = 0; r < mk; r++) {
                    p[s].set(r, r, ek.derivative.get(r, s));
                }
            }
            for (int l = k + 1; l < layers(); l++) {
                sum += 2 * crossBlockSquared(l, k, m[l], p);
                LayerEvaluation el = at.evals.get(l);
                for (int s = 0; s < at.batch; s++) {
                    DenseMatrix next = DenseMatrix.zeros(el.layer.outputs(), mk);
                    at.la.multiply(Transpose.N, Transpose.N, 1.0, el.weights, p[s], 0.0, next);
                    for (int c = 0; c < mk; c++) {
                        for (int r = 0; r < next.rows(); r++) {
                            next.set(r, c, el.derivative.get(r, s) * next.get(r, c));
                        }
                    }
                    p[s] = next;
                }
            }
        }
        return Math.sqrt(Math.max(sum, 0.0));
    }

    /**
     * The weights g of the bilinear term's curvature in the cross-layer blocks (m_l × B): the
     * Hessian's {@code ∂L/∂Z_l}; zero for the GGN, which has no such term.
     */
    abstract DenseMatrix bilinearTermWeights(int l);

    /** Σ_{i,j} (ā_iᵀ ā_j)² ⟨M_i, M_j⟩_F. */
    private double layerFrobeniusSquared(int k, DenseMatrix[] m) {
        DenseMatrix xBar = at.evals.get(k).inputBar;
        double sum = 0;
        for (int i = 0; i < at.batch; i++) {
            for (int j = 0; j <= i; j++) {
                double g = columnDot(xBar, i, xBar, j, xBar.rows());
                sum += (i == j ? 1 : 2) * g * g * frobeniusInner(m[i], m[j]);
            }
        }
        return sum;
    }

    /** ‖C_lk‖_F² = Σ_{i,j} (v_iᵀ v_j) [(u_iᵀ u_j)⟨N_i, N_j⟩ + g_jᵀ N_i P_jᵀ ū_i + g_iᵀ N_j P_iᵀ ū_j + (g_iᵀ g_j)⟨P_i, P_j⟩]. */
    private double crossBlockSquared(int l, int k, DenseMatrix[] ml, DenseMatrix[] p) {
        LayerEvaluation el = at.evals.get(l);
        DenseMatrix u = el.inputBar;
        DenseMatrix v = at.evals.get(k).inputBar;
        DenseMatrix g = bilinearTermWeights(l);
        int n = el.layer.inputs();
        int mk = p[0].cols();
        DenseMatrix[] nMat = new DenseMatrix[at.batch];   // N_i = M_{l,i} W_l P_i, m_l × m_k
        for (int s = 0; s < at.batch; s++) {
            DenseMatrix wp = DenseMatrix.zeros(el.layer.outputs(), mk);
            at.la.multiply(Transpose.N, Transpose.N, 1.0, el.weights, p[s], 0.0, wp);
            nMat[s] = DenseMatrix.zeros(el.layer.outputs(), mk);
            at.la.multiply(Transpose.N, Transpose.N, 1.0, ml[s], wp, 0.0, nMat[s]);
        }
        // mixed[i][j] = g_jᵀ N_i P_jᵀ ū_i, ū_i the first n entries of u_i (the bias row has no T term)
        double[][] mixed = new double[at.batch][at.batch];
        double[] q = new double[mk];
        for (int i = 0; i < at.batch; i++) {
            for (int j = 0; j < at.batch; j++) {
                for (int s = 0; s < mk; s++) {
                    double acc = 0;
                    for (int c = 0; c < n; c++) {
                        acc += p[j].get(c, s) * u.get(c, i);
                    }
                    q[s] = acc;
                }
                double acc = 0;
                for (int s = 0; s < mk; s++) {
                    for (int r = 0; r < nMat[i].rows(); r++) {
                        acc += g.get(r, j) * nMat[i].get(r, s) * q[s];
                    }
                }
                mixed[i][j] = acc;
            }
        }
        double sum = 0;
        for (int i = 0; i < at.batch; i++) {
            for (int j = 0; j < at.batch; j++) {
                double kk = columnDot(u, i, u, j, u.rows()) * frobeniusInner(nMat[i], nMat[j]);
                double tt = columnDot(g, i, g, j, g.rows()) * frobeniusInner(p[i], p[j]);
                sum += columnDot(v, i, v, j, v.rows()) * (kk + mixed[i][j] + mixed[j][i] + tt);
            }
        }
        return sum;
    }

    private static double columnDot(DenseMatrix a, int i, DenseMatrix b, int j, int rows) {
        double acc = 0;
        for (int r = 0; r < rows; r++) {
            acc += a.get(r, i) * b.get(r, j);
        }
        return acc;
    }

    /** ⟨A, B⟩_F = Σ a_rc b_rc. */
    private static double frobeniusInner(DenseMatrix a, DenseMatrix b) {
        double acc = 0;
        for (int c = 0; c < a.cols(); c++) {
            for (int r = 0; r < a.rows(); r++) {
                acc += a.get(r, c) * b.get(r, c);
            }
        }
        return acc;
    }

    /** vec(Dg (Ā ∘ Ā)ᵀ): one GEMM, m×B times B×(n+1). */
    private DenseVector layerDiagonal(int k, DenseMatrix[] m) {
        LayerEvaluation e = at.evals.get(k);
        int rows = e.layer.outputs();
        int cols = e.layer.inputs() + 1;
        DenseMatrix diagonals = DenseMatrix.zeros(rows, at.batch);
        DenseMatrix squares = DenseMatrix.zeros(cols, at.batch);
        for (int s = 0; s < at.batch; s++) {
            for (int r = 0; r < rows; r++) {
                diagonals.set(r, s, m[s].get(r, r));
            }
            for (int j = 0; j < cols; j++) {
                double x = e.inputBar.get(j, s);
                squares.set(j, s, x * x);
            }
        }
        DenseVector out = DenseVector.zeros(rows * cols);
        at.la.multiply(Transpose.N, Transpose.T, 1.0, diagonals, squares, 0.0, out.unvec(rows, cols));
        return out;
    }

    private double layerTrace(int k, DenseMatrix[] m) {
        DenseMatrix xBar = at.evals.get(k).inputBar;
        double t = 0;
        for (int s = 0; s < at.batch; s++) {
            double normSquared = 0;
            for (int r = 0; r < xBar.rows(); r++) {
                normSquared += xBar.get(r, s) * xBar.get(r, s);
            }
            double trace = 0;
            for (int r = 0; r < m[s].rows(); r++) {
                trace += m[s].get(r, r);
            }
            t += normSquared * trace;
        }
        return t;
    }

    /**
     * The per-sample blocks M_{j,i} (m_j×m_j) for layers j = first … L−1, indexed [j][i] (null
     * below first), back-propagated densely from the loss Hessian's blocks:
     * {@code M_{L,i} = D ∇²ℓ_i D + S_{L,i}}, {@code M_{j,i} = D (W_{j+1}ᵀ M_{j+1,i} W_{j+1}) D + S_{j,i}}.
     */
    final DenseMatrix[][] sampleCurvatures(int first) {
        int last = layers() - 1;
        DenseMatrix[][] blocks = new DenseMatrix[layers()][];
        List<DenseMatrix> lossBlocks = at.sampleBlocks(at.lossHessian, at.evals.get(last).layer.outputs());
        for (int k = last; k >= first; k--) {
            LayerEvaluation e = at.evals.get(k);
            int m = e.layer.outputs();
            blocks[k] = new DenseMatrix[at.batch];
            for (int s = 0; s < at.batch; s++) {
                DenseMatrix core;
                if (k == last) {
                    core = lossBlocks.get(s);
                } else {
                    DenseMatrix w = at.evals.get(k + 1).weights;
                    DenseMatrix right = DenseMatrix.zeros(w.rows(), m);
                    at.la.multiply(Transpose.N, Transpose.N, 1.0, blocks[k + 1][s], w, 0.0, right);
                    core = DenseMatrix.zeros(m, m);
                    at.la.multiply(Transpose.T, Transpose.N, 1.0, w, right, 0.0, core);
                }
                for (int c = 0; c < m; c++) {
                    double dc = e.derivative.get(c, s);
                    for (int r = 0; r < m; r++) {
                        core.set(r, c, e.derivative.get(r, s) * core.get(r, c) * dc);
                    }
                }
                addActivationCurvature(k, s, core);
                blocks[k][s] = core;
            }
        }
        return blocks;
    }

    @Override
    public final int rows() {
        return at.net.parameterCount();
    }

    @Override
    public final int cols() {
        return at.net.parameterCount();
    }

    /**
     * {@code out = C v} for the whole network's θ. v: length P, not modified. out: length P,
     * overwritten.
     */
    @Override
    public final void apply(DenseVector v, DenseVector out) {
        ShapeMismatchException.requireLength("vector", v.length(), "the network's θ", rows());
        LinearOperator.checkApply(this, v, out);
        out.fill(0.0);
        product(v, out);
    }

    /** Dense: P² (the full matrix couples every pair of layers). */
    @Override
    public final long nonZeros() {
        return MaterializationLimit.saturatingMultiply(rows(), cols());
    }

    /** P: a product holds vectors of θ's length, never the matrix. */
    @Override
    public final long storedDoubles() {
        return rows();
    }

    @Override
    public final SparseMatrix toSparse(MaterializationLimit limit) {
        return Curvature.fullSparse(this, limit);
    }

    /** The R-forward (JVP) of v: Ż_k = V_k Ā_{k−1} + c_k 1ᵀ + W_k Ȧ_{k−1}, Ȧ_k = σ'_k ⊙ Ż_k. */
    final Tangents forward(DenseVector v) {
        int layers = at.evals.size();
        DenseMatrix[] zDot = new DenseMatrix[layers];
        DenseMatrix[] aDot = new DenseMatrix[layers];
        for (int k = 0; k < layers; k++) {
            LayerEvaluation e = at.evals.get(k);
            DenseLayer l = e.layer;
            zDot[k] = DenseMatrix.zeros(l.outputs(), at.batch);
            e.linear.apply(v.slice(l.parameterOffset(), l.parameterCount()), zDot[k].vec());
            if (k > 0) {
                DenseVector through = e.inputLinear.apply(aDot[k - 1].vec());
                at.la.axpy(1.0, through, zDot[k].vec());
            }
            aDot[k] = DenseMatrix.zeros(l.outputs(), at.batch);
            e.sigmaPrime.apply(zDot[k].vec(), aDot[k].vec());
        }
        return new Tangents(zDot, aDot);
    }

    /** ∇²ℓ Ȧ_L: the loss Hessian applied to the output's tangent (m_L × B). */
    final DenseMatrix lossHessianTimes(DenseMatrix outputTangent) {
        DenseMatrix rg = DenseMatrix.zeros(at.net.outputs(), at.batch);
        at.lossHessian.apply(outputTangent.vec(), rg.vec());
        return rg;
    }

    /** Tangents of the forward pass along v: Ż_k and Ȧ_k, each m_k × B. */
    record Tangents(DenseMatrix[] zDot, DenseMatrix[] aDot) {
    }
}
