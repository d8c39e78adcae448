package org.persona4j.segment;

import org.persona4j.core.BadInputException;

/**
 * A 2-D principal component projection for plots: the covariance matrix of the (centred) rows is
 * formed in Java (d x d, small) and its two leading eigenvectors are found by power iteration with
 * deflation from a fixed start, so the result is deterministic.
 */
public final class Pca {
    private Pca() {
    }

    /**
     * @param x rows, all of one dimension, finite
     * @return one (pc1, pc2) pair per row; a second component of 0 when the dimension is 1
     * @throws BadInputException on empty or ragged input
     */
    public static double[][] project2(float[][] x) {
        if (x.length == 0) {
            throw new BadInputException("PCA: no rows");
        }
        int d = x[0].length;
        double[] mean = new double[d];
        for (float[] r : x) {
            if (r.length != d) {
                throw new BadInputException("PCA: expected rows of " + d + " dimensions, found one of " + r.length);
            }
            for (int j = 0; j < d; j++) {
                mean[j] += r[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= x.length;
        }
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (float[] r : x) {
            for (int j = 0; j < d; j++) {
                c[j] = r[j] - mean[j];
            }
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    cov[a][b] += c[a] * c[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                cov[a][b] = cov[b][a];
            }
        }
        double[] v1 = leading(cov, null, 0);
        double l1 = rayleigh(cov, v1);
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                cov[a][b] -= l1 * v1[a] * v1[b];
            }
        }
        double[] v2 = d > 1 ? leading(cov, v1, 1e-9 * Math.max(l1, 1e-300)) : new double[d];
        double[][] out = new double[x.length][2];
        for (int i = 0; i < x.length; i++) {
            double p = 0;
            double q = 0;
            for (int j = 0; j < d; j++) {
                double t = x[i][j] - mean[j];
                p += t * v1[j];
                q += t * v2[j];
            }
            out[i][0] = p;
            out[i][1] = q;
        }
        return out;
    }

    /** Power iteration, kept orthogonal to {@code ortho}; a zero vector when the spread left is below {@code floor}. */
    private static double[] leading(double[][] m, double[] ortho, double floor) {
        int d = m.length;
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = 1.0 / Math.sqrt(d) * (1 + 0.01 * j); // fixed, non-symmetric start
        }
        double[] w = new double[d];
        for (int it = 0; it < 300; it++) {
            for (int a = 0; a < d; a++) {
                double s = 0;
                for (int b = 0; b < d; b++) {
                    s += m[a][b] * v[b];
                }
                w[a] = s;
            }
            if (ortho != null) {
                double dot = 0;
                for (int a = 0; a < d; a++) {
                    dot += w[a] * ortho[a];
                }
                for (int a = 0; a < d; a++) {
                    w[a] -= dot * ortho[a];
                }
            }
            double norm = 0;
            for (double t : w) {
                norm += t * t;
            }
            norm = Math.sqrt(norm);
            if (norm <= floor) {
                return new double[d];
            }
            double diff = 0;
            for (int a = 0; a < d; a++) {
                double nv = w[a] / norm;
                diff += Math.abs(nv - v[a]);
                v[a] = nv;
            }
            if (diff < 1e-10) {
                break;
            }
        }
        return v;
    }

    private static double rayleigh(double[][] m, double[] v) {
        double s = 0;
        for (int a = 0; a < v.length; a++) {
            for (int b = 0; b < v.length; b++) {
                s += v[a] * m[a][b] * v[b];
            }
        }
        return s;
    }
}
