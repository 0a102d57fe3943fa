package dev.kronograd.sdk.train;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.ShapeMismatchException;

/**
 * Per-feature standardisation {@code x' = (x − μ) / s}, with μ and s (the population standard
 * deviation; 1 for a constant feature) fitted on the <em>training</em> split only, so nothing of
 * the test split leaks into training. Immutable.
 */
public final class Standardizer {
    private final double[] mean;
    private final double[] scale;

    private Standardizer(double[] mean, double[] scale) {
        this.mean = mean;
        this.scale = scale;
    }

    /** μ and s of every feature of {@code training}. */
    public static Standardizer fit(Dataset training) {
        int d = training.featureCount();
        int n = training.size();
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (int f = 0; f < d; f++) {
            double sum = 0;
            for (int s = 0; s < n; s++) {
                sum += training.feature(f, s);
            }
            double mu = sum / n;
            double squares = 0;
            for (int s = 0; s < n; s++) {
                double dev = training.feature(f, s) - mu;
                squares += dev * dev;
            }
            double sd = Math.sqrt(squares / n);
            mean[f] = mu;
            scale[f] = sd > 0 ? sd : 1.0;
        }
        return new Standardizer(mean, scale);
    }

    /** d: the number of features. */
    public int featureCount() {
        return mean.length;
    }

    /** μ of feature f. */
    public double mean(int f) {
        return mean[f];
    }

    /** s of feature f. */
    public double scale(int f) {
        return scale[f];
    }

    /** The data set with standardised features (a new data set). */
    public Dataset apply(Dataset data) {
        DenseMatrix x = data.features();
        applyInPlace(x);
        return data.withFeatures(x);
    }

    /** Standardises the columns of {@code x} (d×B) in place. x: modified. */
    public void applyInPlace(DenseMatrix x) {
        if (x.rows() != mean.length) {
            throw new ShapeMismatchException("x is " + x.shape() + " but the standardiser was fitted on " + mean.length + " features");
        }
        for (int s = 0; s < x.cols(); s++) {
            for (int f = 0; f < mean.length; f++) {
                x.set(f, s, (x.get(f, s) - mean[f]) / scale[f]);
            }
        }
    }
}
