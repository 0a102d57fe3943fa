/**
 * The assembled Kronograd SDK: Guice wiring, layers and networks with their structured
 * Jacobians, losses, the gradient API, and the {@code kronograd} command line.
 */
module dev.kronograd.app {
    requires transitive dev.kronograd.core;
    requires transitive dev.kronograd.activations;
    requires transitive dev.kronograd.backend;
    requires transitive com.google.guice;
    requires org.slf4j;
    // Guice (an automatic module) needs jakarta.inject in the module graph on the module path.
    requires jakarta.inject;
    requires com.fasterxml.jackson.databind;
    requires info.picocli;
    requires java.desktop;
    requires org.knowm.xchart;
    requires java.logging;
    // The HTTP service (dev.kronograd.app.server) runs on the JDK's built-in server.
    requires jdk.httpserver;

    exports dev.kronograd.app;
    exports dev.kronograd.app.backend;
    exports dev.kronograd.app.io;
    exports dev.kronograd.app.loss;
    exports dev.kronograd.app.nn;
    exports dev.kronograd.app.server;

    opens dev.kronograd.app to com.google.guice;
    // picocli reads the command classes' annotations and sets their fields reflectively.
    opens dev.kronograd.app.cli to info.picocli;

    uses dev.kronograd.app.loss.Loss;
    uses dev.kronograd.backend.BackendProvider;
    provides dev.kronograd.app.loss.Loss with dev.kronograd.app.loss.SquaredError, dev.kronograd.app.loss.SoftmaxCrossEntropy;
}
