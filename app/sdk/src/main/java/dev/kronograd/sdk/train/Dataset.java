package dev.kronograd.sdk.train;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.ShapeMismatchException;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * A labelled classification data set: {@code features} is d×N, one sample per column (the
 * layout networks take), {@code labels[s]} is the class of sample s, an index into
 * {@code classNames}. Immutable: the constructor copies its arguments and the accessors return
 * copies, so hot loops read single values with {@link #feature(int, int)} and
 * {@link #copySampleInto}.
 *
 * @param name       a short name for logs and plot titles, e.g. {@code iris (train)}
 * @param features   d×N, one sample per column
 * @param labels     N class indices in {@code [0, classNames.size())}
 * @param classNames the class names, index = label
 */
public record Dataset(String name, DenseMatrix features, int[] labels, List<String> classNames) {

    public Dataset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        classNames = List.copyOf(classNames);
        if (features.cols() != labels.length) {
            throw new ShapeMismatchException("features are " + features.shape() + " (one sample per column) but there are "
                    + labels.length + " labels; expected " + features.cols());
        }
        if (features.rows() < 1 || classNames.isEmpty()) {
            throw new IllegalArgumentException("a data set needs at least one feature and one class");
        }
        for (int s = 0; s < labels.length; s++) {
            if (labels[s] < 0 || labels[s] >= classNames.size()) {
                throw new IllegalArgumentException("sample " + s + " has label " + labels[s] + " but there are " + classNames.size()
                        + " classes " + classNames);
            }
        }
        features = features.copy();
        labels = labels.clone();
    }

    /** The features (d×N), a copy. */
    @Override
    public DenseMatrix features() {
        return features.copy();
    }

    /** The labels, a copy. */
    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** N: the number of samples. */
    public int size() {
        return labels.length;
    }

    /** d: features per sample. */
    public int featureCount() {
        return features.rows();
    }

    /** The number of classes. */
    public int classCount() {
        return classNames.size();
    }

    /** The class of sample {@code s}. */
    public int label(int s) {
        return labels[s];
    }

    /** Feature {@code f} of sample {@code s}. */
    public double feature(int f, int s) {
        return features.get(f, s);
    }

    /** Copies sample {@code s} into column {@code column} of {@code destination} (d rows). Allocates nothing. */
    public void copySampleInto(int s, DenseMatrix destination, int column) {
        int d = features.rows();
        System.arraycopy(features.data(), features.offset() + s * features.ld(), destination.data(),
                destination.offset() + column * destination.ld(), d);
    }

    /** Samples per class, index = label. */
    public int[] classCounts() {
        int[] counts = new int[classNames.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** The samples at {@code indices}, in that order, under a new name. */
    public Dataset subset(String newName, int[] indices) {
        DenseMatrix x = DenseMatrix.zeros(features.rows(), indices.length);
        int[] y = new int[indices.length];
        for (int t = 0; t < indices.length; t++) {
            copySampleInto(indices[t], x, t);
            y[t] = labels[indices[t]];
        }
        return new Dataset(newName, x, y, classNames);
    }

    /** The same labels with other features (d'×N), e.g. standardised ones. */
    public Dataset withFeatures(DenseMatrix newFeatures) {
        return new Dataset(name, newFeatures, labels, classNames);
    }

    /**
     * A seeded stratified split of these samples: from every class, {@code round(count · testFraction)} samples
     * (at least one when the class has two or more) go to the test set, the rest to the
     * training set; both sets are then shuffled.
     *
     * @param testFraction in (0, 1)
     * @param seed         equal seeds give equal splits
     */
    public Split stratifiedSplit(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be in (0, 1), was " + testFraction);
        }
        Random rnd = new Random(seed);
        int[] counts = classCounts();
        int[] train = new int[size()];
        int[] test = new int[size()];
        int trainSize = 0;
        int testSize = 0;
        for (int c = 0; c < counts.length; c++) {
            int[] members = new int[counts[c]];
            int k = 0;
            for (int s = 0; s < size(); s++) {
                if (label(s) == c) {
                    members[k++] = s;
                }
            }
            shuffle(members, members.length, rnd);
            int toTest = (int) Math.round(members.length * testFraction);
            if (members.length >= 2) {
                toTest = Math.max(1, Math.min(members.length - 1, toTest));
            }
            for (int i = 0; i < members.length; i++) {
                if (i < toTest) {
                    test[testSize++] = members[i];
                } else {
                    train[trainSize++] = members[i];
                }
            }
        }
        shuffle(train, trainSize, rnd);
        shuffle(test, testSize, rnd);
        return new Split(subset(name + " (train)", Arrays.copyOf(train, trainSize)),
                subset(name + " (test)", Arrays.copyOf(test, testSize)));
    }

    /** Fisher–Yates shuffle of {@code a[0, length)}; allocates nothing. */
    static void shuffle(int[] a, int length, Random rnd) {
        for (int i = length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * A training and a test set drawn from one data set.
     *
     * @param train what the network learns from (and what standardisation is fitted on)
     * @param test  held out: only evaluated
     */
    public record Split(Dataset train, Dataset test) {
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dataset other && name.equals(other.name) && classNames.equals(other.classNames)
                && Arrays.equals(labels, other.labels) && Arrays.deepEquals(features.toRowArrays(), other.features.toRowArrays());
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, classNames, Arrays.hashCode(labels), features.rows(), features.cols());
    }

    @Override
    public String toString() {
        return name + " (" + size() + " samples, " + featureCount() + " features, classes " + classNames + ")";
    }
}
