package dev.kronograd.core.operator;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.LinearAlgebra;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Builds structured operators that compute through one {@link LinearAlgebra} backend.
 *
 * <pre>{@code
 * Operators ops = Operators.using(linearAlgebra);
 * // The parameter Jacobian of σ(Wx + b):  diag(σ'(z)) · [xᵀ ⊗ I_m, 1 ⊗ I_m]
 * LinearOperator j = ops.compose(ops.diagonal(sigmaPrime),
 *         ops.horizontal(ops.kronecker(ops.rowVector(x), ops.identity(m)),
 *                        ops.kronecker(ops.dense(DenseMatrix.wrap(new double[]{1}, 1, 1)), ops.identity(m))));
 * }</pre>
 *
 * Operators share the storage they are built on (no copies). Immutable and thread-safe.
 */
public final class Operators {
    private final LinearAlgebra la;

    private Operators(LinearAlgebra la) {
        this.la = Objects.requireNonNull(la, "linear algebra backend");
    }

    /** A factory whose operators compute through {@code la}. */
    public static Operators using(LinearAlgebra la) {
        return new Operators(la);
    }

    /** The backend the operators compute through. */
    public LinearAlgebra linearAlgebra() {
        return la;
    }

    /** I_n. */
    public IdentityOperator identity(int n) {
        return new IdentityOperator(n);
    }

    /** diag(d), sharing d. */
    public DiagonalOperator diagonal(DenseVector d) {
        return new DiagonalOperator(Objects.requireNonNull(d, "diagonal"), la);
    }

    /** M as an operator, sharing M. */
    public DenseOperator dense(DenseMatrix m) {
        return new DenseOperator(Objects.requireNonNull(m, "matrix"), false, la);
    }

    /** Mᵀ as an operator, sharing M (no transpose copy). */
    public DenseOperator denseTranspose(DenseMatrix m) {
        return new DenseOperator(Objects.requireNonNull(m, "matrix"), true, la);
    }

    /** The 1×n row vector xᵀ, sharing x. */
    public DenseOperator rowVector(DenseVector x) {
        return denseTranspose(x.unvec(x.length(), 1));
    }

    /** The n×1 column vector x, sharing x. */
    public DenseOperator columnVector(DenseVector x) {
        return dense(x.unvec(x.length(), 1));
    }

    /** A ⊗ B, applied by the vec trick. */
    public KroneckerOperator kronecker(LinearOperator a, LinearOperator b) {
        return new KroneckerOperator(Objects.requireNonNull(a, "left factor"), Objects.requireNonNull(b, "right factor"), la);
    }

    /** [A₁, A₂, …] (equal rows). */
    public BlockOperator horizontal(LinearOperator... blocks) {
        return new BlockOperator(Arrays.asList(blocks), true, la);
    }

    /** [A₁, A₂, …] (equal rows). */
    public BlockOperator horizontal(List<? extends LinearOperator> blocks) {
        return new BlockOperator(List.copyOf(blocks), true, la);
    }

    /** [A₁; A₂; …] (equal columns). */
    public BlockOperator vertical(LinearOperator... blocks) {
        return new BlockOperator(Arrays.asList(blocks), false, la);
    }

    /** [A₁; A₂; …] (equal columns). */
    public BlockOperator vertical(List<? extends LinearOperator> blocks) {
        return new BlockOperator(List.copyOf(blocks), false, la);
    }

    /** A₁·A₂·…·A_k (applied right to left). */
    public ComposedOperator compose(LinearOperator... factors) {
        return new ComposedOperator(Arrays.asList(factors));
    }

    /** α·A. */
    public ScaledOperator scale(double alpha, LinearOperator a) {
        return new ScaledOperator(alpha, Objects.requireNonNull(a, "operator"), la);
    }

    /** A₁ + A₂ + … (equal shapes). */
    public SumOperator sum(LinearOperator... terms) {
        return new SumOperator(Arrays.asList(terms), la);
    }
}
