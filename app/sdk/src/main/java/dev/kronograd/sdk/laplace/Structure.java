package dev.kronograd.sdk.laplace;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The structure of a {@link Laplace} approximation's posterior precision {@code Λ = GGN(NLL) + δI}.
 */
public enum Structure {
    /** The exact GGN over all P parameters, materialised (P×P) and Cholesky-factorised: small networks only. */
    FULL("full"),
    /** The exact GGN's diagonal (closed form, never the matrix): Λ = diag(GGN) + δI. */
    DIAG("diag"),
    /** KFAC, block diagonal over layers with Kronecker blocks A ⊗ G, inverted in the factors' eigenbases. */
    KRON("kron"),
    /** EKFAC: KFAC's eigenbases with eigenvalues corrected to the exact GGN's diagonal in those bases. */
    EKFAC("ekfac"),
    /** The exact GGN of the last layer's parameters only (the rest are fixed at θ), dense, as {@link #FULL}. */
    LAST_LAYER("last-layer");

    private final String label;

    Structure(String label) {
        this.label = label;
    }

    /** The name used on the command line and in documents, e.g. {@code "last-layer"}. */
    public String label() {
        return label;
    }

    /**
     * The structure with this label.
     *
     * @throws IllegalArgumentException naming {@code structure} and the labels if there is none
     */
    public static Structure parse(String label) {
        for (Structure s : values()) {
            if (s.label.equals(label == null ? null : label.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("structure must be one of " + labels() + ", was '" + label + "'");
    }

    /** The labels, "full|diag|kron|ekfac|last-layer". */
    public static String labels() {
        return Arrays.stream(values()).map(Structure::label).collect(Collectors.joining("|"));
    }
}
