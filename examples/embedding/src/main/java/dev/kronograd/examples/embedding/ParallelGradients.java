package dev.kronograd.examples.embedding;

import com.google.inject.name.Named;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.BatchWorkspace;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Computes the gradients of many mini-batches on the host's worker threads, the way the
 * {@link Network} documentation prescribes for concurrent use: the network is shared
 * <em>read-only</em> by all threads, and each thread computes with a {@link BatchWorkspace} and a
 * gradient buffer of its own. Nothing may change the network's parameters while a call runs;
 * the caller updates them between calls (see {@link GradientHost}).
 */
public final class ParallelGradients {

    /**
     * One mini-batch.
     *
     * @param inputs  X (n×B), one sample per column
     * @param targets Y (m×B)
     */
    public record Batch(DenseMatrix inputs, DenseMatrix targets) {
    }

    /**
     * What one mini-batch gave.
     *
     * @param loss     its loss, summed over its samples
     * @param gradient ∇_θ L of the batch (a buffer of its own)
     */
    public record Result(double loss, DenseVector gradient) {
    }

    private final ExecutorService workers;
    private final int workerCount;

    /**
     * @param workers     the host's worker pool
     * @param workerCount how many threads it has: the batches are dealt into that many tasks
     */
    @Inject
    public ParallelGradients(ExecutorService workers, @Named(HostModule.WORKERS) int workerCount) {
        this.workers = workers;
        this.workerCount = workerCount;
    }

    /**
     * The loss and gradient of every batch, in the order of {@code batches}, computed on the
     * worker threads. Each task takes every {@code workerCount}-th batch and computes it with its
     * own workspace and buffers; {@code network} is only read.
     */
    public List<Result> gradients(Network network, Loss loss, List<Batch> batches) throws InterruptedException {
        Result[] results = new Result[batches.size()];
        List<Future<?>> tasks = new ArrayList<>();
        for (int w = 0; w < workerCount; w++) {
            int first = w;
            tasks.add(workers.submit(() -> {
                BatchWorkspace workspace = network.newWorkspace(); // this task's scratch, never shared
                for (int i = first; i < batches.size(); i += workerCount) {
                    Batch b = batches.get(i);
                    DenseVector gradient = DenseVector.zeros(network.parameterCount());
                    double value = network.gradient(b.inputs(), loss, b.targets(), workspace, gradient);
                    results[i] = new Result(value, gradient);
                }
            }));
        }
        for (Future<?> task : tasks) {
            try {
                task.get(); // also publishes the task's writes to results[] to this thread
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof RuntimeException r ? r : new IllegalStateException("a gradient task failed", cause);
            }
        }
        return List.of(results);
    }

    /** The same on the calling thread alone: the reference the parallel results must equal bit for bit. */
    public static List<Result> sequential(Network network, Loss loss, List<Batch> batches) {
        BatchWorkspace workspace = network.newWorkspace();
        List<Result> out = new ArrayList<>();
        for (Batch b : batches) {
            DenseVector gradient = DenseVector.zeros(network.parameterCount());
            double value = network.gradient(b.inputs(), loss, b.targets(), workspace, gradient);
            out.add(new Result(value, gradient));
        }
        return out;
    }
}
