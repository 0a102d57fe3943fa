package dev.kronograd.sdk.nn;

/**
 * Textbook dense linear algebra on row arrays, independent of the SDK and the backends: the oracle
 * for inverses, solves and log-determinants of curvature approximations (also used by the Laplace tests).
 */
public final class DenseLinearAlgebra {
    private DenseLinearAlgebra() {
    }

    /** The lower Cholesky factor L of a symmetric positive definite S = L Lᵀ (Cholesky–Banachiewicz). */
    public static double[][] cholesky(double[][] s) {
        int n = s.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = s[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(sum > 0)) {
                        throw new ArithmeticException("not positive definite at pivot " + i + ": " + sum);
                    }
                    l[i][i] = Math.sqrt(sum);
                } else {
                    l[i][j] = sum / l[j][j];
                }
            }
        }
        return l;
    }

    /** log det S for symmetric positive definite S, by Cholesky. */
    public static double logDet(double[][] s) {
        double[][] l = cholesky(s);
        double d = 0;
        for (int i = 0; i < l.length; i++) {
            d += 2 * Math.log(l[i][i]);
        }
        return d;
    }

    /** S⁻¹ b for symmetric positive definite S, by Cholesky. */
    public static double[] solve(double[][] s, double[] b) {
        double[][] l = cholesky(s);
        int n = b.length;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = b[i];
            for (int k = 0; k < i; k++) {
                sum -= l[i][k] * y[k];
            }
            y[i] = sum / l[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double sum = y[i];
            for (int k = i + 1; k < n; k++) {
                sum -= l[k][i] * x[k];
            }
            x[i] = sum / l[i][i];
        }
        return x;
    }

    /** S⁻¹ for symmetric positive definite S. */
    public static double[][] inverse(double[][] s) {
        int n = s.length;
        double[][] inv = new double[n][n];
        for (int j = 0; j < n; j++) {
            double[] e = new double[n];
            e[j] = 1;
            double[] col = solve(s, e);
            for (int i = 0; i < n; i++) {
                inv[i][j] = col[i];
            }
        }
        return inv;
    }

    /** S + λI (a copy). */
    public static double[][] plusDiagonal(double[][] s, double lambda) {
        double[][] out = new double[s.length][];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i].clone();
            out[i][i] += lambda;
        }
        return out;
    }

    /** Frobenius norm of a − b. */
    public static double frobeniusDistance(double[][] a, double[][] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                double d = a[i][j] - b[i][j];
                sum += d * d;
            }
        }
        return Math.sqrt(sum);
    }

    /** The rows/columns [from, from+len) of a square matrix. */
    public static double[][] block(double[][] s, int from, int len) {
        double[][] out = new double[len][len];
        for (int i = 0; i < len; i++) {
            System.arraycopy(s[from + i], from, out[i], 0, len);
        }
        return out;
    }
}
