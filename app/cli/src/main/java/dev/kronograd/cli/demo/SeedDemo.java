package dev.kronograd.cli.demo;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.sdk.nn.BatchWorkspace;
import dev.kronograd.sdk.nn.GradientCheck;
import dev.kronograd.sdk.nn.LayerEvaluation;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.cli.train.SpyPlot;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.MaterializationLimit;
import dev.kronograd.core.operator.SparseMatrix;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The seed's idea, shown: a layer's parameter Jacobian {@code diag(σ'(z)) (x̄ᵀ ⊗ I_m)} as a
 * structured operator — checked against its dense Kronecker form and finite differences — and
 * the same operator for a 4096×4096 layer, whose dense form would need 550 GB; and
 * ({@link #spyPlot}) the sparsity pattern of a batch's Jacobian drawn as a picture.
 */
public final class SeedDemo {
    /** Layer and batch of the spy-plot part: m outputs, n inputs, B samples. */
    static final int SPY_M = 6;
    static final int SPY_N = 5;
    static final int SPY_B = 3;

    private final Kronograd sdk;

    public SeedDemo(Kronograd sdk) {
        this.sdk = sdk;
    }

    /**
     * Prints the demonstration to {@code out} and returns whether every check passed.
     */
    public boolean run(PrintWriter out) {
        boolean ok = jacobianParts(out);
        out.println();
        out.println(ok ? "all checks passed" : "SOME CHECKS FAILED");
        out.flush();
        return ok;
    }

    /**
     * Parts 1 and 2 of the demonstration (the small layer with its checks, the 4096×4096 layer),
     * without the closing verdict, so a caller can add parts; returns whether every check passed.
     */
    public boolean jacobianParts(PrintWriter out) {
        out.printf("Kronograd — layer derivatives in Kronecker form (backend: %s)%n%n", sdk.backendName());
        boolean ok = smallLayer(out);
        out.println();
        ok &= largeLayer(out);
        out.flush();
        return ok;
    }

    /**
     * Part 3: the sparsity pattern of a batch's parameter Jacobian
     * {@code diag(σ'(vec Z)) [Xᵀ ⊗ I_m, 1_B ⊗ I_m]} (m = 6, n = 5, B = 3: 18×36) from
     * {@code parameterJacobian().toSparse()}, drawn as a spy plot into {@code file}. Checks that it
     * has m(n+1)B non-zeros, each in the diagonal of its m×m block, and that the picture shows
     * exactly that pattern.
     *
     * @param number the part's number in the printed demonstration
     */
    public boolean spyPlot(PrintWriter out, Path file, int number) throws IOException {
        int m = SPY_M;
        int n = SPY_N;
        int b = SPY_B;
        Random rnd = new Random(3);
        Network net = sdk.network().inputs(n).layer(m, "tanh").build(rnd);
        DenseMatrix x = DenseMatrix.zeros(n, b);
        for (int s = 0; s < b; s++) {
            for (int i = 0; i < n; i++) {
                x.set(i, s, rnd.nextGaussian());
            }
        }
        LinearOperator j = net.forward(x, net.newWorkspace()).get(0).parameterJacobian();
        SparseMatrix sparse = j.toSparse();
        boolean[][] pattern = SpyPlot.pattern(sparse);
        // Entry (s·m + i, c·m + q) of [Xᵀ ⊗ I_m, 1 ⊗ I_m] is stored exactly when i = q: a diagonal m×m block per (sample, column of X̄).
        boolean blockDiagonal = true;
        for (int r = 0; r < pattern.length; r++) {
            for (int c = 0; c < pattern[r].length; c++) {
                blockDiagonal &= pattern[r][c] == (r % m == c % m);
            }
        }
        List<String> rowLabels = new ArrayList<>();
        for (int s = 1; s <= b; s++) {
            rowLabels.add("sample " + s);
        }
        List<String> colLabels = new ArrayList<>();
        for (int c = 1; c <= n; c++) {
            colLabels.add("W[:," + c + "]");
        }
        colLabels.add("b");
        SpyPlot.Labels labels = new SpyPlot.Labels(
                "J_θ = diag(σ'(vec Z)) [Xᵀ ⊗ I_" + m + ", 1_" + b + " ⊗ I_" + m + "]   (tanh layer, W " + m + "×" + n + ", batch B = " + b + ")",
                String.format(Locale.ROOT, "%d×%d, %d stored entries of %d (= m(n+1)B); rows: vec Z, sample by sample; columns: θ = [vec W; b]",
                        sparse.rows(), sparse.cols(), sparse.nonZeros(), sparse.rows() * sparse.cols()),
                m, m, rowLabels, colLabels,
                "Each block is x_js·diag(σ'(z_s)) (or diag(σ'(z_s)) for b): the Kronecker factor I_" + m + " makes it diagonal.");
        SpyPlot.write(sparse, labels, file);
        BufferedImage drawn = ImageIO.read(file.toFile());
        boolean pictureMatches = drawn != null
                && Arrays.deepEquals(SpyPlot.readPattern(drawn, SpyPlot.layout(sparse.rows(), sparse.cols())), pattern);
        int expected = m * (n + 1) * b;
        out.printf("%d. spy plot of J_θ for a batch: tanh layer W %d×%d, B = %d: %s%n", number, m, n, b, j.describe());
        out.printf("   %d×%d, %d non-zeros (= m(n+1)B = %d), each %d×%d block diagonal: %s; picture matches the pattern: %s%n",
                sparse.rows(), sparse.cols(), sparse.nonZeros(), expected, m, m, blockDiagonal ? "yes" : "NO", pictureMatches ? "yes" : "NO");
        out.printf("   wrote %s%n", file);
        out.flush();
        return sparse.nonZeros() == expected && SpyPlot.count(pattern) == expected && blockDiagonal && pictureMatches;
    }

    private boolean smallLayer(PrintWriter out) {
        int m = 3;
        int n = 4;
        Random rnd = new Random(1);
        Network net = sdk.network().inputs(n).layer(m, "tanh").build(rnd);
        DenseMatrix x = DenseMatrix.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            x.set(i, 0, rnd.nextGaussian());
        }
        BatchWorkspace ws = net.newWorkspace();
        LayerEvaluation e = net.forward(x, ws).get(0);
        LinearOperator j = e.parameterJacobian();
        out.printf("1. f(W, b) = tanh(W x + b), W %d×%d, x ∈ ℝ^%d%n", m, n, n);
        out.printf("   J_θ = diag(σ'(z)) (x̄ᵀ ⊗ I_m) = %s%n", j.describe());
        out.printf("   shape %d×%d, non-zeros %d (= m(n+1)), structured %s vs dense %s%n", j.rows(), j.cols(), j.nonZeros(),
                MaterializationLimit.human(j.storedDoubles() * Double.BYTES), MaterializationLimit.human(MaterializationLimit.denseBytes(j.rows(), j.cols())));
        // Dense Kronecker form by the definition: block (0, c) of x̄ᵀ ⊗ I_m is x̄_c I_m.
        DenseMatrix dense = j.toDense();
        double kronError = 0;
        DenseVector sp = e.activationDerivative().vec();
        for (int c = 0; c <= n; c++) {
            double xc = c < n ? x.get(c, 0) : 1.0;
            for (int r = 0; r < m; r++) {
                for (int q = 0; q < m; q++) {
                    double expected = r == q ? sp.get(r) * xc : 0.0;
                    kronError = Math.max(kronError, Math.abs(dense.get(r, c * m + q) - expected));
                }
            }
        }
        out.printf("   dense form equals diag(σ')·kron(x̄ᵀ, I_m) entrywise: max |difference| = %.1e%n", kronError);
        DenseMatrix y = DenseMatrix.zeros(m, 1);
        GradientCheck.Report fd = GradientCheck.run(net, x, sdk.loss("squared-error"), y, Integer.MAX_VALUE, 1);
        out.printf(Locale.ROOT, "   gradient of ½‖f − 0‖² vs central differences on all %d parameters: max relative error %.1e%n",
                fd.checkedParameters(), fd.maxRelativeError());
        return kronError == 0.0 && fd.maxRelativeError() < 1e-6;
    }

    private boolean largeLayer(PrintWriter out) {
        int m = 4096;
        int n = 4096;
        DenseVector x = DenseVector.zeros(n).fill(0.5);
        DenseVector sigmaPrime = DenseVector.zeros(m).fill(0.25);
        LinearOperator j = sdk.operators().compose(sdk.operators().diagonal(sigmaPrime),
                sdk.operators().horizontal(sdk.operators().kronecker(sdk.operators().rowVector(x), sdk.operators().identity(m)),
                        sdk.operators().identity(m)));
        long denseBytes = MaterializationLimit.denseBytes(j.rows(), j.cols());
        out.printf("2. the same Jacobian for a %d×%d layer: %s%n", m, n, j.describe());
        out.printf("   shape %d×%d; dense would need %s, the operator holds %s%n", j.rows(), j.cols(),
                MaterializationLimit.human(denseBytes), MaterializationLimit.human(j.storedDoubles() * Double.BYTES));
        DenseVector u = DenseVector.zeros(m).fill(1.0);
        DenseVector grad = DenseVector.zeros(j.cols());
        long t0 = System.nanoTime();
        j.applyTranspose(u, grad);
        long micros = (System.nanoTime() - t0) / 1000;
        // J_θᵀ u = [vec(δ xᵀ); δ] with δ = σ' ⊙ u = 0.25: every dW entry is 0.125, every db entry 0.25.
        boolean ok = grad.get(0) == 0.125 && grad.get(m * n - 1) == 0.125 && grad.get(m * n + m - 1) == 0.25;
        out.printf("   J_θᵀ u (the gradient reshaped to dW = δ xᵀ, db = δ) in %d µs: dW[0,0] = %s, db[0] = %s%n", micros,
                grad.get(0), grad.get(m * n));
        return ok;
    }
}
