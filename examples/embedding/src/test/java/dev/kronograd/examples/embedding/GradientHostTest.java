package dev.kronograd.examples.embedding;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.KronogradModule;
import dev.kronograd.backend.ejml.EjmlBackendModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the host: its injector wires the SDK with the backend it chose, and the threads agree with one thread. */
class GradientHostTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theHostComputesOnFourThreadsExactlyAsOnOneAndLearns() throws Exception {
        GradientHost.Report report = GradientHost.run(4, 5);
        assertEquals("ejml", report.backend(), "the backend module the host installed");
        assertEquals(5 * GradientHost.BATCHES, report.gradients());
        assertEquals(0, report.mismatches(), "gradients computed in parallel differ from the single-threaded ones");
        List<Double> losses = report.losses();
        assertTrue(losses.get(losses.size() - 1) < losses.get(0), "gradient descent lowers the loss: " + losses);
    }

    @Test
    void theInjectorHoldsOneSdkAndTheHostsBindings() {
        Injector injector = Guice.createInjector(new KronogradModule(), new EjmlBackendModule(), new HostModule(2));
        Kronograd sdk = injector.getInstance(Kronograd.class);
        assertSame(sdk, injector.getInstance(Kronograd.class), "the SDK is a singleton of the host's injector");
        assertEquals("ejml", sdk.backendName());
        assertTrue(sdk.backendDetail().contains("bound by the host application"), sdk.backendDetail());
        assertTrue(sdk.activations().names().contains("tanh"));
        Injector other = Guice.createInjector(new KronogradModule(), new EjmlBackendModule(), new HostModule(2));
        assertNotSame(sdk, other.getInstance(Kronograd.class), "no global state: each injector has its own SDK");
    }
}
