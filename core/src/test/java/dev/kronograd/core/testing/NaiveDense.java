package dev.kronograd.core.testing;

import java.util.Random;

/** Test oracle: textbook dense matrix arithmetic on row-major double[][], independent of core. */
public final class NaiveDense {
    private NaiveDense() {
    }

    public static double[][] random(Random rnd, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int j = 0; j < cols; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        return a;
    }

    public static double[] random(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextGaussian();
        }
        return v;
    }

    public static double[][] multiply(double[][] a, double[][] b) {
        int m = a.length;
        int k = b.length;
        int n = k == 0 ? (m == 0 ? 0 : 0) : b[0].length;
        double[][] c = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int l = 0; l < k; l++) {
                    s += a[i][l] * b[l][j];
                }
                c[i][j] = s;
            }
        }
        return c;
    }

    public static double[] multiply(double[][] a, double[] x) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < x.length; j++) {
                y[i] += a[i][j] * x[j];
            }
        }
        return y;
    }

    public static double[][] transpose(double[][] a, int cols) {
        double[][] t = new double[cols][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < cols; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** A ⊗ B by the definition: block (i, j) = a_ij B. */
    public static double[][] kron(double[][] a, int aCols, double[][] b, int bCols) {
        int p = a.length;
        int r = b.length;
        double[][] k = new double[p * r][aCols * bCols];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < aCols; j++) {
                for (int s = 0; s < r; s++) {
                    for (int t = 0; t < bCols; t++) {
                        k[i * r + s][j * bCols + t] = a[i][j] * b[s][t];
                    }
                }
            }
        }
        return k;
    }

    /** vec: columns stacked. */
    public static double[] vec(double[][] a, int cols) {
        double[] v = new double[a.length * cols];
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < a.length; i++) {
                v[j * a.length + i] = a[i][j];
            }
        }
        return v;
    }

    /** max |a_i − b_i| / max(1, max |b_i|). */
    public static double relativeError(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double diff = 0;
        double scale = 1;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / scale;
    }

    /** Entrywise |a − b| ≤ delta (so −0.0 equals 0.0), naming the first differing entry. */
    public static void assertClose(double[][] expected, double[][] actual, double delta, String message) {
        if (expected.length != actual.length) {
            throw new AssertionError(message + ": " + expected.length + " rows expected, got " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (expected[i].length != actual[i].length) {
                throw new AssertionError(message + ": row " + i + " has " + actual[i].length + " entries, expected " + expected[i].length);
            }
            for (int j = 0; j < expected[i].length; j++) {
                if (!(Math.abs(expected[i][j] - actual[i][j]) <= delta)) {
                    throw new AssertionError(message + ": entry (" + i + ", " + j + ") expected " + expected[i][j] + " but was " + actual[i][j]);
                }
            }
        }
    }
}
