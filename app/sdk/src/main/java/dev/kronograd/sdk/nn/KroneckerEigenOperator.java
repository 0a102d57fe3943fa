package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.Transpose;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.MaterializationLimit;
import dev.kronograd.core.operator.Operators;
import dev.kronograd.core.operator.SparseMatrix;

import java.util.function.DoubleUnaryOperator;

/**
 * A block-diagonal curvature whose layer blocks are diagonal in a Kronecker eigenbasis (P×P,
 * symmetric):
 *
 * <pre>
 *   C = ⊕_k (Q_{A,k} ⊗ Q_{G,k}) diag(vec S_k) (Q_{A,k} ⊗ Q_{G,k})ᵀ
 * </pre>
 *
 * with Q_A ((n_k+1)-square) and Q_G (m_k-square) orthogonal and S_k (m_k × (n_k+1)) the eigenvalues:
 * {@code S_k[i, j]} belongs to the eigenvector {@code q_{A,j} ⊗ q_{G,i} = vec(q_{G,i} q_{A,j}ᵀ)}. Two
 * curvatures have this form:
 *
 * <ul>
 *   <li>KFAC ({@link KfacOperator#eigendecomposition()}): Q_A, Q_G the eigenvectors of the factors A_k
 *       and G_k and {@code S_k[i, j] = λ_i(G_k) λ_j(A_k)} — the same matrix as {@link KfacOperator},
 *       now with exact inverses, log-determinants and traces;</li>
 *   <li>EKFAC ({@link Curvature#ekfac()}, George et al. 2018): the same bases, with S_k replaced by
 *       the diagonal of the exact GGN block in that basis — the best approximation diagonal in the
 *       KFAC eigenbasis in Frobenius norm, hence never further from the GGN block than KFAC.</li>
 * </ul>
 *
 * Because the basis is orthogonal, every function of the block is exact and cheap:
 * {@code f(C_k) v = vec(Q_G [f(S_k) ∘ (Q_Gᵀ V̄ Q_A)] Q_Aᵀ)} (four small GEMMs), so
 * {@link #inverse(double)} is {@code (C + λI)⁻¹} (damping added to the Kronecker product, not to
 * the factors), {@link #logDeterminant(double)} is {@code Σ log(S + λ)} and {@link #trace()} is
 * {@code Σ S}.
 *
 * <p>Immutable; holds copies of the bases and eigenvalues.
 */
public final class KroneckerEigenOperator implements CurvatureOperator {
    private final Operators ops;
    private final int parameterCount;
    private final int[] offsets;
    private final int[] lengths;
    private final DenseMatrix[] qa;
    private final DenseMatrix[] qg;
    private final DenseMatrix[] s;
    private final String name;

    KroneckerEigenOperator(Operators ops, int parameterCount, int[] offsets, DenseMatrix[] qa, DenseMatrix[] qg, DenseMatrix[] s,
                           String name) {
        this.ops = ops;
        this.parameterCount = parameterCount;
        this.offsets = offsets.clone();
        this.qa = qa;
        this.qg = qg;
        this.s = s;
        this.name = name;
        this.lengths = new int[qa.length];
        for (int k = 0; k < qa.length; k++) {
            lengths[k] = qa[k].rows() * qg[k].rows();
        }
    }

    /** Layer k's eigenvalues S_k, m_k × (n_k+1) (a copy): entry (i, j) belongs to {@code q_{A,j} ⊗ q_{G,i}}. */
    public DenseMatrix eigenvalues(int k) {
        checkLayer(k);
        return s[k].copy();
    }

    /** Layer k's input-side basis Q_A, (n_k+1)-square orthogonal (a copy). */
    public DenseMatrix inputBasis(int k) {
        checkLayer(k);
        return qa[k].copy();
    }

    /** Layer k's output-side basis Q_G, m_k-square orthogonal (a copy). */
    public DenseMatrix outputBasis(int k) {
        checkLayer(k);
        return qg[k].copy();
    }

    /**
     * This curvature times a constant c: the same bases, eigenvalues c·S. {@code scaled(B)} turns the
     * mean-loss KFAC into the summed-loss one (see {@link KfacOperator}).
     *
     * @throws IllegalArgumentException if c is not finite or negative
     */
    public KroneckerEigenOperator scaled(double c) {
        if (!(c >= 0) || !Double.isFinite(c)) {
            throw new IllegalArgumentException("the scale must be a finite non-negative number, was " + c);
        }
        DenseMatrix[] scaled = new DenseMatrix[s.length];
        for (int k = 0; k < s.length; k++) {
            scaled[k] = s[k].copy();
            DenseVector v = scaled[k].vec();
            for (int i = 0; i < v.length(); i++) {
                v.set(i, c * v.get(i));
            }
        }
        return new KroneckerEigenOperator(ops, parameterCount, offsets, qa, qg, scaled, name);
    }

    /** tr C = Σ_k Σ S_k. */
    public double trace() {
        double t = 0;
        for (int k = 0; k < s.length; k++) {
            t += layerTrace(k);
        }
        return t;
    }

    /** tr C_k = Σ S_k. */
    public double layerTrace(int k) {
        checkLayer(k);
        double t = 0;
        DenseVector v = s[k].vec();
        for (int i = 0; i < v.length(); i++) {
            t += v.get(i);
        }
        return t;
    }

    /**
     * {@code log det(C + λI) = Σ_k Σ log(S_k + λ)}.
     *
     * @throws IllegalArgumentException if λ is not finite, or some {@code S + λ ≤ 0} (C + λI is not positive definite)
     */
    public double logDeterminant(double damping) {
        double d = 0;
        for (int k = 0; k < s.length; k++) {
            d += layerLogDeterminant(k, damping);
        }
        return d;
    }

    /** {@code log det(C_k + λI) = Σ log(S_k + λ)}; errors as {@link #logDeterminant(double)}. */
    public double layerLogDeterminant(int k, double damping) {
        checkLayer(k);
        checkDamping(damping);
        double d = 0;
        DenseVector v = s[k].vec();
        for (int i = 0; i < v.length(); i++) {
            d += Math.log(positive(v.get(i) + damping, k, damping));
        }
        return d;
    }

    /**
     * {@code (C + λI)⁻¹} (P×P, symmetric), exact: block k maps
     * {@code vec V̄ ↦ vec(Q_G [(Q_Gᵀ V̄ Q_A) ⊘ (S_k + λ)] Q_Aᵀ)}.
     *
     * @param damping λ, finite, with every {@code S + λ > 0} (λ = 0 works when C is positive definite)
     * @throws IllegalArgumentException if λ is not finite or C + λI is not positive definite
     */
    public LinearOperator inverse(double damping) {
        double[] each = new double[s.length];
        java.util.Arrays.fill(each, damping);
        return inverse(each, "(" + name + " + " + damping + "I)⁻¹");
    }

    /**
     * {@code (C + D)⁻¹} with D = λ_k I on layer k's block: a damping per layer (e.g. per-layer prior
     * precisions). Exact, as {@link #inverse(double)}.
     *
     * @param layerDamping λ_k per layer, finite, each with every {@code S_k + λ_k > 0}
     * @throws IllegalArgumentException if there is not one λ per layer, one is not finite, or C + D is
     *                                  not positive definite
     */
    public LinearOperator inverse(double[] layerDamping) {
        return inverse(layerDamping, "(" + name + " + ⊕λ_k I)⁻¹");
    }

    /** {@code log det(C + D)} with D = λ_k I on layer k's block; errors as {@link #inverse(double[])}. */
    public double logDeterminant(double[] layerDamping) {
        checkLayerDamping(layerDamping);
        double d = 0;
        for (int k = 0; k < s.length; k++) {
            d += layerLogDeterminant(k, layerDamping[k]);
        }
        return d;
    }

    private LinearOperator inverse(double[] layerDamping, String description) {
        double[] damping = checkLayerDamping(layerDamping).clone();
        for (int k = 0; k < s.length; k++) {
            checkDamping(damping[k]);
            DenseVector v = s[k].vec();
            for (int i = 0; i < v.length(); i++) {
                positive(v.get(i) + damping[k], k, damping[k]);
            }
        }
        return new Function(damping, description);
    }

    private double[] checkLayerDamping(double[] layerDamping) {
        if (layerDamping.length != s.length) {
            throw new IllegalArgumentException("one damping per layer is needed: " + s.length + " layers, got " + layerDamping.length);
        }
        return layerDamping;
    }

    @Override
    public int layers() {
        return s.length;
    }

    @Override
    public LinearOperator layer(int k) {
        checkLayer(k);
        return new Block(k, x -> x);
    }

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
        for (int k = 0; k < s.length; k++) {
            applyBlock(k, x -> x, v.slice(offsets[k], lengths[k]), out.slice(offsets[k], lengths[k]));
        }
    }

    @Override
    public long nonZeros() {
        long nnz = 0;
        for (int len : lengths) {
            nnz += MaterializationLimit.saturatingMultiply(len, len);
        }
        return nnz;
    }

    @Override
    public long storedDoubles() {
        long stored = 0;
        for (int k = 0; k < s.length; k++) {
            stored += qa[k].size() + qg[k].size() + s[k].size();
        }
        return stored;
    }

    @Override
    public String describe() {
        return name + "(" + parameterCount + ")";
    }

    @Override
    public SparseMatrix toSparse(MaterializationLimit limit) {
        limit.checkSparse(this);
        return Curvature.blockDiagonalSparse(this, offsets, lengths);
    }

    private void applyBlock(int k, DoubleUnaryOperator f, DenseVector v, DenseVector out) {
        LinearAlgebra la = ops.linearAlgebra();
        int m = qg[k].rows();
        int n1 = qa[k].rows();
        DenseMatrix vBar = v.unvec(m, n1);
        DenseMatrix left = DenseMatrix.zeros(m, n1);
        la.multiply(Transpose.T, Transpose.N, 1.0, qg[k], vBar, 0.0, left);      // Q_Gᵀ V̄
        DenseMatrix rotated = DenseMatrix.zeros(m, n1);
        la.multiply(Transpose.N, Transpose.N, 1.0, left, qa[k], 0.0, rotated);   // Q_Gᵀ V̄ Q_A
        for (int j = 0; j < n1; j++) {
            for (int i = 0; i < m; i++) {
                rotated.set(i, j, f.applyAsDouble(s[k].get(i, j)) * rotated.get(i, j));
            }
        }
        la.multiply(Transpose.N, Transpose.N, 1.0, qg[k], rotated, 0.0, left);   // Q_G (…)
        la.multiply(Transpose.N, Transpose.T, 1.0, left, qa[k], 0.0, out.unvec(m, n1));  // (…) Q_Aᵀ
    }

    private static double positive(double value, int k, double damping) {
        if (!(value > 0)) {
            throw new IllegalArgumentException("the damped curvature is not positive definite: layer " + k + " has an eigenvalue + λ = "
                    + value + " ≤ 0 (λ = " + damping + ")");
        }
        return value;
    }

    private static void checkDamping(double damping) {
        if (!Double.isFinite(damping)) {
            throw new IllegalArgumentException("damping λ must be finite, was " + damping);
        }
    }

    private void checkLayer(int k) {
        if (k < 0 || k >= s.length) {
            throw new IndexOutOfBoundsException("layer " + k + " does not exist; the network has " + s.length + " layers (0–"
                    + (s.length - 1) + ")");
        }
    }

    /** One layer block f(C_k). */
    private final class Block implements LinearOperator {
        private final int k;
        private final DoubleUnaryOperator f;

        Block(int k, DoubleUnaryOperator f) {
            this.k = k;
            this.f = f;
        }

        @Override
        public int rows() {
            return lengths[k];
        }

        @Override
        public int cols() {
            return lengths[k];
        }

        @Override
        public void apply(DenseVector v, DenseVector out) {
            LinearOperator.checkApply(this, v, out);
            applyBlock(k, f, v, out);
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
            return MaterializationLimit.saturatingMultiply(lengths[k], lengths[k]);
        }

        @Override
        public long storedDoubles() {
            return qa[k].size() + qg[k].size() + s[k].size();
        }

        @Override
        public String describe() {
            return name + " layer " + k + "(" + lengths[k] + ")";
        }

        @Override
        public SparseMatrix toSparse(MaterializationLimit limit) {
            limit.checkSparse(this);
            return Curvature.blockDiagonalSparse(this, new int[] {0}, new int[] {lengths[k]});
        }
    }

    /** (C + ⊕ λ_k I)⁻¹ over all layers. */
    private final class Function implements LinearOperator {
        private final double[] damping;
        private final String description;

        Function(double[] damping, String description) {
            this.damping = damping;
            this.description = description;
        }

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
            for (int k = 0; k < s.length; k++) {
                double lambda = damping[k];
                applyBlock(k, x -> 1.0 / (x + lambda), v.slice(offsets[k], lengths[k]), out.slice(offsets[k], lengths[k]));
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
            return KroneckerEigenOperator.this.nonZeros();
        }

        @Override
        public long storedDoubles() {
            return KroneckerEigenOperator.this.storedDoubles();
        }

        @Override
        public String describe() {
            return description + "(" + parameterCount + ")";
        }

        @Override
        public SparseMatrix toSparse(MaterializationLimit limit) {
            limit.checkSparse(this);
            return Curvature.blockDiagonalSparse(this, offsets, lengths);
        }
    }
}
