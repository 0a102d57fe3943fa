package dev.kronograd.service.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The test's side of {@link SocketGatedActivation}: counts the computations that reached σ (each
 * one connection) and holds them until {@link #open()}; after that every call passes at once.
 */
public final class SocketGate implements AutoCloseable {
    private final ServerSocket server;
    private final Semaphore entered = new Semaphore(0);
    private final List<Socket> held = new ArrayList<>();
    private boolean open;

    public SocketGate() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "socket-gate");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port to pass as {@code -D}{@value SocketGatedActivation#PORT_PROPERTY}. */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * A class-path folder whose {@code META-INF/services} registers {@link SocketGatedActivation}
     * (put it first on a child JVM's class path).
     */
    public static Path servicesFolder(Path folder) throws IOException {
        Path file = folder.resolve("META-INF/services/dev.kronograd.activations.Activation");
        Files.createDirectories(file.getParent());
        Files.writeString(file, SocketGatedActivation.class.getName() + "\n");
        return folder;
    }

    private void accept() {
        try {
            while (true) {
                Socket s = server.accept();
                synchronized (this) {
                    if (open) {
                        release(s);
                    } else {
                        held.add(s);
                    }
                }
                entered.release();
            }
        } catch (IOException closed) {
            // the gate is closed
        }
    }

    /** Waits until {@code count} computations are at the gate; false if they did not come within the wait. */
    public boolean awaitEntered(int count, long timeout, TimeUnit unit) throws InterruptedException {
        return entered.tryAcquire(count, timeout, unit);
    }

    /** Lets every held computation, and every later one, through. */
    public synchronized void open() {
        open = true;
        for (Socket s : held) {
            release(s);
        }
        held.clear();
    }

    private static void release(Socket s) {
        try (s) {
            s.getOutputStream().write(1);
            s.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        open();
        server.close();
    }
}
