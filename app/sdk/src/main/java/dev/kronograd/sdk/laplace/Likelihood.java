package dev.kronograd.sdk.laplace;

import dev.kronograd.sdk.loss.Loss;

/**
 * The likelihood a built-in loss stands for, and its negative log-likelihood in terms of the SDK's
 * summed loss L over N samples with m outputs each.
 */
public enum Likelihood {
    /** Squared error, {@code L = ½ Σ ‖f − y‖²}: Gaussian noise σ, {@code NLL = L/σ² + (N m/2) log(2πσ²)}. */
    GAUSSIAN("squared-error"),
    /** Softmax cross-entropy on logits: categorical, {@code NLL = L}. */
    CATEGORICAL("softmax-cross-entropy"),
    /** Sigmoid cross-entropy on logits: independent Bernoulli outputs, {@code NLL = L}. */
    BERNOULLI("sigmoid-cross-entropy");

    private final String loss;

    Likelihood(String loss) {
        this.loss = loss;
    }

    /** The name of the loss this likelihood belongs to. */
    public String lossName() {
        return loss;
    }

    /**
     * The likelihood of a built-in loss.
     *
     * @throws IllegalArgumentException naming {@code loss} if the loss is not one of the three built-in ones
     */
    public static Likelihood of(Loss loss) {
        for (Likelihood l : values()) {
            if (l.loss.equals(loss.name())) {
                return l;
            }
        }
        throw new IllegalArgumentException("loss '" + loss.name() + "' has no likelihood for the Laplace approximation; "
                + "use squared-error (Gaussian), softmax-cross-entropy (categorical) or sigmoid-cross-entropy (Bernoulli)");
    }
}
