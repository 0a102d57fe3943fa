package dev.kronograd.core.linalg;

/** Whether a matrix operand enters a product as is ({@code N}) or transposed ({@code T}). */
public enum Transpose {
    /** op(A) = A. */
    N,
    /** op(A) = Aᵀ. */
    T;

    /** The BLAS character, 'N' or 'T'. */
    public String blas() {
        return name();
    }

    /** {@code T} when {@code transposed}, else {@code N}. */
    public static Transpose of(boolean transposed) {
        return transposed ? T : N;
    }

    /** The other value. */
    public Transpose flip() {
        return this == N ? T : N;
    }
}
