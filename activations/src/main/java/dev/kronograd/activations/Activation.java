package dev.kronograd.activations;

import java.util.Objects;

/**
 * An elementwise activation σ: ℝ → ℝ with its first and second derivatives, the service
 * interface of the activations module.
 *
 * <p>A layer {@code f = σ(W x + b)} needs σ for the forward pass, σ' for Jacobians and gradients
 * ({@code δ = σ'(z) ⊙ ∇ℓ}) and σ'' for exact Hessians ({@code M = D ∇²ℓ D + diag(σ''(z) ⊙ ∇ℓ)}).
 *
 * <h2>Contract for implementations</h2>
 * <ul>
 *   <li>{@link #name()} is unique among all activations, constant, and matches
 *       {@code [a-z0-9-]+} (lower-case letters, digits and '-', e.g. {@code "gelu-tanh"}).</li>
 *   <li>{@link #derivative(double)} is dσ/dz and {@link #secondDerivative(double)} is d²σ/dz²,
 *       computed in closed form, not by finite differences.</li>
 *   <li>Finite inputs give finite outputs wherever the true value is representable (including
 *       |z| up to 1e308); outputs whose true value underflows may be 0.</li>
 *   <li>At a point where σ' or σ'' jumps (a kink), the implementation picks one side and
 *       documents it; it lists such points in {@link #kinks()}.</li>
 *   <li>The bulk forms compute exactly (bit for bit) what the scalar forms compute.</li>
 *   <li>Implementations are immutable and thread-safe, public, and have a public no-argument
 *       constructor so that {@link java.util.ServiceLoader} can create them. They are registered
 *       in {@code META-INF/services/dev.kronograd.activations.Activation} and, in a named module,
 *       with {@code provides dev.kronograd.activations.Activation with ...}.</li>
 * </ul>
 * Only the four abstract methods are required; {@link ActivationContract#verify(Activation)}
 * checks an implementation against this contract.
 *
 * <h2>Bulk forms and aliasing</h2>
 * Each bulk method reads {@code z[zOff .. zOff+n)} and writes {@code n} results starting at the
 * output offset; nothing outside these ranges is read or written. The output may be the input
 * array itself <em>at the same offset</em> (in-place evaluation); any other overlap of input
 * and output ranges is not allowed. Ranges are checked once, up front, and an invalid range
 * throws {@link IndexOutOfBoundsException} before anything is written.
 */
public interface Activation {

    /**
     * The activation's unique, constant name, matching {@code [a-z0-9-]+}, e.g. {@code "tanh"}.
     */
    String name();

    /** σ(z). */
    double value(double z);

    /** σ'(z) = dσ/dz. */
    double derivative(double z);

    /** σ''(z) = d²σ/dz², used by exact Hessians. */
    double secondDerivative(double z);

    /**
     * The points where σ' or σ'' is discontinuous (e.g. {@code {0}} for relu), which finite
     * difference checks must stay away from. The default is none; the returned array is a fresh
     * copy the caller may modify.
     */
    default double[] kinks() {
        return new double[0];
    }

    /**
     * {@code out[outOff + i] = σ(z[zOff + i])} for {@code i < n}.
     *
     * @param z input, not modified (unless it is {@code out} at the same offset)
     * @param out output, modified; may be {@code z} with {@code outOff == zOff}
     * @throws IndexOutOfBoundsException if a range does not fit its array or {@code n < 0}
     */
    default void values(double[] z, int zOff, double[] out, int outOff, int n) {
        checkRanges(z, zOff, out, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = value(z[zOff + i]);
        }
    }

    /**
     * {@code out[outOff + i] = σ'(z[zOff + i])} for {@code i < n}; same ranges and aliasing rules
     * as {@link #values}.
     */
    default void derivatives(double[] z, int zOff, double[] out, int outOff, int n) {
        checkRanges(z, zOff, out, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = derivative(z[zOff + i]);
        }
    }

    /**
     * {@code out[outOff + i] = σ''(z[zOff + i])} for {@code i < n}; same ranges and aliasing rules
     * as {@link #values}.
     */
    default void secondDerivatives(double[] z, int zOff, double[] out, int outOff, int n) {
        checkRanges(z, zOff, out, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = secondDerivative(z[zOff + i]);
        }
    }

    /**
     * σ and σ' in one pass, for the gradient hot path (forward value and {@code D = diag(σ'(z))}):
     * {@code value[valueOff + i] = σ(z[zOff + i])}, {@code deriv[derivOff + i] = σ'(z[zOff + i])}.
     * Implementations may share work between the two (e.g. one {@code exp} for sigmoid), but the
     * results must equal {@link #value} and {@link #derivative} exactly.
     *
     * <p>Either output may be {@code z} at the same offset; the two output ranges must not overlap.
     *
     * @throws IndexOutOfBoundsException if a range does not fit its array or {@code n < 0}
     */
    default void valuesAndDerivatives(double[] z, int zOff, double[] value, int valueOff,
                                      double[] deriv, int derivOff, int n) {
        checkRanges(z, zOff, value, valueOff, n);
        checkRanges(z, zOff, deriv, derivOff, n);
        for (int i = 0; i < n; i++) {
            double zi = z[zOff + i];
            value[valueOff + i] = value(zi);
            deriv[derivOff + i] = derivative(zi);
        }
    }

    /**
     * Checks that {@code [zOff, zOff+n)} fits {@code z} and {@code [outOff, outOff+n)} fits
     * {@code out}; for implementations of the bulk forms.
     *
     * @throws NullPointerException if an array is null
     * @throws IndexOutOfBoundsException if a range does not fit or {@code n < 0}
     */
    static void checkRanges(double[] z, int zOff, double[] out, int outOff, int n) {
        Objects.checkFromIndexSize(zOff, n, Objects.requireNonNull(z, "z").length);
        Objects.checkFromIndexSize(outOff, n, Objects.requireNonNull(out, "out").length);
    }
}
