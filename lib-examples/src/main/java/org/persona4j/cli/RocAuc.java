package org.persona4j.cli;

import org.persona4j.core.BadInputException;

/**
 * Area under the ROC curve of scores against binary labels: the probability that a random positive
 * scores above a random negative, ties counting one half. The quickstart's input checks around
 * {@link org.persona4j.eval.Metrics#auc}, which computes it.
 */
final class RocAuc {
    private RocAuc() {
    }

    /**
     * @param scores one score per example, finite
     * @param positive one label per example
     * @return the AUC in [0, 1], or NaN when all labels are equal
     * @throws BadInputException when the arrays are null or of different lengths, or a score is not finite
     */
    static double of(double[] scores, boolean[] positive) {
        if (scores == null || positive == null || scores.length != positive.length) {
            throw new BadInputException("ROC AUC: expected as many labels as scores, were "
                    + (scores == null ? "null" : scores.length) + " scores and " + (positive == null ? "null" : positive.length)
                    + " labels");
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new BadInputException("ROC AUC: score " + i + " is not finite: " + scores[i]);
            }
        }
        return org.persona4j.eval.Metrics.auc(scores, positive);
    }
}
