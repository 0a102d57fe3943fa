package dev.kronograd.spark;

import java.io.Serializable;

/**
 * A partition's (or a tree node's) partial sums: loss Σ ℓ_s, a vector Σ_s v_s (gradient or
 * GGN-vector product) and the number of samples. Merging adds in place, as Spark's aggregation
 * contract allows. A plain class so that Java and Kryo serialisation both work; an empty partition
 * ships no vector.
 */
final class PartialSums implements Serializable {
    private static final long serialVersionUID = 1L;

    double loss;
    long count;
    double[] vector; // null while no sample has been added

    PartialSums() {
    }

    /** Adds a batch's loss, vector and sample count. */
    void add(double batchLoss, double[] batchVector, int from, int length, long samples) {
        loss += batchLoss;
        count += samples;
        if (vector == null) {
            vector = new double[length];
        }
        for (int i = 0; i < length; i++) {
            vector[i] += batchVector[from + i];
        }
    }

    /** this += other; returns this. */
    PartialSums merge(PartialSums other) {
        if (other.count == 0 && other.vector == null) {
            return this;
        }
        if (vector == null) {
            loss = other.loss;
            count = other.count;
            vector = other.vector;
            return this;
        }
        loss += other.loss;
        count += other.count;
        if (other.vector != null) {
            if (other.vector.length != vector.length) {
                throw new IllegalStateException("partial sums of different lengths: " + vector.length + " and " + other.vector.length);
            }
            for (int i = 0; i < vector.length; i++) {
                vector[i] += other.vector[i];
            }
        }
        return this;
    }
}
