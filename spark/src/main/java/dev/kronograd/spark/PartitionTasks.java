package dev.kronograd.spark;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.BatchWorkspace;
import dev.kronograd.sdk.nn.Curvature;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;

/**
 * The executor side: each task streams its partition through the SDK in batches of B samples
 * (B columns of X and Y, one GEMM per layer and direction per batch, the operator algebra as
 * everywhere else) and returns partial sums or per-sample values. Functions are static classes
 * whose fields are all serialisable: the network's structure, the executor settings, the batch
 * size and broadcast handles — never an SDK, a network or a Spark context.
 */
final class PartitionTasks {
    private PartitionTasks() {
    }

    /** A thread's cached batches: the SDK's identity (not equality) is part of the key. */
    private record ThreadKey(NetworkSpec spec, Kronograd sdk, int size) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ThreadKey t && spec.equals(t.spec) && sdk == t.sdk && size == t.size;
        }

        @Override
        public int hashCode() {
            return (spec.hashCode() * 31 + System.identityHashCode(sdk)) * 31 + size;
        }
    }

    /** Per task thread, the 4 most recently used networks with their buffers. */
    private static final ThreadLocal<Map<ThreadKey, Batches<?>>> THREAD_BATCHES = ThreadLocal.withInitial(
            () -> new LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ThreadKey, Batches<?>> eldest) {
                    return size() > 4;
                }
            });

    /** One partition's network, loss and batch buffers. */
    static final class Batches<T> {
        final Network net;
        final Loss loss;
        private final int n;
        private final int k;
        private final int size;
        private final DenseMatrix x;
        private final DenseMatrix y;
        private final Object[] items;
        private SampleReader<T> reader;
        private int partition;
        private BatchWorkspace full;
        private BatchWorkspace tail;
        private long next;
        int filled;
        long first;

        private Batches(Kronograd sdk, NetworkSpec spec, double[] theta, int size, boolean keepItems) {
            this.net = spec.build(sdk, theta);
            this.loss = sdk.loss(spec.loss());
            this.n = spec.inputs();
            this.k = spec.outputs();
            this.size = size;
            this.x = DenseMatrix.zeros(n, size);
            this.y = DenseMatrix.zeros(k, size);
            this.items = keepItems ? new Object[size] : null;
        }

        /** Fresh buffers and network for one partition (for lazy iterators, which may interleave on a thread). */
        static <T> Batches<T> create(NetworkSpec spec, ExecutorSettings settings, double[] theta, SampleReader<T> reader, int size,
                                     int partition, boolean keepItems) {
            return new Batches<T>(ExecutorSdk.get(settings), spec, theta, size, keepItems).start(reader, partition);
        }

        /**
         * This thread's buffers and network for {@code spec} with θ loaded, re-used from the thread's
         * previous tasks (Spark's task threads are pooled): a job then allocates no per-partition
         * network, workspaces or batch matrices. Only for eager use that ends before the thread's next
         * task (partition sums), never for lazy iterators.
         */
        @SuppressWarnings("unchecked")
        static <T> Batches<T> forThread(NetworkSpec spec, ExecutorSettings settings, double[] theta, SampleReader<T> reader, int size,
                                        int partition) {
            Kronograd sdk = ExecutorSdk.get(settings);
            ThreadKey key = new ThreadKey(spec, sdk, size);
            Map<ThreadKey, Batches<?>> cache = THREAD_BATCHES.get();
            Batches<T> b = (Batches<T>) cache.get(key);
            if (b == null) {
                b = new Batches<>(sdk, spec, theta, size, false);
                cache.put(key, b);
            } else {
                b.net.parameters().setFrom(DenseVector.wrap(theta));
            }
            return b.start(reader, partition);
        }

        private Batches<T> start(SampleReader<T> reader, int partition) {
            this.reader = reader;
            this.partition = partition;
            this.next = 0;
            this.filled = 0;
            this.first = 0;
            return this;
        }

        /** Reads up to B records; returns how many (0 at the end of the partition). */
        int fill(Iterator<T> it) {
            filled = 0;
            first = next;
            double[] xd = x.data();
            double[] yd = y.data();
            while (filled < size && it.hasNext()) {
                T item = it.next();
                reader.read(item, xd, filled * n, n, yd, filled * k, k, next, partition);
                if (items != null) {
                    items[filled] = item;
                }
                filled++;
                next++;
            }
            return filled;
        }

        DenseMatrix inputs() {
            return filled == size ? x : x.block(0, 0, n, filled);
        }

        DenseMatrix targets() {
            return filled == size ? y : y.block(0, 0, k, filled);
        }

        BatchWorkspace workspace() {
            if (filled == size) {
                if (full == null) {
                    full = net.newWorkspace();
                }
                return full;
            }
            if (tail == null) {
                tail = net.newWorkspace();
            }
            return tail;
        }

        @SuppressWarnings("unchecked")
        T item(int i) {
            return (T) items[i];
        }

        /** The exception {@code e} with this batch's position prefixed (type kept where it is an argument error). */
        RuntimeException located(RuntimeException e) {
            String where = "partition " + partition + ", samples " + first + "–" + (first + filled - 1) + ": " + e.getMessage();
            return e instanceof IllegalArgumentException ? new IllegalArgumentException(where, e) : new IllegalStateException(where, e);
        }
    }

    /**
     * Partition sums: builds the partition's network once, then adds every batch's contribution.
     * Empty partitions return empty sums without touching the SDK.
     *
     * @param <T> the record type
     * @param <B> the broadcast value (θ, or θ and v)
     */
    abstract static class Sums<T, B> implements Function2<Integer, Iterator<T>, Iterator<PartialSums>> {
        private static final long serialVersionUID = 1L;
        private final NetworkSpec spec;
        private final ExecutorSettings settings;
        private final Broadcast<B> broadcast;
        private final SampleReader<T> reader;
        private final int batchSize;

        Sums(NetworkSpec spec, ExecutorSettings settings, Broadcast<B> broadcast, SampleReader<T> reader, int batchSize) {
            this.spec = spec;
            this.settings = settings;
            this.broadcast = broadcast;
            this.reader = reader;
            this.batchSize = batchSize;
        }

        /** θ within the broadcast value. */
        abstract double[] parameters(B value);

        /** What one batch adds to {@code sums}; called per batch with the batch in {@code b}. */
        abstract BatchStep prepare(Batches<T> b, B value, int parameterCount);

        interface BatchStep {
            void add(PartialSums sums);
        }

        @Override
        public final Iterator<PartialSums> call(Integer partition, Iterator<T> records) {
            PartialSums sums = new PartialSums();
            if (records.hasNext()) {
                B value = broadcast.value();
                Batches<T> b = Batches.forThread(spec, settings, parameters(value), reader, batchSize, partition);
                BatchStep step = prepare(b, value, spec.parameterCount());
                while (b.fill(records) > 0) {
                    try {
                        step.add(sums);
                    } catch (RuntimeException e) {
                        throw b.located(e);
                    }
                }
            }
            return Collections.singletonList(sums).iterator();
        }
    }

    /** Σ ℓ and Σ ∇_θ ℓ over one partition. */
    static final class GradientSums<T> extends Sums<T, double[]> {
        private static final long serialVersionUID = 1L;

        GradientSums(NetworkSpec spec, ExecutorSettings settings, Broadcast<double[]> theta, SampleReader<T> reader, int batchSize) {
            super(spec, settings, theta, reader, batchSize);
        }

        @Override
        double[] parameters(double[] theta) {
            return theta;
        }

        @Override
        BatchStep prepare(Batches<T> b, double[] theta, int parameterCount) {
            DenseVector g = DenseVector.zeros(parameterCount);
            return sums -> {
                double value = b.net.gradient(b.inputs(), b.loss, b.targets(), b.workspace(), g);
                sums.add(value, g.data(), g.offset(), g.length(), b.filled);
            };
        }
    }

    /** Σ G_s v (the Gauss–Newton matrix of each batch times v) and Σ ℓ over one partition. */
    static final class GaussNewtonSums<T> extends Sums<T, double[][]> {
        private static final long serialVersionUID = 1L;

        GaussNewtonSums(NetworkSpec spec, ExecutorSettings settings, Broadcast<double[][]> thetaAndV, SampleReader<T> reader,
                        int batchSize) {
            super(spec, settings, thetaAndV, reader, batchSize);
        }

        @Override
        double[] parameters(double[][] thetaAndV) {
            return thetaAndV[0];
        }

        @Override
        BatchStep prepare(Batches<T> b, double[][] thetaAndV, int parameterCount) {
            DenseVector v = DenseVector.wrap(thetaAndV[1]);
            return sums -> {
                Curvature c = Curvature.at(b.net, b.inputs(), b.loss, b.targets());
                DenseVector gv = c.ggn().apply(v);
                sums.add(c.loss(), gv.data(), gv.offset(), gv.length(), b.filled);
            };
        }
    }

    /**
     * ‖∇_θ ℓ_s‖ for every record, lazily batch by batch, in the partition's order; each output is
     * {@code emit(record, norm)}.
     */
    static final class PerSampleNorms<T, R> implements Function2<Integer, Iterator<T>, Iterator<R>> {
        private static final long serialVersionUID = 1L;
        private final NetworkSpec spec;
        private final ExecutorSettings settings;
        private final Broadcast<double[]> theta;
        private final SampleReader<T> reader;
        private final int batchSize;
        private final SerializableBiFunction<T, Double, R> emit;

        PerSampleNorms(NetworkSpec spec, ExecutorSettings settings, Broadcast<double[]> theta, SampleReader<T> reader, int batchSize,
                       SerializableBiFunction<T, Double, R> emit) {
            this.spec = spec;
            this.settings = settings;
            this.theta = theta;
            this.reader = reader;
            this.batchSize = batchSize;
            this.emit = emit;
        }

        @Override
        public Iterator<R> call(Integer partition, Iterator<T> records) {
            if (!records.hasNext()) {
                return Collections.emptyIterator();
            }
            Batches<T> b = Batches.create(spec, settings, theta.value(), reader, batchSize, partition, true);
            DenseVector g = DenseVector.zeros(spec.parameterCount());
            return new Iterator<>() {
                private DenseVector norms;
                private int at;

                @Override
                public boolean hasNext() {
                    if (norms != null && at < b.filled) {
                        return true;
                    }
                    if (b.fill(records) == 0) {
                        return false;
                    }
                    try {
                        BatchWorkspace ws = b.workspace();
                        b.net.gradient(b.inputs(), b.loss, b.targets(), ws, g);
                        norms = b.net.perSampleGradientNorms(ws);
                    } catch (RuntimeException e) {
                        throw b.located(e);
                    }
                    at = 0;
                    return true;
                }

                @Override
                public R next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    int i = at++;
                    return emit.apply(b.item(i), norms.get(i));
                }
            };
        }
    }

    /** A serialisable {@link BiFunction}. */
    interface SerializableBiFunction<A, B, R> extends BiFunction<A, B, R>, java.io.Serializable {
    }
}
