package org.persona4j.eval.profile;

import java.util.List;

/**
 * The metrics of one scorer on one binary target (purchase within the horizon, churn).
 *
 * @param cases scored cases
 * @param positives cases whose label is true
 * @param rocAuc ROC-AUC, NaN with a single class
 * @param prAuc average precision, NaN without positives
 * @param brier Brier score
 * @param ece expected calibration error (equal-width bins)
 * @param reliability the reliability table behind the ECE
 */
public record BinaryMetrics(int cases, int positives, double rocAuc, double prAuc, double brier, double ece,
                            List<ReliabilityBin> reliability) {
    /** Copies the table. */
    public BinaryMetrics {
        reliability = List.copyOf(reliability);
    }

    /**
     * @param probabilities predicted probabilities in [0, 1]
     * @param labels the true classes
     * @param bins reliability bins
     * @return every metric on these predictions
     */
    public static BinaryMetrics of(double[] probabilities, boolean[] labels, int bins) {
        int pos = 0;
        for (boolean l : labels) {
            if (l) {
                pos++;
            }
        }
        return new BinaryMetrics(probabilities.length, pos, Metrics.rocAuc(probabilities, labels),
                Metrics.averagePrecision(probabilities, labels), Metrics.brier(probabilities, labels),
                Metrics.expectedCalibrationError(probabilities, labels, bins), Metrics.reliability(probabilities, labels, bins));
    }

    /** @return the share of positives (the PR-AUC of a random scorer) */
    public double baseRate() {
        return cases == 0 ? Double.NaN : (double) positives / cases;
    }
}
