package dev.kronograd.service.testing;

import dev.kronograd.activations.Activation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;

/**
 * The identity, {@value #NAME}, whose σ blocks on a gate held by another process: each call
 * connects to the {@link SocketGate} at 127.0.0.1 port {@code -D}{@value #PORT_PROPERTY} (the
 * connection tells the test a computation is inside σ) and returns once the gate sends a byte. For
 * tests of a {@code kronograd serve} child JVM: requests stay in flight exactly as long as the test
 * wants, with no sleeps.
 */
public final class SocketGatedActivation implements Activation {
    public static final String NAME = "socket-gated";
    public static final String PORT_PROPERTY = "kronograd.test.gate.port";
    /** How long σ waits for the gate before failing: a hang guard only. */
    private static final int GUARD_MILLIS = 30_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double value(double z) {
        int port = Integer.getInteger(PORT_PROPERTY, -1);
        try (Socket gate = new Socket(InetAddress.getLoopbackAddress(), port)) {
            gate.setSoTimeout(GUARD_MILLIS);
            if (gate.getInputStream().read() < 0) {
                throw new IllegalStateException("the gate closed without opening");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the gate at port " + port + ": " + e.getMessage(), e);
        }
        return z;
    }

    @Override
    public double derivative(double z) {
        return 1;
    }

    @Override
    public double secondDerivative(double z) {
        return 0;
    }
}
