package dev.kronograd.sdk.loss;

import dev.kronograd.core.DenseMatrix;

/**
 * A scalar loss over a batch: {@code L = Σ_s ℓ(f_s, y_s)}, summed over samples (the columns of
 * the m×B output and target matrices). Discovered through {@link java.util.ServiceLoader} like
 * activations ({@code META-INF/services/dev.kronograd.sdk.loss.Loss}); an implementation needs
 * a public no-arg constructor and must be stateless and thread-safe.
 *
 * <p>Because L is a sum over columns, each column's value and gradient must depend on that column
 * alone: on large batches the SDK calls {@link #valueAndGradient} on column ranges (views of the
 * same matrices, any offset and leading dimension) from several threads at once and adds the
 * values (see {@code NetworkBuilder.elementwiseThreads}).
 */
public interface Loss {

    /** Unique lower-case name, {@code [a-z0-9-]+}, e.g. {@code "squared-error"}. */
    String name();

    /**
     * Checks the targets before any work: shape against the outputs and domain (e.g. probability
     * vectors). Throws {@link IllegalArgumentException} naming the offending sample.
     */
    void validateTargets(int outputs, DenseMatrix targets);

    /** L = Σ_s ℓ(f_s, y_s). F, Y: m×B, not modified. */
    double value(DenseMatrix outputs, DenseMatrix targets);

    /**
     * Writes G = ∂L/∂F (m×B) into {@code gradient} and returns L. F, Y: not modified.
     * G: modified; it must not share storage with F or Y.
     */
    double valueAndGradient(DenseMatrix outputs, DenseMatrix targets, DenseMatrix gradient);

    /**
     * out = ∇²_F L · V, per sample (the Hessian is block diagonal over samples).
     * F, Y, V: m×B, not modified. out: m×B, modified.
     */
    void hessianVectorProduct(DenseMatrix outputs, DenseMatrix targets, DenseMatrix v, DenseMatrix out);
}
