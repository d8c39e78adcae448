package org.persona4j.cli;

import java.util.Arrays;
import org.persona4j.core.BadInputException;

/**
 * Area under the ROC curve of scores against binary labels: the probability that a random positive
 * scores above a random negative, ties counting one half (the Mann-Whitney U statistic over the
 * positives' mid-ranks). O(n log n).
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
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new BadInputException("ROC AUC: score " + i + " is not finite: " + scores[i]);
            }
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSum = 0;
        long pos = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double midRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    rankSum += midRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }
}
