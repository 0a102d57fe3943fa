package dev.kronograd.sdk.loss;

import dev.kronograd.core.DenseMatrix;

/**
 * Softmax cross-entropy on logits: {@code ℓ(f, y) = −Σ_i y_i log softmax(f)_i
 * = (Σ_i y_i)·logsumexp(f) − yᵀf}, with targets y probability vectors (non-negative, summing
 * to 1). Computed with the max-shifted log-sum-exp, so no logit overflows. Gradient
 * {@code (Σy)·p − y} with {@code p = softmax(f)}; Hessian {@code (Σy)(diag(p) − p pᵀ)}.
 */
public final class SoftmaxCrossEntropy implements Loss {
    /** How far a target's sum may stray from 1. */
    static final double SUM_TOLERANCE = 1e-9;

    @Override
    public String name() {
        return "softmax-cross-entropy";
    }

    @Override
    public void validateTargets(int outputs, DenseMatrix targets) {
        if (targets.rows() != outputs) {
            throw new IllegalArgumentException("softmax-cross-entropy: targets have " + targets.rows()
                    + " components per sample but the network has " + outputs + " outputs");
        }
        for (int j = 0; j < targets.cols(); j++) {
            double sum = 0;
            for (int i = 0; i < targets.rows(); i++) {
                double t = targets.get(i, j);
                if (!(t >= 0)) {
                    throw new IllegalArgumentException("softmax-cross-entropy: target of sample " + j + " has component " + i + " = " + t
                            + "; targets must be probability vectors (non-negative, summing to 1)");
                }
                sum += t;
            }
            if (Math.abs(sum - 1) > SUM_TOLERANCE) {
                throw new IllegalArgumentException("softmax-cross-entropy: target of sample " + j + " sums to " + sum
                        + "; targets must be probability vectors summing to 1");
            }
        }
    }

    @Override
    public double value(DenseMatrix f, DenseMatrix y) {
        DenseMatrix.requireSameShape("outputs", f, "targets", y);
        double total = 0;
        for (int j = 0; j < f.cols(); j++) {
            double lse = logSumExp(f, j);
            for (int i = 0; i < f.rows(); i++) {
                double t = y.get(i, j);
                if (t != 0) {
                    total += t * (lse - f.get(i, j));
                }
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
            double lse = logSumExp(f, j);
            double ySum = 0;
            for (int i = 0; i < f.rows(); i++) {
                double t = y.get(i, j);
                ySum += t;
                if (t != 0) {
                    total += t * (lse - f.get(i, j));
                }
            }
            for (int i = 0; i < f.rows(); i++) {
                g.set(i, j, ySum * Math.exp(f.get(i, j) - lse) - y.get(i, j));
            }
        }
        return total;
    }

    @Override
    public void hessianVectorProduct(DenseMatrix f, DenseMatrix y, DenseMatrix v, DenseMatrix out) {
        DenseMatrix.requireSameShape("outputs", f, "vector", v);
        DenseMatrix.requireSameShape("outputs", f, "out", out);
        for (int j = 0; j < f.cols(); j++) {
            double lse = logSumExp(f, j);
            double ySum = 0;
            double pv = 0;
            for (int i = 0; i < f.rows(); i++) {
                ySum += y.get(i, j);
                pv += Math.exp(f.get(i, j) - lse) * v.get(i, j);
            }
            for (int i = 0; i < f.rows(); i++) {
                double p = Math.exp(f.get(i, j) - lse);
                out.set(i, j, ySum * p * (v.get(i, j) - pv));
            }
        }
    }

    /** log Σ_i exp(f_ij), shifted by the column maximum. */
    static double logSumExp(DenseMatrix f, int j) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < f.rows(); i++) {
            max = Math.max(max, f.get(i, j));
        }
        double s = 0;
        for (int i = 0; i < f.rows(); i++) {
            s += Math.exp(f.get(i, j) - max);
        }
        return max + Math.log(s);
    }
}
