package dev.kronograd.sdk.nn;

import dev.kronograd.sdk.loss.Loss;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.MaterializationLimit;
import dev.kronograd.core.operator.SparseMatrix;

import java.util.ArrayList;
import java.util.List;

/**
 * ∇²_F L at outputs F (m×B) and targets Y, as an (mB)×(mB) operator on vec(F): block diagonal
 * over samples (the loss is a sum over samples), each block applied matrix-free through
 * {@link Loss#hessianVectorProduct}. Symmetric. Shares F and Y.
 */
public final class LossHessianOperator implements LinearOperator {
    private final Loss loss;
    private final DenseMatrix outputs;
    private final DenseMatrix targets;

    LossHessianOperator(Loss loss, DenseMatrix outputs, DenseMatrix targets) {
        this.loss = loss;
        this.outputs = outputs;
        this.targets = targets;
    }

    @Override
    public int rows() {
        return outputs.rows() * outputs.cols();
    }

    @Override
    public int cols() {
        return rows();
    }

    @Override
    public void apply(DenseVector v, DenseVector out) {
        LinearOperator.checkApply(this, v, out);
        loss.hessianVectorProduct(outputs, targets, v.unvec(outputs.rows(), outputs.cols()), out.unvec(outputs.rows(), outputs.cols()));
    }

    @Override
    public void applyTranspose(DenseVector u, DenseVector out) {
        apply(u, out);
    }

    @Override
    public LinearOperator transpose() {
        return this;
    }

    @Override
    public long nonZeros() {
        return (long) outputs.rows() * outputs.rows() * outputs.cols();
    }

    @Override
    public long storedDoubles() {
        return 2L * outputs.size();
    }

    @Override
    public String describe() {
        return "∇²" + loss.name() + "(" + outputs.cols() + " blocks of " + outputs.rows() + "×" + outputs.rows() + ")";
    }

    /** The m×m blocks, found with m products on vectors holding e_j in every sample's block at once. */
    @Override
    public SparseMatrix toSparse(MaterializationLimit limit) {
        limit.checkSparse(this);
        int m = outputs.rows();
        int batch = outputs.cols();
        List<DenseMatrix> blocks = new ArrayList<>();
        for (int s = 0; s < batch; s++) {
            blocks.add(DenseMatrix.zeros(m, m));
        }
        DenseMatrix e = DenseMatrix.zeros(m, batch);
        DenseMatrix col = DenseMatrix.zeros(m, batch);
        for (int j = 0; j < m; j++) {
            for (int s = 0; s < batch; s++) {
                e.set(j, s, 1.0);
            }
            loss.hessianVectorProduct(outputs, targets, e, col);
            for (int s = 0; s < batch; s++) {
                e.set(j, s, 0.0);
                blocks.get(s).column(j).setFrom(col.column(s));
            }
        }
        int n = m * batch;
        int[] ptr = new int[n + 1];
        int[] idx = new int[m * n];
        double[] val = new double[m * n];
        int q = 0;
        for (int s = 0; s < batch; s++) {
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < m; i++) {
                    idx[q] = s * m + i;
                    val[q++] = blocks.get(s).get(i, j);
                }
                ptr[s * m + j + 1] = q;
            }
        }
        return SparseMatrix.of(n, n, ptr, idx, val);
    }
}
