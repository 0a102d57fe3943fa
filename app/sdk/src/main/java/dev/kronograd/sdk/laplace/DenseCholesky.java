package dev.kronograd.sdk.laplace;

/**
 * The Cholesky factor {@code L Lᵀ = H + diag(δ)} of a dense symmetric matrix (row-major, lower
 * triangle), pure Java: log-determinant, solves and quadratic forms {@code rᵀ (H + δI)⁻¹ r}.
 */
final class DenseCholesky {
    private final int n;
    private final double[] l;

    /**
     * Factorises H + diag(δ). H: n×n row-major, not modified; δ: length n.
     *
     * @throws ArithmeticException if H + diag(δ) is not positive definite
     */
    DenseCholesky(double[] h, int n, double[] delta) {
        this.n = n;
        this.l = new double[n * n];
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            for (int j = 0; j <= i; j++) {
                int rj = j * n;
                double sum = h[ri + j] + (i == j ? delta[i] : 0.0);
                for (int k = 0; k < j; k++) {
                    sum -= l[ri + k] * l[rj + k];
                }
                if (i == j) {
                    if (!(sum > 0)) {
                        throw new ArithmeticException("the posterior precision GGN + δI is not positive definite (pivot " + i
                                + " is " + sum + ", δ = " + delta[i] + ")");
                    }
                    l[ri + i] = Math.sqrt(sum);
                } else {
                    l[ri + j] = sum / l[rj + j];
                }
            }
        }
    }

    double logDeterminant() {
        double d = 0;
        for (int i = 0; i < n; i++) {
            d += Math.log(l[i * n + i]);
        }
        return 2 * d;
    }

    /** y = L⁻¹ b (forward substitution). */
    double[] forward(double[] b) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = b[i];
            int ri = i * n;
            for (int k = 0; k < i; k++) {
                sum -= l[ri + k] * y[k];
            }
            y[i] = sum / l[ri + i];
        }
        return y;
    }

    /** (L Lᵀ)⁻¹ b. */
    double[] solve(double[] b) {
        double[] y = forward(b);
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double sum = y[i];
            for (int k = i + 1; k < n; k++) {
                sum -= l[k * n + i] * x[k];
            }
            x[i] = sum / l[i * n + i];
        }
        return x;
    }

    /** rᵀ (L Lᵀ)⁻¹ r = ‖L⁻¹ r‖². */
    double quadratic(double[] r) {
        double[] y = forward(r);
        double s = 0;
        for (double v : y) {
            s += v * v;
        }
        return s;
    }
}
