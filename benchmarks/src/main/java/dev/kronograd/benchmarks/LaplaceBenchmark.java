package dev.kronograd.benchmarks;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.laplace.Laplace;
import dev.kronograd.sdk.laplace.Predictive;
import dev.kronograd.sdk.laplace.Structure;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.Network;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The Laplace approximation of a small regression network — 8 inputs, two tanh layers of
 * {@code width}, 2 linear outputs, squared error (σ = 0.5), B = 64, δ = 1 — with a Kronecker-factored
 * ({@code kron}) against a dense ({@code full}, P × P Cholesky) posterior precision: building it and
 * its log marginal likelihood ({@code fit}), and the GLM predictive at 16 new inputs
 * ({@code predictive}, the Laplace built in setup). P = 8w + w + w² + w + 2w + 2 (1,410 at w = 32).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class LaplaceBenchmark {

    private static final int INPUTS = 8;
    private static final int OUTPUTS = 2;
    private static final int BATCH = 64;
    private static final int NEW_INPUTS = 16;

    @Param({"netlib-native"})
    public String backend;

    @Param({"kron", "full"})
    public String structure;

    @Param({"32"})
    public int width;

    private Network net;
    private Loss loss;
    private DenseMatrix x;
    private DenseMatrix y;
    private DenseMatrix xStar;
    private Structure chosen;
    private Laplace laplace;

    @Setup
    public void setUp() {
        Kronograd k = Kronograd.builder().backend(backend).build();
        net = k.network().inputs(INPUTS).layer(width, "tanh").layer(width, "tanh").layer(OUTPUTS, "identity").build(new Random(1));
        loss = k.loss("squared-error");
        x = DenseMatrix.wrap(Backends.random(INPUTS * BATCH, 2), INPUTS, BATCH);
        y = DenseMatrix.wrap(Backends.random(OUTPUTS * BATCH, 3), OUTPUTS, BATCH);
        xStar = DenseMatrix.wrap(Backends.random(INPUTS * NEW_INPUTS, 4), INPUTS, NEW_INPUTS);
        chosen = switch (structure) {
            case "kron" -> Structure.KRON;
            case "full" -> Structure.FULL;
            default -> throw new IllegalArgumentException("structure must be kron or full, got " + structure);
        };
        laplace = build();
    }

    private Laplace build() {
        return Laplace.builder(net, x, loss, y).structure(chosen).priorPrecision(1).sigmaNoise(0.5)
                .denseParameterLimit(net.parameterCount()).build();
    }

    /** Curvature, factorisation and log Z. */
    @Benchmark
    public double fit() {
        return build().logMarginalLikelihood();
    }

    /** f(x*) and diag(J* Λ⁻¹ J*ᵀ) at 16 inputs. */
    @Benchmark
    public Predictive predictive() {
        return laplace.predictive(xStar);
    }
}
