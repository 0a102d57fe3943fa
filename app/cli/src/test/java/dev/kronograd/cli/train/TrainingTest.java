package dev.kronograd.cli.train;

import dev.kronograd.sdk.train.TrainingConfig;
import dev.kronograd.sdk.train.Adam;
import dev.kronograd.sdk.train.Trainer;
import dev.kronograd.sdk.train.TrainingDivergedException;
import dev.kronograd.sdk.train.EpochStats;
import dev.kronograd.sdk.train.TrainingListener;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.nn.Network;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training loop on the default backend: determinism, the accuracy targets with the default budget, divergence. */
class TrainingTest {
    private static Kronograd sdk;

    @BeforeAll
    static void sdk() {
        sdk = Kronograd.create();
    }

    @Test
    void theSameSeedGivesTheSameRunBitForBitAndAnotherSeedDoesNot() {
        TrainingOptions options = TrainingOptions.defaults("spirals").withEpochs(15);
        List<Double> lossesA = new ArrayList<>();
        TrainingRun.Result a = TrainingRun.run(sdk, options, s -> lossesA.add(s.loss()));
        TrainingRun.Result b = TrainingRun.run(sdk, options, TrainingListener.NONE);
        TrainingRun.Result c = TrainingRun.run(sdk, options.withSeed(2), TrainingListener.NONE);

        assertArrayEquals(a.network().parameters().toArray(), b.network().parameters().toArray(), 0.0);
        assertArrayEquals(a.history().losses(), b.history().losses(), 0.0);
        assertArrayEquals(lossesA.stream().mapToDouble(Double::doubleValue).toArray(), a.history().losses(), 0.0);
        assertFalse(java.util.Arrays.equals(a.network().parameters().toArray(), c.network().parameters().toArray()));
        assertFalse(java.util.Arrays.equals(a.history().losses(), c.history().losses()));
    }

    @Test
    void sgdRunsAreDeterministicToo() {
        TrainingOptions options = TrainingOptions.defaults("iris").withOptimizer("sgd", 0.05, 0.9).withEpochs(10);
        TrainingRun.Result a = TrainingRun.run(sdk, options, TrainingListener.NONE);
        TrainingRun.Result b = TrainingRun.run(sdk, options, TrainingListener.NONE);
        assertArrayEquals(a.network().parameters().toArray(), b.network().parameters().toArray(), 0.0);
        assertTrue(a.history().last().loss() < a.history().epochs().get(0).loss(), "SGD lowers the loss");
    }

    @Test
    void irisReachesTheTargetWithTheDefaults() {
        TrainingOptions options = TrainingOptions.defaults("iris");
        TrainingRun.Result r = TrainingRun.run(sdk, options, TrainingListener.NONE);
        assertEquals(45, r.split().test().size());
        assertEquals(options.epochs(), r.history().epochs().size());
        assertTrue(r.testAccuracy() >= 0.95, "iris test accuracy " + r.testAccuracy());
    }

    @Test
    void twoSpiralsReachTheTargetWithTheDefaults() {
        TrainingRun.Result r = TrainingRun.run(sdk, TrainingOptions.defaults("spirals"), TrainingListener.NONE);
        assertEquals(180, r.split().test().size());
        assertTrue(r.testAccuracy() >= 0.98, "two-spirals test accuracy " + r.testAccuracy());
    }

    @Test
    void theListenerSeesEveryEpochInOrderWithFiniteNumbers() {
        List<EpochStats> seen = new ArrayList<>();
        TrainingRun.run(sdk, TrainingOptions.defaults("iris").withEpochs(7), seen::add);
        assertEquals(7, seen.size());
        for (int e = 0; e < 7; e++) {
            EpochStats s = seen.get(e);
            assertEquals(e + 1, s.epoch());
            assertEquals(7, s.epochs());
            assertTrue(Double.isFinite(s.loss()) && s.samplesPerSecond() > 0);
            assertTrue(s.trainAccuracy() >= 0 && s.trainAccuracy() <= 1 && s.testAccuracy() >= 0 && s.testAccuracy() <= 1);
        }
    }

    @Test
    void aDivergingRunStopsWithAClearError() {
        // A linear network on squared error with a step far beyond 2/λ_max grows geometrically until it overflows.
        TrainingOptions options = new TrainingOptions("iris", 1, List.of(8), "identity", "squared-error", "sgd", 10.0, 0.9, 50, 16, 0.3);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> TrainingRun.run(sdk, options, TrainingListener.NONE));
        assertTrue(e.getMessage().contains("lower the learning rate"), e.getMessage());
    }

    @Test
    void aTrainerRejectsAnOptimizerOfTheWrongSize() {
        Network net = sdk.network().inputs(4).layer(3, "identity").build(new java.util.Random(1));
        assertThrows(IllegalArgumentException.class,
                () -> new Trainer(net, sdk.loss("softmax-cross-entropy"), new Adam(5, 0.01), new TrainingConfig(1, 8, 1)));
    }
}
