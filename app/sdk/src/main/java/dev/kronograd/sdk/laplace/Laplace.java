package dev.kronograd.sdk.laplace;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.ShapeMismatchException;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.sdk.nn.Curvature;
import dev.kronograd.sdk.nn.DenseLayer;
import dev.kronograd.sdk.nn.GgnOperator;
import dev.kronograd.sdk.nn.KroneckerEigenOperator;
import dev.kronograd.sdk.nn.Network;

import java.util.Objects;

/**
 * The Laplace approximation of a network's posterior at its current parameters θ (no MAP fitting
 * is implied), with the conventions of laplace-torch. With L the SDK's summed loss over the N
 * samples of the batch, m outputs, P the approximation's parameters (all of θ, or the last layer's
 * for {@link Structure#LAST_LAYER}) and prior {@code N(0, δ⁻¹ I)}:
 *
 * <pre>
 *   NLL = L/σ² + (N m/2) log(2πσ²)   (squared error: Gaussian likelihood, noise σ)
 *   NLL = L                           (softmax / sigmoid cross-entropy: categorical / Bernoulli)
 *   Λ   = GGN(NLL) + δ I              (GGN(NLL) = GGN(L)/σ² or GGN(L): the summed loss's GGN)
 *   log Z ≈ −NLL − (δ/2)‖θ‖² + (P/2) log δ − ½ log det Λ
 * </pre>
 *
 * The {@link Structure} decides how GGN(NLL) is represented and Λ inverted: {@code full} (dense,
 * Cholesky), {@code diag} (the exact diagonal, elementwise), {@code kron} and {@code ekfac}
 * (Kronecker factors times B — the summed loss's, see {@code KfacOperator} — inverted in the
 * factors' eigenbases), {@code last-layer} (dense over the last layer's parameters only).
 *
 * <p>The GLM {@link #predictive(DenseMatrix) predictive} at new inputs x* is the network's output
 * f(x*) with functional variance {@code diag(J* Λ⁻¹ J*ᵀ)} (J* the Jacobian of f(x*) in the
 * approximation's parameters; observation noise not added). {@link #tunePriorPrecision()} maximises
 * log Z over a scalar δ, {@link #tuneLayerPriorPrecisions()} over one δ_k per layer (prior
 * N(0, δ_k⁻¹ I) on θ_k, {@link #withLayerPriorPrecisions}).
 *
 * <p>Immutable and thread-safe. The curvature is computed once by {@link Builder#build()}; changing
 * δ ({@link #withPriorPrecision}) reuses it.
 */
public final class Laplace {
    /** Default largest P for the dense structures ({@code full}, {@code last-layer}): Λ is P×P and factorised in O(P³). */
    public static final int DEFAULT_DENSE_PARAMETER_LIMIT = 1000;
    /** The bracket of {@link #tunePriorPrecision()}. */
    public static final double TUNE_LOWER = 1e-6;
    /** The bracket of {@link #tunePriorPrecision()}. */
    public static final double TUNE_UPPER = 1e6;

    private final Network network;
    private final Likelihood likelihood;
    private final Structure structure;
    private final double sigmaNoise;
    private final double negativeLogLikelihood;
    private final DenseVector theta;
    private final int offset;
    private final Posterior posterior;
    private final int[] layerOffsets;   // within the approximation's parameters
    private final int[] layerLengths;
    private final double[] precisions;  // δ_k per layer of the approximation
    private final Factor factor;

    private Laplace(Network network, Likelihood likelihood, Structure structure, double sigmaNoise, double nll, DenseVector theta,
                    int offset, Posterior posterior, int[] layerOffsets, int[] layerLengths, double[] precisions) {
        this.network = network;
        this.likelihood = likelihood;
        this.structure = structure;
        this.sigmaNoise = sigmaNoise;
        this.negativeLogLikelihood = nll;
        this.theta = theta;
        this.offset = offset;
        this.posterior = posterior;
        this.layerOffsets = layerOffsets;
        this.layerLengths = layerLengths;
        this.precisions = precisions.clone();
        this.factor = posterior.at(this.precisions);
    }

    /**
     * Starts a Laplace approximation of {@code network} at its parameters on a batch.
     *
     * @param inputs  n×N, not modified
     * @param loss    squared-error, softmax-cross-entropy or sigmoid-cross-entropy
     * @param targets m×N, not modified
     */
    public static Builder builder(Network network, DenseMatrix inputs, Loss loss, DenseMatrix targets) {
        return new Builder(network, inputs, loss, targets);
    }

    /** The structure of Λ. */
    public Structure structure() {
        return structure;
    }

    /** The likelihood the loss stands for. */
    public Likelihood likelihood() {
        return likelihood;
    }

    /** δ, the prior precision; NaN after {@link #withLayerPriorPrecisions} with different δ_k. */
    public double priorPrecision() {
        for (double d : precisions) {
            if (d != precisions[0]) {
                return Double.NaN;
            }
        }
        return precisions[0];
    }

    /**
     * δ_k per layer the approximation covers (every layer; only the last for {@code last-layer}): the
     * prior is N(0, δ_k⁻¹ I) on θ_k. A copy.
     */
    public double[] layerPriorPrecisions() {
        return precisions.clone();
    }

    /** σ, the Gaussian likelihood's noise; NaN for the categorical and Bernoulli likelihoods. */
    public double sigmaNoise() {
        return sigmaNoise;
    }

    /** P: the number of parameters the approximation covers (the last layer's for {@code last-layer}). */
    public int parameterCount() {
        return posterior.size();
    }

    /** The negative log-likelihood NLL of the batch at θ. */
    public double negativeLogLikelihood() {
        return negativeLogLikelihood;
    }

    /** log det Λ at this δ. */
    public double logDeterminant() {
        return factor.logDeterminant();
    }

    /**
     * {@code log Z ≈ −NLL − (δ/2)‖θ‖² + (P/2) log δ − ½ log det Λ} at this δ (per layer:
     * {@code −NLL + Σ_k [(P_k/2) log δ_k − (δ_k/2)‖θ_k‖²] − ½ log det Λ}, Λ = GGN(NLL) + ⊕ δ_k I).
     */
    public double logMarginalLikelihood() {
        return logMarginalLikelihood(precisions, factor);
    }

    /**
     * log Z at another prior precision, reusing the curvature.
     *
     * @throws IllegalArgumentException if δ is not positive and finite
     */
    public double logMarginalLikelihood(double priorPrecision) {
        checkPriorPrecision(priorPrecision);
        double[] each = scalar(priorPrecision);
        return logMarginalLikelihood(each, posterior.at(each));
    }

    /**
     * log Z at other per-layer prior precisions δ_k (one per {@link #layerPriorPrecisions()} entry),
     * reusing the curvature.
     *
     * @throws IllegalArgumentException if the count is wrong or a δ_k is not positive and finite
     */
    public double logMarginalLikelihood(double[] layerPriorPrecisions) {
        double[] each = checkLayerPrecisions(layerPriorPrecisions);
        return logMarginalLikelihood(each, posterior.at(each));
    }

    private double logMarginalLikelihood(double[] delta, Factor f) {
        double prior = 0;
        for (int k = 0; k < delta.length; k++) {
            DenseVector t = theta.slice(layerOffsets[k], layerLengths[k]);
            prior += 0.5 * layerLengths[k] * Math.log(delta[k]) - 0.5 * delta[k] * t.dot(t);
        }
        return -negativeLogLikelihood + prior - 0.5 * f.logDeterminant();
    }

    private double[] scalar(double delta) {
        double[] each = new double[layerLengths.length];
        java.util.Arrays.fill(each, delta);
        return each;
    }

    private double[] checkLayerPrecisions(double[] layerPriorPrecisions) {
        if (layerPriorPrecisions.length != layerLengths.length) {
            throw new IllegalArgumentException("priorPrecision needs one δ per layer of the approximation: " + layerLengths.length
                    + ", got " + layerPriorPrecisions.length);
        }
        for (double d : layerPriorPrecisions) {
            checkPriorPrecision(d);
        }
        return layerPriorPrecisions.clone();
    }

    /**
     * The same approximation at another prior precision (the curvature is reused).
     *
     * @throws IllegalArgumentException if δ is not positive and finite
     */
    public Laplace withPriorPrecision(double priorPrecision) {
        checkPriorPrecision(priorPrecision);
        return new Laplace(network, likelihood, structure, sigmaNoise, negativeLogLikelihood, theta, offset, posterior, layerOffsets,
                layerLengths, scalar(priorPrecision));
    }

    /**
     * The same approximation with prior N(0, δ_k⁻¹ I) on each layer's θ_k (the curvature is reused).
     *
     * @param layerPriorPrecisions δ_k, one per {@link #layerPriorPrecisions()} entry, each positive and finite
     * @throws IllegalArgumentException if the count is wrong or a δ_k is not positive and finite
     */
    public Laplace withLayerPriorPrecisions(double[] layerPriorPrecisions) {
        double[] each = checkLayerPrecisions(layerPriorPrecisions);
        return new Laplace(network, likelihood, structure, sigmaNoise, negativeLogLikelihood, theta, offset, posterior, layerOffsets,
                layerLengths, each);
    }

    /**
     * {@code Λ⁻¹ v}, the posterior covariance times v (length P = {@link #parameterCount()}), by the
     * structure's own solve.
     *
     * @throws ShapeMismatchException if v does not have length P
     */
    public DenseVector posteriorCovarianceTimes(DenseVector v) {
        ShapeMismatchException.requireLength("v", v.length(), "the approximation's parameters", posterior.size());
        return factor.solve(v);
    }

    /**
     * The GLM predictive at new inputs: the outputs f(x*) and {@code diag(J* Λ⁻¹ J*ᵀ)} per output
     * and input. Costs m backward passes per input for J*, plus one solve (quadratic form) per output.
     *
     * @param inputs n×N* (one column per input), not modified
     * @throws IllegalArgumentException if the inputs do not have the network's n rows (naming {@code inputs})
     */
    public Predictive predictive(DenseMatrix inputs) {
        Objects.requireNonNull(inputs, "inputs");
        if (inputs.rows() != network.inputs()) {
            throw new IllegalArgumentException("inputs must have length " + network.inputs() + " (the network's inputs) per sample, got "
                    + inputs.rows());
        }
        int m = network.outputs();
        int count = inputs.cols();
        DenseMatrix mean = network.predict(inputs);
        DenseMatrix variance = DenseMatrix.zeros(m, count);
        int p = posterior.size();
        for (int s = 0; s < count; s++) {
            DenseMatrix jacobian = network.parameterJacobianDense(inputs.block(0, s, inputs.rows(), 1));   // m × P_all
            for (int j = 0; j < m; j++) {
                DenseVector r = DenseVector.zeros(p);
                for (int c = 0; c < p; c++) {
                    r.set(c, jacobian.get(j, offset + c));
                }
                variance.set(j, s, factor.quadratic(r));
            }
        }
        return new Predictive(mean, variance);
    }

    /**
     * The approximation at the scalar δ that maximises log Z in [{@value #TUNE_LOWER}, {@value #TUNE_UPPER}]:
     * log Z is evaluated on a grid of half-decades in δ, then the best grid point's neighbourhood is
     * searched by golden section on log δ to a relative precision of about 1e-9 in δ. A maximum on the
     * bracket's edge is returned as it is.
     */
    public Laplace tunePriorPrecision() {
        double t = maximiseOnLogScale(logDelta -> logMarginalLikelihood(Math.exp(logDelta)));
        return withPriorPrecision(Math.exp(t));
    }

    /**
     * The approximation at per-layer prior precisions δ_k that maximise log Z, each in
     * [{@value #TUNE_LOWER}, {@value #TUNE_UPPER}]: coordinate ascent from the tuned scalar δ, each
     * step the one-dimensional search of {@link #tunePriorPrecision()} over one δ_k with the others
     * fixed, sweeping the layers until no δ_k changes by more than 1e-6 relative (at most 20 sweeps).
     * log Z never decreases, so the result is at least as good as the scalar optimum.
     */
    public Laplace tuneLayerPriorPrecisions() {
        double[] delta = tunePriorPrecision().layerPriorPrecisions();
        for (int sweep = 0; sweep < 20; sweep++) {
            boolean changed = false;
            for (int k = 0; k < delta.length; k++) {
                int layer = k;
                double[] trial = delta.clone();
                double before = logMarginalLikelihood(delta);
                double t = maximiseOnLogScale(logDelta -> {
                    trial[layer] = Math.exp(logDelta);
                    return logMarginalLikelihood(trial);
                });
                trial[layer] = Math.exp(t);
                if (logMarginalLikelihood(trial) > before) {
                    changed |= Math.abs(trial[layer] - delta[layer]) > 1e-6 * delta[layer];
                    delta[layer] = trial[layer];
                }
            }
            if (!changed) {
                break;
            }
        }
        return withLayerPriorPrecisions(delta);
    }

    /**
     * The t in [log {@value #TUNE_LOWER}, log {@value #TUNE_UPPER}] that maximises f: a grid of
     * half-decades, then golden section around the best grid point to 1e-9 in t; a maximum on the
     * bracket's edge is returned as it is.
     */
    private static double maximiseOnLogScale(java.util.function.DoubleUnaryOperator f) {
        double lo = Math.log(TUNE_LOWER);
        double hi = Math.log(TUNE_UPPER);
        double step = Math.log(10) / 2;
        int points = (int) Math.round((hi - lo) / step) + 1;
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < points; i++) {
            double value = f.applyAsDouble(lo + i * step);
            if (value > bestValue) {
                bestValue = value;
                best = i;
            }
        }
        double a = lo + Math.max(0, best - 1) * step;
        double b = lo + Math.min(points - 1, best + 1) * step;
        double ratio = (Math.sqrt(5) - 1) / 2;
        double c = b - ratio * (b - a);
        double d = a + ratio * (b - a);
        double fc = f.applyAsDouble(c);
        double fd = f.applyAsDouble(d);
        while (b - a > 1e-9) {
            if (fc >= fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - ratio * (b - a);
                fc = f.applyAsDouble(c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + ratio * (b - a);
                fd = f.applyAsDouble(d);
            }
        }
        double t = fc >= fd ? c : d;
        // The golden section can only lose to a grid point on a non-unimodal curve; keep the better one.
        return bestValue > Math.max(fc, fd) ? lo + best * step : t;
    }

    static void checkPriorPrecision(double delta) {
        if (!(delta > 0) || !Double.isFinite(delta)) {
            throw new IllegalArgumentException("priorPrecision δ must be a positive finite number, was " + delta);
        }
    }

    /** The GGN(NLL) in one structure, to be damped by δ. */
    interface Posterior {
        int size();

        /** GGN(NLL) + ⊕ δ_k I, one δ per layer of the approximation. */
        Factor at(double[] layerDelta);
    }

    /** Λ = GGN(NLL) + δI at one δ. */
    interface Factor {
        double logDeterminant();

        DenseVector solve(DenseVector v);

        double quadratic(DenseVector r);
    }

    /** δ_k spread over each layer's parameters. */
    private static double[] perParameter(double[] layerDelta, int[] offsets, int[] lengths, int size) {
        double[] out = new double[size];
        for (int k = 0; k < layerDelta.length; k++) {
            java.util.Arrays.fill(out, offsets[k], offsets[k] + lengths[k], layerDelta[k]);
        }
        return out;
    }

    /** Dense H (row-major), Cholesky per δ. */
    private record DensePosterior(double[] h, int size, int[] offsets, int[] lengths) implements Posterior {
        @Override
        public Factor at(double[] layerDelta) {
            DenseCholesky chol = new DenseCholesky(h, size, perParameter(layerDelta, offsets, lengths, size));
            return new Factor() {
                @Override
                public double logDeterminant() {
                    return chol.logDeterminant();
                }

                @Override
                public DenseVector solve(DenseVector v) {
                    return DenseVector.of(chol.solve(v.toArray()));
                }

                @Override
                public double quadratic(DenseVector r) {
                    return chol.quadratic(r.toArray());
                }
            };
        }
    }

    /** diag(H) + δI. */
    private record DiagonalPosterior(double[] d, int[] offsets, int[] lengths) implements Posterior {
        @Override
        public int size() {
            return d.length;
        }

        @Override
        public Factor at(double[] layerDelta) {
            double[] delta = perParameter(layerDelta, offsets, lengths, d.length);
            double[] inv = new double[d.length];
            double logDet = 0;
            for (int i = 0; i < d.length; i++) {
                double v = d[i] + delta[i];
                if (!(v > 0)) {
                    throw new ArithmeticException("the posterior precision diag(GGN) + δI is not positive definite (entry " + i + " is "
                            + v + ", δ = " + delta[i] + ")");
                }
                inv[i] = 1 / v;
                logDet += Math.log(v);
            }
            double ld = logDet;
            return new Factor() {
                @Override
                public double logDeterminant() {
                    return ld;
                }

                @Override
                public DenseVector solve(DenseVector v) {
                    DenseVector out = DenseVector.zeros(inv.length);
                    for (int i = 0; i < inv.length; i++) {
                        out.set(i, inv[i] * v.get(i));
                    }
                    return out;
                }

                @Override
                public double quadratic(DenseVector r) {
                    double s = 0;
                    for (int i = 0; i < inv.length; i++) {
                        s += r.get(i) * r.get(i) * inv[i];
                    }
                    return s;
                }
            };
        }
    }

    /** A Kronecker-eigenbasis curvature (KFAC or EKFAC, summed-loss scaling) + δI. */
    private record KroneckerPosterior(KroneckerEigenOperator h) implements Posterior {
        @Override
        public int size() {
            return h.rows();
        }

        @Override
        public Factor at(double[] layerDelta) {
            double logDet = h.logDeterminant(layerDelta);
            LinearOperator inverse = h.inverse(layerDelta);
            return new Factor() {
                @Override
                public double logDeterminant() {
                    return logDet;
                }

                @Override
                public DenseVector solve(DenseVector v) {
                    return inverse.apply(v);
                }

                @Override
                public double quadratic(DenseVector r) {
                    return r.dot(inverse.apply(r));
                }
            };
        }
    }

    /**
     * Settings of a {@link Laplace} approximation: structure (default {@code kron}), prior
     * precision δ (default 1), the Gaussian noise σ (required for squared error, rejected otherwise)
     * and the size limit of the dense structures.
     */
    public static final class Builder {
        private final Network network;
        private final DenseMatrix inputs;
        private final Loss loss;
        private final DenseMatrix targets;
        private Structure structure = Structure.KRON;
        private double priorPrecision = 1.0;
        private Double sigmaNoise;
        private int denseParameterLimit = DEFAULT_DENSE_PARAMETER_LIMIT;

        private Builder(Network network, DenseMatrix inputs, Loss loss, DenseMatrix targets) {
            this.network = Objects.requireNonNull(network, "network");
            this.inputs = Objects.requireNonNull(inputs, "inputs");
            this.loss = Objects.requireNonNull(loss, "loss");
            this.targets = Objects.requireNonNull(targets, "targets");
        }

        /** The structure of Λ (default {@link Structure#KRON}). */
        public Builder structure(Structure structure) {
            this.structure = Objects.requireNonNull(structure, "structure");
            return this;
        }

        /** δ, the prior precision (default 1); checked by {@link #build()}: positive and finite. */
        public Builder priorPrecision(double priorPrecision) {
            this.priorPrecision = priorPrecision;
            return this;
        }

        /** σ, the Gaussian noise of squared error; checked by {@link #build()}: positive and finite, squared error only. */
        public Builder sigmaNoise(double sigmaNoise) {
            this.sigmaNoise = sigmaNoise;
            return this;
        }

        /** The largest P the dense structures accept (default {@value #DEFAULT_DENSE_PARAMETER_LIMIT}). */
        public Builder denseParameterLimit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("the dense parameter limit must be at least 1, was " + limit);
            }
            this.denseParameterLimit = limit;
            return this;
        }

        /**
         * Validates the settings, evaluates the loss and computes the structure's curvature.
         *
         * @throws IllegalArgumentException naming the setting: δ ≤ 0 ({@code priorPrecision}), σ missing,
         *                                  ≤ 0 or given for a cross-entropy ({@code sigmaNoise}), a loss without a
         *                                  likelihood ({@code loss}), P over the limit for a dense structure
         *                                  ({@code structure}), or inputs/targets of the wrong shape
         */
        public Laplace build() {
            checkPriorPrecision(priorPrecision);
            Likelihood likelihood = Likelihood.of(loss);
            double sigma = Double.NaN;
            if (likelihood == Likelihood.GAUSSIAN) {
                if (sigmaNoise == null) {
                    throw new IllegalArgumentException("sigmaNoise σ is required for squared-error (Gaussian likelihood)");
                }
                if (!(sigmaNoise > 0) || !Double.isFinite(sigmaNoise)) {
                    throw new IllegalArgumentException("sigmaNoise σ must be a positive finite number, was " + sigmaNoise);
                }
                sigma = sigmaNoise;
            } else if (sigmaNoise != null) {
                throw new IllegalArgumentException("sigmaNoise σ applies only to squared-error (Gaussian likelihood); " + loss.name()
                        + " has a " + likelihood.name().toLowerCase(java.util.Locale.ROOT) + " likelihood without a noise parameter");
            }
            if (inputs.rows() != network.inputs()) {
                throw new IllegalArgumentException("inputs must have length " + network.inputs() + " (the network's inputs) per sample, got "
                        + inputs.rows());
            }
            if (targets.rows() != network.outputs() || targets.cols() != inputs.cols()) {
                throw new IllegalArgumentException("targets must be " + ShapeMismatchException.shape(network.outputs(), inputs.cols())
                        + " (outputs × samples), got " + targets.shape());
            }
            DenseLayer last = network.layer(network.layers().size() - 1);
            int p = switch (structure) {
                case LAST_LAYER -> last.parameterCount();
                default -> network.parameterCount();
            };
            if ((structure == Structure.FULL || structure == Structure.LAST_LAYER) && p > denseParameterLimit) {
                throw new IllegalArgumentException("structure " + structure.label() + " materialises a P×P matrix, but P = " + p
                        + " exceeds the limit of " + denseParameterLimit + " parameters; use diag, kron or ekfac"
                        + (structure == Structure.FULL ? " (or last-layer)" : ""));
            }
            Curvature at = Curvature.at(network, inputs, loss, targets);
            int batch = inputs.cols();
            double scale = likelihood == Likelihood.GAUSSIAN ? 1 / (sigma * sigma) : 1.0;
            double nll = likelihood == Likelihood.GAUSSIAN
                    ? at.loss() * scale + 0.5 * batch * network.outputs() * Math.log(2 * Math.PI * sigma * sigma)
                    : at.loss();
            GgnOperator ggn = at.ggn();
            int offset = structure == Structure.LAST_LAYER ? last.parameterOffset() : 0;
            int covered = structure == Structure.LAST_LAYER ? 1 : network.layers().size();
            int[] offsets = new int[covered];
            int[] lengths = new int[covered];
            for (int k = 0; k < covered; k++) {
                DenseLayer l = network.layer(network.layers().size() - covered + k);
                offsets[k] = l.parameterOffset() - offset;
                lengths[k] = l.parameterCount();
            }
            Posterior posterior = switch (structure) {
                case FULL -> new DensePosterior(dense(ggn, scale), p, offsets, lengths);
                case LAST_LAYER -> new DensePosterior(dense(ggn.layer(network.layers().size() - 1), scale), p, offsets, lengths);
                case DIAG -> {
                    double[] d = ggn.diagonal().toArray();
                    for (int i = 0; i < d.length; i++) {
                        d[i] *= scale;
                    }
                    yield new DiagonalPosterior(d, offsets, lengths);
                }
                case KRON -> new KroneckerPosterior(at.kfac().eigendecomposition().scaled(batch * scale));
                case EKFAC -> new KroneckerPosterior(at.ekfac().scaled(batch * scale));
            };
            DenseVector theta = network.parameters().slice(offset, p).copy();
            double[] precisions = new double[covered];
            java.util.Arrays.fill(precisions, priorPrecision);
            return new Laplace(network, likelihood, structure, sigma, nll, theta, offset, posterior, offsets, lengths, precisions);
        }

        /** scale · op as a row-major dense array, column by column (op symmetric), symmetrised. */
        private static double[] dense(LinearOperator op, double scale) {
            int n = op.rows();
            double[] h = new double[n * n];
            DenseVector e = DenseVector.zeros(n);
            DenseVector col = DenseVector.zeros(n);
            for (int j = 0; j < n; j++) {
                e.set(j, 1.0);
                op.apply(e, col);
                e.set(j, 0.0);
                for (int i = 0; i < n; i++) {
                    h[i * n + j] = scale * col.get(i);
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    double avg = 0.5 * (h[i * n + j] + h[j * n + i]);
                    h[i * n + j] = avg;
                    h[j * n + i] = avg;
                }
            }
            return h;
        }
    }
}
