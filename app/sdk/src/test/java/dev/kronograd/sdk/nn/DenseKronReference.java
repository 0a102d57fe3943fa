package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.testing.NaiveDense;

/**
 * Test oracle: the network's parameter Jacobian built from dense Kronecker products by their
 * definition, J = ∂vec(A_L)/∂θ, with layer k's block
 * {@code D_L (I_B ⊗ W_L) D_{L−1} ⋯ (I_B ⊗ W_{k+1}) D_k (X̄_{k−1}ᵀ ⊗ I_m)}.
 */
final class DenseKronReference {
    private DenseKronReference() {
    }

    static double[][] parameterJacobian(Network net, DenseMatrix x) {
        int batch = x.cols();
        int rows = net.outputs() * batch;
        double[][] jac = new double[rows][net.parameterCount()];
        // forward in plain Java
        int layers = net.layers().size();
        double[][][] a = new double[layers + 1][][];
        double[][][] d = new double[layers][][];
        a[0] = x.toRowArrays();
        for (int k = 0; k < layers; k++) {
            DenseLayer l = net.layer(k);
            double[][] z = NaiveDense.multiply(l.weights().toRowArrays(), a[k]);
            a[k + 1] = new double[l.outputs()][batch];
            d[k] = new double[l.outputs()][batch];
            for (int i = 0; i < l.outputs(); i++) {
                for (int s = 0; s < batch; s++) {
                    z[i][s] += l.bias().get(i);
                    a[k + 1][i][s] = l.activation().value(z[i][s]);
                    d[k][i][s] = l.activation().derivative(z[i][s]);
                }
            }
        }
        for (int k = 0; k < layers; k++) {
            DenseLayer l = net.layer(k);
            int m = l.outputs();
            // X̄ᵀ (B × (n+1))
            double[][] xBarT = new double[batch][l.inputs() + 1];
            for (int s = 0; s < batch; s++) {
                for (int c = 0; c < l.inputs(); c++) {
                    xBarT[s][c] = a[k][c][s];
                }
                xBarT[s][l.inputs()] = 1;
            }
            double[][] block = NaiveDense.kron(xBarT, l.inputs() + 1, DenseMatrix.identity(m).toRowArrays(), m);
            block = diagTimes(vec(d[k], batch), block);
            for (int j = k + 1; j < layers; j++) {
                DenseLayer next = net.layer(j);
                double[][] iw = NaiveDense.kron(DenseMatrix.identity(batch).toRowArrays(), batch, next.weights().toRowArrays(), next.inputs());
                block = diagTimes(vec(d[j], batch), NaiveDense.multiply(iw, block));
            }
            for (int r = 0; r < rows; r++) {
                System.arraycopy(block[r], 0, jac[r], l.parameterOffset(), l.parameterCount());
            }
        }
        return jac;
    }

    private static double[] vec(double[][] m, int cols) {
        return NaiveDense.vec(m, cols);
    }

    private static double[][] diagTimes(double[] diag, double[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] *= diag[i];
            }
        }
        return out;
    }
}
