package dev.kronograd.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One training sample for the distributed API: a feature vector x (the network's input) and a
 * target vector y (what the loss compares the network's output with). A plain serialisable class
 * (not a record) so that both Spark serialisers, Java's and Kryo's, can move it.
 *
 * <p>The arrays are taken as given, not copied: do not modify them while an RDD holds the sample.
 */
public final class Sample implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double[] features;
    private final double[] target;

    /**
     * @param features the input x (length = the network's inputs)
     * @param target   the target y (length = the network's outputs)
     */
    public Sample(double[] features, double[] target) {
        this.features = Objects.requireNonNull(features, "features");
        this.target = Objects.requireNonNull(target, "target");
    }

    /** A sample from its two vectors. */
    public static Sample of(double[] features, double[] target) {
        return new Sample(features, target);
    }

    /** The input x (not a copy). */
    public double[] features() {
        return features;
    }

    /** The target y (not a copy). */
    public double[] target() {
        return target;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample s && Arrays.equals(features, s.features) && Arrays.equals(target, s.target);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(features) + Arrays.hashCode(target);
    }

    @Override
    public String toString() {
        return "Sample[x=" + Arrays.toString(features) + ", y=" + Arrays.toString(target) + "]";
    }
}
