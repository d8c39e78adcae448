package org.persona4j.models.profile;

import org.persona4j.core.BadInputException;

/**
 * Platt scaling of a sigmoid head: {@code p = 1 / (1 + exp(-(a · logit(raw) + b)))}, two
 * parameters fitted after training on held-out (validation) users, so that a propensity reads as a
 * probability. {@code a = 1, b = 0} is the identity.
 *
 * @param a the slope on the raw output's logit, finite
 * @param b the intercept, finite
 * @param examples the number of examples it was fitted on
 * @param positives how many of them were positive
 */
public record PlattScaling(double a, double b, int examples, int positives) {
    /** Raw outputs are clamped to {@code [EPS, 1 - EPS]} before the logit. */
    private static final double EPS = 1e-7;

    /** Checks the parameters. */
    public PlattScaling {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            throw new BadInputException("Platt scaling: a and b must be finite, were " + a + " and " + b);
        }
        if (examples < 0 || positives < 0 || positives > examples) {
            throw new BadInputException("Platt scaling: expected 0 <= positives <= examples, were " + positives + " and " + examples);
        }
    }

    /**
     * @param raw the head's raw output, in [0, 1]
     * @return the calibrated probability, in (0, 1)
     */
    public double apply(double raw) {
        return sigmoid(a * logit(raw) + b);
    }

    static double logit(double p) {
        double q = Math.min(1 - EPS, Math.max(EPS, p));
        return Math.log(q / (1 - q));
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /**
     * Fits the two parameters by Newton's method on the log loss, with Platt's smoothed targets
     * ({@code (N+ + 1) / (N+ + 2)} for positives, {@code 1 / (N- + 2)} for negatives), which keep
     * the fit finite when the scores separate the classes.
     *
     * @param raw the raw head outputs, in [0, 1]
     * @param labels the labels, 1 or 0, same length
     * @return the fitted scaling
     * @throws BadInputException when the lengths differ, a label is not 0 or 1, or there are no examples
     */
    public static PlattScaling fit(double[] raw, double[] labels) {
        if (raw == null || labels == null || raw.length != labels.length) {
            throw new BadInputException("Platt scaling: expected as many labels as outputs, were "
                    + (labels == null ? "null" : labels.length) + " and " + (raw == null ? "null" : raw.length));
        }
        int n = raw.length;
        if (n == 0) {
            throw new BadInputException("Platt scaling: no examples to fit on");
        }
        int pos = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new BadInputException("Platt scaling: label " + i + " must be 0 or 1, was " + labels[i]);
            }
            pos += (int) labels[i];
        }
        double hi = (pos + 1.0) / (pos + 2.0);
        double lo = 1.0 / (n - pos + 2.0);
        double[] x = new double[n];
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = logit(raw[i]);
            t[i] = labels[i] == 1 ? hi : lo;
        }
        double a = 1;
        double b = logit((pos + 1.0) / (n + 2.0)) - meanOf(x);
        double loss = loss(x, t, a, b);
        for (int it = 0; it < 100; it++) {
            double ga = 0;
            double gb = 0;
            double haa = 1e-12;
            double hab = 0;
            double hbb = 1e-12;
            for (int i = 0; i < n; i++) {
                double p = sigmoid(a * x[i] + b);
                double d = p - t[i];
                double w = p * (1 - p);
                ga += d * x[i];
                gb += d;
                haa += w * x[i] * x[i];
                hab += w * x[i];
                hbb += w;
            }
            double det = haa * hbb - hab * hab;
            if (!(det > 0)) {
                break;
            }
            double da = (hbb * ga - hab * gb) / det;
            double db = (haa * gb - hab * ga) / det;
            double step = 1;
            double next = loss(x, t, a - da, b - db);
            while (next > loss && step > 1e-8) {
                step /= 2;
                next = loss(x, t, a - step * da, b - step * db);
            }
            if (!(next <= loss)) {
                break;
            }
            a -= step * da;
            b -= step * db;
            boolean done = loss - next < 1e-12 * Math.max(1, loss);
            loss = next;
            if (done) {
                break;
            }
        }
        return new PlattScaling(a, b, n, pos);
    }

    private static double meanOf(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double loss(double[] x, double[] t, double a, double b) {
        double l = 0;
        for (int i = 0; i < x.length; i++) {
            double z = a * x[i] + b;
            // log(1 + exp(z)) - t z, computed stably
            l += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - t[i] * z;
        }
        return l;
    }
}
