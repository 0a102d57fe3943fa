package dev.kronograd.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kronograd.backend.BackendStatus;
import dev.kronograd.core.DenseVector;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.nn.BatchWorkspace;
import dev.kronograd.sdk.nn.Gradient;
import dev.kronograd.service.io.CaseReader;
import dev.kronograd.service.io.GradientCase;
import dev.kronograd.service.testing.TestCases;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One SDK object and one set of networks shared by 8 threads, each making 10,000 gradient calls
 * on cases of mixed shapes, activations and losses: every result must equal the single-threaded
 * one bit for bit. Half the threads call the allocating, thread-safe
 * {@code gradient(x, loss, y)}; the other half the hot path with a workspace and a gradient
 * buffer of their own per network — the two patterns the Network class documents.
 */
class SdkConcurrencyTest {
    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 10_000;
    private static final int CASES = 24;

    /** The backends available here, each tested on its own. */
    static List<String> backends() {
        try (Kronograd probe = Kronograd.builder().backend("ejml").build()) {
            return probe.backendListing().stream().filter(b -> b.availability().available()).map(BackendStatus::name).toList();
        }
    }

    /** The single-threaded reference of one case. */
    private record Expected(double loss, double[] outputs, double[] gradient) {
    }

    @ParameterizedTest(name = "backend {0}")
    @MethodSource("backends")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void eightThreadsTimesTenThousandCallsEqualTheSingleThreadedResults(String backend) throws Exception {
        Kronograd sdk = Kronograd.builder().backend(backend).environment(Map.of(), new Properties()).build();
        Random rnd = new Random(20240917L);
        List<GradientCase> cases = new ArrayList<>();
        List<Expected> expected = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            ObjectNode json = TestCases.random(rnd, 3, 8, 5);
            GradientCase c = CaseReader.using(sdk).read(json);
            Gradient g = c.gradient();
            cases.add(c);
            expected.add(new Expected(g.loss(), g.outputs().vec().toArray(), g.flat().toArray()));
        }

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    return thread % 2 == 0 ? allocating(thread, cases, expected) : withWorkspaces(thread, cases, expected);
                }));
            }
            start.countDown();
            List<String> mismatches = new ArrayList<>();
            for (Future<String> f : results) {
                String problem = f.get();
                if (!problem.isEmpty()) {
                    mismatches.add(problem);
                }
            }
            assertEquals(List.of(), mismatches, "threads whose results differ from the single-threaded ones");
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    /** {@code gradient(x, loss, y)}: new buffers per call. Returns "" or the first mismatch and the count. */
    private static String allocating(int thread, List<GradientCase> cases, List<Expected> expected) {
        int mismatches = 0;
        String first = "";
        for (int i = 0; i < CALLS_PER_THREAD; i++) {
            int k = (i * 7 + thread * 5) % cases.size();
            GradientCase c = cases.get(k);
            Gradient g = c.network().gradient(c.inputs(), c.loss(), c.targets());
            Expected e = expected.get(k);
            if (Double.doubleToLongBits(g.loss()) != Double.doubleToLongBits(e.loss())
                    || !Arrays.equals(g.flat().toArray(), e.gradient()) || !Arrays.equals(g.outputs().vec().toArray(), e.outputs())) {
                if (mismatches++ == 0) {
                    first = "thread " + thread + ", call " + i + ", case " + k;
                }
            }
        }
        return mismatches == 0 ? "" : first + " (" + mismatches + " mismatches)";
    }

    /** The hot path: one workspace and one gradient buffer per network, owned by this thread. */
    private static String withWorkspaces(int thread, List<GradientCase> cases, List<Expected> expected) {
        List<BatchWorkspace> workspaces = new ArrayList<>();
        List<DenseVector> buffers = new ArrayList<>();
        for (GradientCase c : cases) {
            workspaces.add(c.network().newWorkspace());
            buffers.add(DenseVector.zeros(c.network().parameterCount()));
        }
        int mismatches = 0;
        String first = "";
        for (int i = 0; i < CALLS_PER_THREAD; i++) {
            int k = (i * 11 + thread * 3) % cases.size();
            GradientCase c = cases.get(k);
            double loss = c.network().gradient(c.inputs(), c.loss(), c.targets(), workspaces.get(k), buffers.get(k));
            Expected e = expected.get(k);
            if (Double.doubleToLongBits(loss) != Double.doubleToLongBits(e.loss()) || !Arrays.equals(buffers.get(k).toArray(), e.gradient())
                    || !Arrays.equals(workspaces.get(k).last().output().vec().toArray(), e.outputs())) {
                if (mismatches++ == 0) {
                    first = "thread " + thread + ", call " + i + ", case " + k;
                }
            }
        }
        return mismatches == 0 ? "" : first + " (" + mismatches + " mismatches)";
    }
}
