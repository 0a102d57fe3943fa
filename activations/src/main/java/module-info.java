/**
 * Kronograd activations: the {@link dev.kronograd.activations.Activation} SPI, the
 * {@link dev.kronograd.activations.ActivationRegistry} (ServiceLoader discovery on the class path,
 * module path and plugin folders), the built-in activations and the contract checker
 * {@link dev.kronograd.activations.ActivationContract} for plugin authors. With
 * {@code --add-modules jdk.incubator.vector} the bulk σ and σ' of {@code tanh} and {@code sigmoid}
 * use the incubating Vector API; without it the same results come from scalar code.
 */
module dev.kronograd.activations {
    // KronogradException, the supertype of this module's exceptions.
    requires transitive dev.kronograd.core;
    requires org.slf4j;
    // Optional: the vector kernels of tanh and sigmoid, read only when the JVM resolved it.
    requires static jdk.incubator.vector;

    exports dev.kronograd.activations;

    uses dev.kronograd.activations.Activation;

    provides dev.kronograd.activations.Activation with
            dev.kronograd.activations.builtin.Identity,
            dev.kronograd.activations.builtin.Sigmoid,
            dev.kronograd.activations.builtin.Tanh,
            dev.kronograd.activations.builtin.Relu,
            dev.kronograd.activations.builtin.LeakyRelu,
            dev.kronograd.activations.builtin.Elu,
            dev.kronograd.activations.builtin.Selu,
            dev.kronograd.activations.builtin.Softplus,
            dev.kronograd.activations.builtin.Gelu,
            dev.kronograd.activations.builtin.GeluTanh,
            dev.kronograd.activations.builtin.Silu,
            dev.kronograd.activations.builtin.Softsign;
}
