package dev.kronograd.examples.embedding;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.KronogradModule;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.backend.ejml.EjmlBackendModule;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A host application embedding Kronograd. It builds <em>its own</em> injector from three modules:
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(
 *         new KronogradModule(),       // Kronograd's public module: activations, losses, operators, the SDK
 *         new EjmlBackendModule(),     // the backend this host chooses: binds LinearAlgebra
 *         new HostModule(4));          // the host's own bindings: its worker pool
 * Kronograd sdk = injector.getInstance(Kronograd.class);
 * ParallelGradients gradients = injector.getInstance(ParallelGradients.class);
 * }</pre>
 *
 * and then trains a small regression network by mini-batch gradient descent: every step computes
 * the gradients of all mini-batches in parallel on the shared, read-only network, checks them
 * against a single-threaded computation (bit for bit), and only then — with no computation
 * running — updates the parameters in place on the main thread.
 */
public final class GradientHost {
    /** Input length, hidden units, outputs of the network; samples per batch; batches per step. */
    static final int INPUTS = 8, HIDDEN = 16, OUTPUTS = 3, BATCH = 32, BATCHES = 24;

    /**
     * What a run did.
     *
     * @param backend     the backend the SDK computed with
     * @param losses      the total loss before each step
     * @param gradients   gradients computed on the worker threads
     * @param mismatches  how many differed from the single-threaded ones (0 expected)
     */
    public record Report(String backend, List<Double> losses, int gradients, int mismatches) {
    }

    private GradientHost() {
    }

    /** Runs 5 steps on 4 worker threads and prints the report. */
    public static void main(String[] args) throws InterruptedException {
        Report report = run(4, 5);
        System.out.println("backend " + report.backend() + "; " + report.gradients() + " gradients on 4 threads, "
                + report.mismatches() + " different from the single-threaded ones; loss per step " + report.losses());
        if (report.mismatches() != 0) {
            System.exit(1);
        }
    }

    /** {@code steps} steps of gradient descent with gradients computed on {@code workers} threads. */
    public static Report run(int workers, int steps) throws InterruptedException {
        Injector injector = Guice.createInjector(new KronogradModule(), new EjmlBackendModule(), new HostModule(workers));
        Kronograd sdk = injector.getInstance(Kronograd.class);
        ParallelGradients parallel = injector.getInstance(ParallelGradients.class);
        ExecutorService pool = injector.getInstance(ExecutorService.class);
        try {
            Random rnd = new Random(42);
            Network network = sdk.network().inputs(INPUTS).layer(HIDDEN, "tanh").layer(OUTPUTS, "identity").build(rnd);
            Loss loss = sdk.loss("squared-error");
            List<ParallelGradients.Batch> batches = data(rnd);

            List<Double> losses = new ArrayList<>();
            int computed = 0;
            int mismatches = 0;
            double learningRate = 0.01 / (BATCH * BATCHES);
            for (int step = 0; step < steps; step++) {
                List<ParallelGradients.Result> results = parallel.gradients(network, loss, batches);
                List<ParallelGradients.Result> reference = ParallelGradients.sequential(network, loss, batches);
                DenseVector sum = DenseVector.zeros(network.parameterCount());
                double total = 0;
                for (int i = 0; i < results.size(); i++) {
                    ParallelGradients.Result r = results.get(i);
                    ParallelGradients.Result ref = reference.get(i);
                    computed++;
                    if (Double.compare(r.loss(), ref.loss()) != 0 || !Arrays.equals(r.gradient().toArray(), ref.gradient().toArray())) {
                        mismatches++;
                    }
                    total += r.loss();
                    sdk.linearAlgebra().axpy(1.0, r.gradient(), sum);
                }
                losses.add(total);
                // No computation runs now: the parameters may change in place (θ ← θ − η Σ ∇L_b).
                sdk.linearAlgebra().axpy(-learningRate, sum, network.parameters());
            }
            return new Report(sdk.backendName(), losses, computed, mismatches);
        } finally {
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
            sdk.close(); // the host's shutdown: releases what the SDK opened (plugin class loaders, jar files)
        }
    }

    /** A seeded regression task: y = A x + noise, in {@value #BATCHES} batches of {@value #BATCH}. */
    private static List<ParallelGradients.Batch> data(Random rnd) {
        double[][] a = new double[OUTPUTS][INPUTS];
        for (double[] row : a) {
            for (int j = 0; j < INPUTS; j++) {
                row[j] = rnd.nextGaussian() / Math.sqrt(INPUTS);
            }
        }
        List<ParallelGradients.Batch> batches = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            DenseMatrix x = DenseMatrix.zeros(INPUTS, BATCH);
            DenseMatrix y = DenseMatrix.zeros(OUTPUTS, BATCH);
            for (int s = 0; s < BATCH; s++) {
                for (int j = 0; j < INPUTS; j++) {
                    x.set(j, s, rnd.nextGaussian());
                }
                for (int i = 0; i < OUTPUTS; i++) {
                    double v = 0.05 * rnd.nextGaussian();
                    for (int j = 0; j < INPUTS; j++) {
                        v += a[i][j] * x.get(j, s);
                    }
                    y.set(i, s, v);
                }
            }
            batches.add(new ParallelGradients.Batch(x, y));
        }
        return batches;
    }
}
