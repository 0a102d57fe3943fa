package dev.kronograd.sdk.loss;

import dev.kronograd.core.DenseMatrix;

/**
 * Binary cross-entropy on logits, one independent Bernoulli output per component ({@code
 * sigmoid-cross-entropy}, what other libraries call BCE with logits):
 * {@code ℓ(f, y) = Σ_i softplus(f_i) − y_i f_i = −Σ_i [y_i log σ(f_i) + (1 − y_i) log(1 − σ(f_i))]},
 * summed over samples, with targets {@code y_i ∈ [0, 1]} (labels or probabilities). Gradient
 * {@code σ(f) − y}; Hessian {@code diag(σ(f)(1 − σ(f)))}, positive semi-definite.
 *
 * <p>Stable for logits of any size: {@code softplus(f) − y f} is computed as
 * {@code (max(f, 0) − y f) + log1p(exp(−|f|))}, σ − y from {@code exp(−|f|)} as {@code (1 − y) − e/(1 + e)} for
 * f ≥ 0 (so a gradient of −e^{−450} is not rounded to 0), and
 * {@code σ(1 − σ) = e/(1 + e)²} with {@code e = exp(−|f|)} — no overflow at ±700 or beyond, and no
 * cancellation between {@code softplus(f)} and {@code y f} for large positive logits.
 */
public final class SigmoidCrossEntropy implements Loss {

    @Override
    public String name() {
        return "sigmoid-cross-entropy";
    }

    @Override
    public void validateTargets(int outputs, DenseMatrix targets) {
        if (targets.rows() != outputs) {
            throw new IllegalArgumentException("sigmoid-cross-entropy: targets have " + targets.rows()
                    + " components per sample but the network has " + outputs + " outputs");
        }
        for (int j = 0; j < targets.cols(); j++) {
            for (int i = 0; i < targets.rows(); i++) {
                double t = targets.get(i, j);
                if (!(t >= 0 && t <= 1)) {
                    throw new IllegalArgumentException("sigmoid-cross-entropy: target of sample " + j + " has component " + i + " = " + t
                            + "; each component is a probability in [0, 1] (a label 0 or 1, or a soft label)");
                }
            }
        }
    }

    @Override
    public double value(DenseMatrix f, DenseMatrix y) {
        DenseMatrix.requireSameShape("outputs", f, "targets", y);
        double total = 0;
        for (int j = 0; j < f.cols(); j++) {
            for (int i = 0; i < f.rows(); i++) {
                total += elementLoss(f.get(i, j), y.get(i, j));
            }
        }
        return total;
    }

    @Override
    public double valueAndGradient(DenseMatrix f, DenseMatrix y, DenseMatrix g) {
        DenseMatrix.requireSameShape("outputs", f, "targets", y);
        DenseMatrix.requireSameShape("outputs", f, "gradient", g);
        double total = 0;
        for (int j = 0; j < f.cols(); j++) {
            for (int i = 0; i < f.rows(); i++) {
                double z = f.get(i, j);
                double t = y.get(i, j);
                total += elementLoss(z, t);
                g.set(i, j, sigmoidMinus(z, t));
            }
        }
        return total;
    }

    @Override
    public void hessianVectorProduct(DenseMatrix f, DenseMatrix y, DenseMatrix v, DenseMatrix out) {
        DenseMatrix.requireSameShape("outputs", f, "vector", v);
        DenseMatrix.requireSameShape("outputs", f, "out", out);
        for (int j = 0; j < f.cols(); j++) {
            for (int i = 0; i < f.rows(); i++) {
                out.set(i, j, sigmoidDerivative(f.get(i, j)) * v.get(i, j));
            }
        }
    }

    /** {@code softplus(z) − t z = (max(z, 0) − t z) + log1p(exp(−|z|))}. */
    static double elementLoss(double z, double t) {
        return (Math.max(z, 0) - t * z) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /** σ(z) = 1/(1 + e^{−z}), from e = exp(−|z|) ≤ 1 so that nothing overflows. */
    static double sigmoid(double z) {
        double e = Math.exp(-Math.abs(z));
        return z >= 0 ? 1 / (1 + e) : e / (1 + e);
    }

    /**
     * σ(z) − t without losing the small difference when σ(z) rounds to t ∈ {0, 1}: for z ≥ 0,
     * {@code (1 − t) − e/(1 + e)} (so z = 450, t = 1 gives −e^{−450}, not 0), for z < 0
     * {@code e/(1 + e) − t}, e = exp(−|z|). Any remaining cancellation is the data's own (σ(z) ≈ t).
     */
    static double sigmoidMinus(double z, double t) {
        double e = Math.exp(-Math.abs(z));
        double small = e / (1 + e);
        return z >= 0 ? (1 - t) - small : small - t;
    }

    /** σ'(z) = σ(z)(1 − σ(z)) = e/(1 + e)², e = exp(−|z|): symmetric in z, no cancellation. */
    static double sigmoidDerivative(double z) {
        double e = Math.exp(-Math.abs(z));
        double d = 1 + e;
        return e / (d * d);
    }
}
