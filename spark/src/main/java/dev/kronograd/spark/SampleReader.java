package dev.kronograd.spark;

import java.io.Serializable;

/**
 * Copies one record's features and target into column slots of the batch matrices, checking
 * lengths and nulls; errors name the record's position and the field.
 */
interface SampleReader<T> extends Serializable {
    /**
     * Writes the features of {@code item} into {@code x[xOffset … xOffset+n)} and its target into
     * {@code y[yOffset … yOffset+k)}.
     *
     * @param index     the record's index within its partition, for messages
     * @param partition the partition's index, for messages
     */
    void read(T item, double[] x, int xOffset, int n, double[] y, int yOffset, int k, long index, int partition);

    /** "sample 17 of partition 3": built only when a message needs it. */
    static String where(long index, int partition) {
        return "sample " + index + " of partition " + partition;
    }

    /** Reads {@link Sample}s. */
    static SampleReader<Sample> samples() {
        return SampleSampleReader.INSTANCE;
    }
}

/** The reader for {@link Sample} records. */
final class SampleSampleReader implements SampleReader<Sample> {
    private static final long serialVersionUID = 1L;
    static final SampleSampleReader INSTANCE = new SampleSampleReader();

    private SampleSampleReader() {
    }

    @Override
    public void read(Sample s, double[] x, int xOffset, int n, double[] y, int yOffset, int k, long index, int partition) {
        if (s == null) {
            throw new IllegalArgumentException(SampleReader.where(index, partition) + " is null");
        }
        if (s.features().length != n) {
            throw new IllegalArgumentException(SampleReader.where(index, partition) + ": features has length " + s.features().length + ", expected " + n
                    + " (the network's inputs)");
        }
        if (s.target().length != k) {
            throw new IllegalArgumentException(SampleReader.where(index, partition) + ": target has length " + s.target().length + ", expected " + k
                    + " (the network's outputs)");
        }
        System.arraycopy(s.features(), 0, x, xOffset, n);
        System.arraycopy(s.target(), 0, y, yOffset, k);
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
