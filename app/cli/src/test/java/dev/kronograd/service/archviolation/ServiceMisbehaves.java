package dev.kronograd.service.archviolation;

import java.util.function.IntConsumer;

/**
 * Breaks the layering (the service uses the CLI above it), prints, changes JVM-global state, binds a
 * logger and uses a CLI front end: everything a library must not do. Never run.
 */
public final class ServiceMisbehaves {
    private ServiceMisbehaves() {
    }

    static Object upwards() {
        return dev.kronograd.cli.KronogradCli.class;
    }

    static void prints(Exception e) {
        System.out.println("result");
        System.err.println("warning");
        e.printStackTrace();
    }

    static IntConsumer changesGlobalState() {
        System.setProperty("java.awt.headless", "true");
        System.clearProperty("java.awt.headless");
        System.setOut(System.out);
        Runtime.getRuntime().exit(1);
        return System::exit;
    }

    static Object bindsLogging() {
        return new org.slf4j.simple.SimpleServiceProvider();
    }

    static Object cliFrontEnd() {
        return new picocli.CommandLine(new Object());
    }
}
