/**
 * The Kronograd SDK, the library embedders depend on: Guice wiring ({@code Kronograd},
 * {@code KronogradModule}), layers and networks with their structured Jacobians, the {@code Loss}
 * SPI, the gradient and curvature API, the gradient check, optimisers and the training loop.
 * Logs through SLF4J's API only.
 */
module dev.kronograd.sdk {
    requires transitive dev.kronograd.core;
    requires transitive dev.kronograd.activations;
    requires transitive dev.kronograd.backend;
    requires transitive com.google.guice;
    requires org.slf4j;
    // Guice (an automatic module) needs jakarta.inject in the module graph on the module path.
    requires jakarta.inject;

    exports dev.kronograd.sdk;
    exports dev.kronograd.sdk.laplace;
    exports dev.kronograd.sdk.loss;
    exports dev.kronograd.sdk.nn;
    exports dev.kronograd.sdk.train;

    opens dev.kronograd.sdk to com.google.guice;

    uses dev.kronograd.sdk.loss.Loss;
    provides dev.kronograd.sdk.loss.Loss with dev.kronograd.sdk.loss.SquaredError, dev.kronograd.sdk.loss.SoftmaxCrossEntropy,
            dev.kronograd.sdk.loss.SigmoidCrossEntropy;
}
