package dev.kronograd.sdk.nn;

import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.ShapeMismatchException;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.Transpose;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.Operators;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A sequence of dense layers {@code a_k = σ_k(W_k a_{k−1} + b_k)}, with all parameters in one
 * vector θ = [θ₁; θ₂; …], θ_k = [vec W_k; b_k]. Batches are n×B matrices, one sample per column.
 *
 * <p>Derivatives go through the structured operators of each layer ({@link LayerEvaluation}):
 * reverse mode passes {@code g_{k−1} = (I_B ⊗ W_k)ᵀ diag(σ'_k) g_k} and layer k's gradient is
 * {@code J_θkᵀ g_k = (Ā_{k−1} ⊗ I_m) vec Δ_k = vec(Δ_k Āᵀ_{k−1})} with Ā = [A; 1ᵀ] — one GEMM
 * for [dW, db] per layer, as the forward pass is one GEMM Z = W̄ Ā for W̄ = [W, b]: the
 * workspace stores every layer's input with its row of ones, so θ_k = vec W̄_k needs no reshaping.
 * The elementwise work between the GEMMs (σ, σ', the loss, Δ = σ' ⊙ G) runs on column ranges
 * in parallel for large batches ({@link NetworkBuilder#elementwiseThreads(int)}).
 *
 * <p>The structure is immutable. θ is a buffer: {@link #parameters()} is a live view that an
 * optimiser may update in place between calls, but not while other threads compute with this
 * network; for concurrent use, share the network read-only and give each thread its own
 * {@link BatchWorkspace}. Calls without a workspace allocate their own and are thread-safe.
 */
public final class Network {
    private final Operators ops;
    private final LinearAlgebra la;
    private final List<DenseLayer> layers;
    private final double[] theta;
    private final boolean checkFinite;
    private final int elementwiseThreads;

    Network(Operators ops, List<DenseLayer> layers, double[] theta, boolean checkFinite, int elementwiseThreads) {
        this.ops = ops;
        this.la = ops.linearAlgebra();
        this.layers = List.copyOf(layers);
        this.theta = theta;
        this.checkFinite = checkFinite;
        this.elementwiseThreads = elementwiseThreads;
    }

    /** The layers, first to last. */
    public List<DenseLayer> layers() {
        return layers;
    }

    /** Layer k. */
    public DenseLayer layer(int k) {
        return layers.get(k);
    }

    /** n: the input length. */
    public int inputs() {
        return layers.get(0).inputs();
    }

    /** The output length of the last layer. */
    public int outputs() {
        return layers.get(layers.size() - 1).outputs();
    }

    /** Total parameter count Σ (m_k n_k + m_k). */
    public int parameterCount() {
        return theta.length;
    }

    /** θ, a live view of all parameters. */
    public DenseVector parameters() {
        return DenseVector.wrap(theta);
    }

    /** Whether inputs and targets are checked for NaN/Infinity on every call. */
    public boolean checksFinite() {
        return checkFinite;
    }

    /**
     * The most threads one call may use for its elementwise work (σ, σ', the loss, Δ = σ' ⊙ G) on
     * large batches; 1 keeps it on the caller's thread. See {@link NetworkBuilder#elementwiseThreads(int)}.
     */
    public int elementwiseThreads() {
        return elementwiseThreads;
    }

    /** The operator factory (and so the backend) this network computes with. */
    public Operators operators() {
        return ops;
    }

    /** A network with the same structure and a copy of {@code parameters}. */
    public Network withParameters(DenseVector parameters) {
        ShapeMismatchException.requireLength("parameters", parameters.length(), "this network's θ", theta.length);
        double[] copy = parameters.toArray();
        List<DenseLayer> copied = new ArrayList<>(layers.size());
        for (DenseLayer l : layers) {
            copied.add(new DenseLayer(l.index(), l.inputs(), l.outputs(), l.activation(), copy, l.parameterOffset()));
        }
        return new Network(ops, copied, copy, checkFinite, elementwiseThreads);
    }

    /** A network with the same structure and its own copy of the current parameters. */
    public Network copy() {
        return withParameters(parameters());
    }

    /** A new workspace for this network (one per thread). */
    public BatchWorkspace newWorkspace() {
        return new BatchWorkspace(this, ops);
    }

    // ---- forward ------------------------------------------------------------------------------

    /** The outputs (m_L×B) for inputs X (n×B), in a new matrix. */
    public DenseMatrix predict(DenseMatrix x) {
        BatchWorkspace ws = newWorkspace();
        forward(x, ws);
        return ws.last().output().copy();
    }

    /**
     * Evaluates every layer on X (n×B) into {@code ws}; returns the per-layer evaluations (with
     * their Jacobian operators), valid until {@code ws} is used again.
     */
    public List<LayerEvaluation> forward(DenseMatrix x, BatchWorkspace ws) {
        forward(x, ws, true);
        return ws.layers();
    }

    /** The forward pass; with {@code activateLast} false, the last layer stops at Z (the gradient fuses the rest). */
    private void forward(DenseMatrix x, BatchWorkspace ws, boolean activateLast) {
        requireWorkspace(ws);
        checkInput(x);
        ws.prepare(x.cols());
        if (checkFinite) {
            Validation.copyFinite("inputs", x, ws.inputBuffer()); // checked while copied: one pass over X
        } else {
            ws.inputBuffer().setFrom(x);
        }
        List<LayerEvaluation> evals = ws.layers();
        for (int k = 0; k < evals.size(); k++) {
            LayerEvaluation e = evals.get(k);
            // Z = W A + b 1ᵀ = W̄ Ā: one GEMM (a GEMV when B = 1) with the bias as W̄'s last column.
            la.multiply(Transpose.N, Transpose.N, 1.0, e.weightsBar, e.inputBar, 0.0, e.z);
            if (activateLast || k < evals.size() - 1) {
                ws.activate(e);
            }
        }
    }

    // ---- gradient -----------------------------------------------------------------------------

    /** L and ∇_θ L for a batch, in new buffers. Thread-safe. */
    public Gradient gradient(DenseMatrix x, Loss loss, DenseMatrix targets) {
        BatchWorkspace ws = newWorkspace();
        DenseVector g = DenseVector.zeros(parameterCount());
        double value = gradient(x, loss, targets, ws, g);
        return new Gradient(this, value, ws.last().output().copy(), g);
    }

    /**
     * The hot path: L = Σ_s ℓ(f(x_s), y_s) returned, ∇_θ L written into {@code gradientOut}
     * (length {@link #parameterCount()}, overwritten), scratch in {@code ws}.
     */
    public double gradient(DenseMatrix x, Loss loss, DenseMatrix targets, BatchWorkspace ws, DenseVector gradientOut) {
        Objects.requireNonNull(loss, "loss");
        ShapeMismatchException.requireLength("gradient buffer", gradientOut.length(), "the network's θ", parameterCount());
        checkTargets(x, loss, targets);
        forward(x, ws, false);
        // σ of the last layer, G = ∂L/∂A and Δ = σ' ⊙ G in one pass over the columns.
        double value = ws.activateLossDelta(la, loss, targets);
        backward(ws, gradientOut, null, true);
        return value;
    }

    /**
     * Reverse mode from ∂L/∂A_L already in the last layer's upstream buffer: for k = L … 1,
     * Δ_k = diag(σ'_k) g_k; θ_k's gradient J_θkᵀ g_k = (X̄_k ⊗ I) vec Δ_k;
     * g_{k−1} = (I_B ⊗ W_k)ᵀ vec Δ_k. With {@code inputCotangent} non-null, the last step
     * writes ∂/∂X there. With {@code lastDeltaDone}, the last layer's buffer already holds Δ_L.
     */
    private void backward(BatchWorkspace ws, DenseVector gradientOut, DenseMatrix inputCotangent, boolean lastDeltaDone) {
        List<LayerEvaluation> evals = ws.layers();
        for (int k = evals.size() - 1; k >= 0; k--) {
            LayerEvaluation e = evals.get(k);
            DenseVector delta = e.upstreamVec;
            if (!(lastDeltaDone && k == evals.size() - 1)) {
                ws.delta(e, la); // Δ = diag(σ'(vec Z)) vec G, in place, over column ranges
            }
            e.linear.applyTranspose(delta, ws.gradientSlice(k, gradientOut));
            if (k > 0) {
                e.inputLinear.applyTranspose(delta, evals.get(k - 1).upstreamVec);
            } else if (inputCotangent != null) {
                e.inputLinear.applyTranspose(delta, inputCotangent.vec());
            }
        }
    }

    // ---- JVP / VJP ----------------------------------------------------------------------------

    /**
     * Forward-mode product of the network's parameter Jacobian: the change of the outputs
     * (m_L×B) along the parameter direction {@code tangent} (length P):
     * {@code ż_k = J_θk v_k + (I_B ⊗ W_k) ȧ_{k−1}}, {@code ȧ_k = σ'_k ⊙ ż_k}.
     */
    public DenseMatrix jvp(DenseMatrix x, DenseVector tangent) {
        ShapeMismatchException.requireLength("tangent", tangent.length(), "the network's θ", parameterCount());
        BatchWorkspace ws = newWorkspace();
        forward(x, ws);
        DenseVector prev = null;
        for (LayerEvaluation e : ws.layers()) {
            DenseLayer layer = e.layer;
            DenseVector zDot = e.linear.apply(tangent.slice(layer.parameterOffset(), layer.parameterCount()));
            if (prev != null) {
                DenseVector through = e.inputLinear.apply(prev);
                la.axpy(1.0, through, zDot);
            }
            e.sigmaPrime.apply(zDot, zDot);
            prev = zDot;
        }
        return prev.unvec(outputs(), x.cols());
    }

    /**
     * Reverse-mode product: J_θᵀ applied to an output cotangent U (m_L×B); returns the parameter
     * cotangent (length P) and, if {@code inputCotangent} is non-null, writes ∂/∂X (n×B) there.
     */
    public DenseVector vjp(DenseMatrix x, DenseMatrix outputCotangent, DenseMatrix inputCotangent) {
        if (outputCotangent.rows() != outputs() || outputCotangent.cols() != x.cols()) {
            throw new ShapeMismatchException("output cotangent is " + outputCotangent.shape() + " but the outputs are "
                    + ShapeMismatchException.shape(outputs(), x.cols()));
        }
        if (inputCotangent != null && (inputCotangent.rows() != inputs() || inputCotangent.cols() != x.cols())) {
            throw new ShapeMismatchException("input cotangent buffer is " + inputCotangent.shape() + " but X is " + x.shape());
        }
        BatchWorkspace ws = newWorkspace();
        forward(x, ws);
        ws.last().upstream.setFrom(outputCotangent);
        DenseVector out = DenseVector.zeros(parameterCount());
        backward(ws, out, inputCotangent, false);
        return out;
    }

    /** The parameter Jacobian of the whole network's outputs as a dense matrix, for checks on small networks. */
    public DenseMatrix parameterJacobianDense(DenseMatrix x) {
        int rows = outputs() * x.cols();
        DenseMatrix j = DenseMatrix.zeros(rows, parameterCount());
        DenseMatrix e = DenseMatrix.zeros(outputs(), x.cols());
        for (int r = 0; r < rows; r++) {
            e.vec().set(r, 1.0);
            DenseVector row = vjp(x, e, null);
            for (int c = 0; c < parameterCount(); c++) {
                j.set(r, c, row.get(c));
            }
            e.vec().set(r, 0.0);
        }
        return j;
    }

    // ---- per-sample ---------------------------------------------------------------------------

    /**
     * Per-sample gradients: column s (length P) is ∇_θ ℓ(f(x_s), y_s), each layer's block
     * {@code (x̄_s ⊗ I_m) δ_s = vec(δ_s x̄_sᵀ)} (one rank-1 update). Memory P×B: use
     * {@link #perSampleGradientNorms} when only norms are needed.
     */
    public DenseMatrix perSampleGradients(DenseMatrix x, Loss loss, DenseMatrix targets) {
        BatchWorkspace ws = newWorkspace();
        DenseVector summed = DenseVector.zeros(parameterCount());
        gradient(x, loss, targets, ws, summed);
        int batch = x.cols();
        DenseMatrix out = DenseMatrix.zeros(parameterCount(), batch);
        for (LayerEvaluation e : ws.layers()) {
            DenseLayer layer = e.layer;
            int m = layer.outputs();
            for (int s = 0; s < batch; s++) {
                LinearOperator sample = ops.horizontal(ops.kronecker(ops.rowVector(e.input.column(s)), ops.identity(m)), ops.identity(m));
                sample.applyTranspose(e.upstream.column(s), out.column(s).slice(layer.parameterOffset(), layer.parameterCount()));
            }
        }
        return out;
    }

    /**
     * ‖∇_θ ℓ_s‖ for every sample s without forming any per-sample gradient:
     * {@code ‖[dW_k, db_k]_s‖² = ‖δ_{k,s}‖² · ‖ā_{k−1,s}‖²}, summed over layers. Cost O(B·Σ(m_k+n_k))
     * after the batch gradient.
     */
    public DenseVector perSampleGradientNorms(DenseMatrix x, Loss loss, DenseMatrix targets) {
        BatchWorkspace ws = newWorkspace();
        gradient(x, loss, targets, ws, DenseVector.zeros(parameterCount()));
        return perSampleGradientNorms(ws);
    }

    /** Per-sample gradient norms from a workspace that has just computed a gradient. */
    public DenseVector perSampleGradientNorms(BatchWorkspace ws) {
        requireWorkspace(ws);
        DenseVector norms = DenseVector.zeros(ws.batchSize());
        for (LayerEvaluation e : ws.layers()) {
            for (int s = 0; s < ws.batchSize(); s++) {
                double d = e.upstream.columnNorm(s);
                double a = e.input.columnNorm(s);
                norms.set(s, norms.get(s) + d * d * (a * a + 1));
            }
        }
        for (int s = 0; s < norms.length(); s++) {
            norms.set(s, Math.sqrt(norms.get(s)));
        }
        return norms;
    }

    // ---- checks -------------------------------------------------------------------------------

    private void requireWorkspace(BatchWorkspace ws) {
        if (Objects.requireNonNull(ws, "workspace").network() != this) {
            throw new IllegalArgumentException("the workspace belongs to another network; create one with newWorkspace()");
        }
    }

    private void checkInput(DenseMatrix x) {
        Objects.requireNonNull(x, "inputs");
        if (x.rows() != inputs()) {
            throw new ShapeMismatchException("layer 0: W is " + layers.get(0).weights().shape() + " but the inputs have length " + x.rows()
                    + "; expected " + inputs());
        }
        if (x.cols() == 0) {
            throw new IllegalArgumentException("the batch is empty: inputs need at least one sample (column)");
        }
    }

    private void checkTargets(DenseMatrix x, Loss loss, DenseMatrix targets) {
        Objects.requireNonNull(targets, "targets");
        if (targets.cols() != x.cols()) {
            throw new ShapeMismatchException("there are " + x.cols() + " input samples but " + targets.cols() + " targets");
        }
        loss.validateTargets(outputs(), targets);
        // NaN/Infinity in the targets are found by the loss phase, range by range, as it reads them.
    }

    @Override
    public String toString() {
        return "Network" + layers + " (" + parameterCount() + " parameters)";
    }
}
