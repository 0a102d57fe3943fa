package dev.kronograd.sdk.train;

import dev.kronograd.core.DenseVector;

import java.util.Locale;

/**
 * A first-order optimiser: updates the flat parameter vector θ in place from a gradient.
 * Implementations keep their state (velocity, moments) in buffers sized once, at construction,
 * for one parameter count, so {@link #step} allocates nothing. Not thread-safe: one optimiser
 * per training loop.
 */
public interface Optimizer {

    /**
     * θ ← θ − update(g). θ: modified in place (typically {@code network.parameters()}, a live
     * view). g: not modified; must not share storage with θ. Both have length
     * {@link #parameterCount()}.
     */
    void step(DenseVector parameters, DenseVector gradient);

    /** The parameter count the state buffers were sized for. */
    int parameterCount();

    /** Name and hyper-parameters, e.g. {@code adam(lr=0.01, β1=0.9, β2=0.999, ε=1e-8)}. */
    String describe();

    /**
     * The optimiser called {@code name} ({@code sgd} or {@code adam}) for {@code parameterCount}
     * parameters; {@code momentum} is used by SGD only.
     *
     * @throws IllegalArgumentException for another name or invalid hyper-parameters
     */
    static Optimizer named(String name, int parameterCount, double learningRate, double momentum) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sgd" -> new Sgd(parameterCount, learningRate, momentum);
            case "adam" -> new Adam(parameterCount, learningRate);
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'; choose sgd or adam");
        };
    }

    /** Checks a step's arguments against the buffers (shared by the implementations). */
    static void requireShapes(Optimizer o, DenseVector parameters, DenseVector gradient) {
        if (parameters.length() != o.parameterCount() || gradient.length() != o.parameterCount()) {
            throw new IllegalArgumentException(o.describe() + " was sized for " + o.parameterCount() + " parameters but θ has length "
                    + parameters.length() + " and the gradient " + gradient.length());
        }
    }
}
