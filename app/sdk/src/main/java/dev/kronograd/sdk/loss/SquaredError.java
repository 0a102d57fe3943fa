package dev.kronograd.sdk.loss;

import dev.kronograd.core.DenseMatrix;

/**
 * Squared error {@code ℓ(f, y) = ½‖f − y‖²}, summed over samples: gradient {@code f − y},
 * Hessian the identity.
 */
public final class SquaredError implements Loss {

    @Override
    public String name() {
        return "squared-error";
    }

    @Override
    public void validateTargets(int outputs, DenseMatrix targets) {
        if (targets.rows() != outputs) {
            throw new IllegalArgumentException("squared-error: targets have " + targets.rows() + " components per sample but the network has "
                    + outputs + " outputs");
        }
    }

    @Override
    public double value(DenseMatrix f, DenseMatrix y) {
        DenseMatrix.requireSameShape("outputs", f, "targets", y);
        double s = 0;
        for (int j = 0; j < f.cols(); j++) {
            for (int i = 0; i < f.rows(); i++) {
                double d = f.get(i, j) - y.get(i, j);
                s += d * d;
            }
        }
        return 0.5 * s;
    }

    @Override
    public double valueAndGradient(DenseMatrix f, DenseMatrix y, DenseMatrix g) {
        DenseMatrix.requireSameShape("outputs", f, "targets", y);
        DenseMatrix.requireSameShape("outputs", f, "gradient", g);
        double s = 0;
        double[] fd = f.data();
        double[] yd = y.data();
        double[] gd = g.data();
        for (int j = 0; j < f.cols(); j++) {
            int fo = f.offset() + j * f.ld();
            int yo = y.offset() + j * y.ld();
            int go = g.offset() + j * g.ld();
            for (int i = 0; i < f.rows(); i++) {
                double d = fd[fo + i] - yd[yo + i];
                gd[go + i] = d;
                s += d * d;
            }
        }
        return 0.5 * s;
    }

    @Override
    public void hessianVectorProduct(DenseMatrix f, DenseMatrix y, DenseMatrix v, DenseMatrix out) {
        DenseMatrix.requireSameShape("outputs", f, "vector", v);
        out.setFrom(v);
    }
}
