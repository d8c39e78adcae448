package org.persona4j.models.profile;

import java.util.Arrays;
import java.util.List;
import org.persona4j.core.BadInputException;

/**
 * The calibration of a propensity head that also reads the clock: a logistic regression, fitted
 * after training on held-out users at random points in time, over the head's raw output and the
 * {@link ActivityCounters} the user's state keeps, as of the time the profile is for:
 * <pre>
 *   p = σ(w₀·logit(raw) + w₁·ln(1 + quiet days) + w₂·ln(1 + events) + w₃·ln(1 + purchases)
 *         + w₄·ln(1 + carts) + w₅·ln(1 + tenure days) + w₆·ln(1 + events, 7-day half-life)
 *         + w₇·ln(1 + events, 30-day half-life) + w₈·ln(1 + purchases, 30-day half-life)
 *         + w₉·ln(1 + days since the last purchase, or tenure days) + w₁₀·purchases / (carts + 1) + b)
 * </pre>
 * where quiet days run from the last event to the time the profile is for, tenure days from the
 * first event to that time, and the decayed counts are decayed to that time. The network's heads see the sequence of events but not how long
 * the user has been silent since the last one; the churn risk of a user gone for a month must
 * differ from that of one seen an hour ago, and this is where that enters. It is a "wide and deep"
 * head: the network's logit is one input beside the counters; with {@code w₀ = 1} and the other
 * weights 0 it is the identity, with only {@code w₀} and {@code b} it is Platt scaling.
 *
 * @param weights the eleven weights, in {@link #FEATURES} order, finite
 * @param bias the intercept, finite
 * @param examples the number of examples it was fitted on
 * @param positives how many of them were positive
 */
public record TimeAwareCalibration(double[] weights, double bias, int examples, int positives) {
    /** The inputs' names, in weight order, as written to the manifest. */
    public static final List<String> FEATURES = List.of("logit", "log1p_quiet_days", "log1p_events", "log1p_purchases",
            "log1p_carts", "log1p_tenure_days", "log1p_events_7d_half_life", "log1p_events_30d_half_life",
            "log1p_purchases_30d_half_life", "log1p_days_since_purchase", "purchases_per_cart");

    /** Checks and copies the weights. */
    public TimeAwareCalibration {
        if (weights == null || weights.length != FEATURES.size()) {
            throw new BadInputException("time-aware calibration: expected " + FEATURES.size() + " weights " + FEATURES + ", was "
                    + (weights == null ? "null" : weights.length));
        }
        weights = weights.clone();
        for (int i = 0; i < weights.length; i++) {
            if (!Double.isFinite(weights[i])) {
                throw new BadInputException("time-aware calibration: weight " + FEATURES.get(i) + " must be finite, was " + weights[i]);
            }
        }
        if (!Double.isFinite(bias)) {
            throw new BadInputException("time-aware calibration: the bias must be finite, was " + bias);
        }
        if (examples < 0 || positives < 0 || positives > examples) {
            throw new BadInputException("time-aware calibration: expected 0 <= positives <= examples, were " + positives + " and "
                    + examples);
        }
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /**
     * @param x the inputs from {@link ActivityCounters#inputs}
     * @return the calibrated probability, in (0, 1)
     */
    public double apply(double[] x) {
        double z = bias;
        for (int i = 0; i < weights.length; i++) {
            z += weights[i] * x[i];
        }
        return PlattScaling.sigmoid(z);
    }

    /**
     * Fits the weights by Newton's method on the L2-regularised log loss, on inputs standardised
     * to zero mean and unit variance (the penalty {@code l2 · |w|²} acts on those), then folded
     * back into weights on the raw inputs. Inputs listed in {@code off} are left out (weight 0):
     * the counters-only ablation leaves out the network's logit (input 0).
     *
     * @param x the examples' inputs from {@link ActivityCounters#inputs}
     * @param y the labels, 1 or 0, same length
     * @param l2 the penalty on the standardised weights, at least 0
     * @param off indices of inputs to leave out
     * @return the fitted calibration
     * @throws BadInputException when the lengths differ, a label is not 0 or 1, or there are no examples
     */
    public static TimeAwareCalibration fit(double[][] x, double[] y, double l2, int... off) {
        if (x == null || y == null || x.length != y.length) {
            throw new BadInputException("time-aware calibration: expected as many labels as examples, were "
                    + (y == null ? "null" : y.length) + " and " + (x == null ? "null" : x.length));
        }
        int n = x.length;
        int d = FEATURES.size();
        if (n == 0) {
            throw new BadInputException("time-aware calibration: no examples to fit on");
        }
        if (!(l2 >= 0)) {
            throw new BadInputException("time-aware calibration: l2 must be >= 0, was " + l2);
        }
        boolean[] used = new boolean[d];
        Arrays.fill(used, true);
        for (int o : off) {
            used[o] = false;
        }
        int pos = 0;
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (int i = 0; i < n; i++) {
            if (x[i] == null || x[i].length != d) {
                throw new BadInputException("time-aware calibration: example " + i + " must have " + d + " inputs");
            }
            if (y[i] != 0 && y[i] != 1) {
                throw new BadInputException("time-aware calibration: label " + i + " must be 0 or 1, was " + y[i]);
            }
            pos += (int) y[i];
            for (int j = 0; j < d; j++) {
                mean[j] += x[i][j] / n;
            }
        }
        for (double[] xi : x) {
            for (int j = 0; j < d; j++) {
                sd[j] += (xi[j] - mean[j]) * (xi[j] - mean[j]) / n;
            }
        }
        for (int j = 0; j < d; j++) {
            sd[j] = Math.sqrt(sd[j]);
            if (!(sd[j] > 1e-12)) {
                used[j] = false; // a constant input carries nothing the bias does not
            }
        }
        // standardised design with the bias last
        int m = d + 1;
        double[] w = new double[m];
        double base = (pos + 0.5) / (n + 1.0);
        w[d] = Math.log(base / (1 - base));
        double[] z = new double[m];
        for (int iter = 0; iter < 50; iter++) {
            double[] g = new double[m];
            double[][] h = new double[m][m];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    z[j] = used[j] ? (x[i][j] - mean[j]) / sd[j] : 0;
                }
                z[d] = 1;
                double s = w[d];
                for (int j = 0; j < d; j++) {
                    s += w[j] * z[j];
                }
                double p = PlattScaling.sigmoid(s);
                double r = p - y[i];
                double v = Math.max(p * (1 - p), 1e-12);
                for (int a = 0; a < m; a++) {
                    g[a] += r * z[a];
                    for (int b = a; b < m; b++) {
                        h[a][b] += v * z[a] * z[b];
                    }
                }
            }
            for (int a = 0; a < m; a++) {
                for (int b = 0; b < a; b++) {
                    h[a][b] = h[b][a];
                }
            }
            for (int j = 0; j < d; j++) {
                if (used[j]) {
                    g[j] += 2 * l2 * w[j];
                    h[j][j] += 2 * l2;
                } else {
                    // pin unused inputs at 0
                    for (int b = 0; b < m; b++) {
                        h[j][b] = 0;
                        h[b][j] = 0;
                    }
                    h[j][j] = 1;
                    g[j] = 0;
                }
            }
            double[] step = solve(h, g);
            double change = 0;
            for (int a = 0; a < m; a++) {
                w[a] -= step[a];
                change = Math.max(change, Math.abs(step[a]));
            }
            if (change < 1e-9) {
                break;
            }
        }
        double[] raw = new double[d];
        double b = w[d];
        for (int j = 0; j < d; j++) {
            if (used[j]) {
                raw[j] = w[j] / sd[j];
                b -= raw[j] * mean[j];
            }
        }
        return new TimeAwareCalibration(raw, b, n, pos);
    }

    /** Solves {@code h · s = g} by Gaussian elimination with partial pivoting (h is small and positive definite). */
    private static double[] solve(double[][] h, double[] g) {
        int m = g.length;
        double[][] a = new double[m][m + 1];
        for (int i = 0; i < m; i++) {
            System.arraycopy(h[i], 0, a[i], 0, m);
            a[i][m] = g[i];
        }
        for (int c = 0; c < m; c++) {
            int p = c;
            for (int r = c + 1; r < m; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[p][c])) {
                    p = r;
                }
            }
            double[] t = a[c];
            a[c] = a[p];
            a[p] = t;
            double piv = a[c][c];
            if (Math.abs(piv) < 1e-300) {
                return new double[m];
            }
            for (int r = c + 1; r < m; r++) {
                double f = a[r][c] / piv;
                for (int k = c; k <= m; k++) {
                    a[r][k] -= f * a[c][k];
                }
            }
        }
        double[] s = new double[m];
        for (int i = m - 1; i >= 0; i--) {
            double v = a[i][m];
            for (int k = i + 1; k < m; k++) {
                v -= a[i][k] * s[k];
            }
            s[i] = v / a[i][i];
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeAwareCalibration c && Arrays.equals(weights, c.weights) && Double.compare(bias, c.bias) == 0
                && examples == c.examples && positives == c.positives;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(weights) + Double.hashCode(bias) + 7 * examples + positives;
    }

    @Override
    public String toString() {
        return "TimeAwareCalibration{weights=" + Arrays.toString(weights) + ", bias=" + bias + ", examples=" + examples
                + ", positives=" + positives + "}";
    }
}
