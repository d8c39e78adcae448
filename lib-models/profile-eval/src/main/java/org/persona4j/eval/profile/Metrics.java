package org.persona4j.eval.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BadInputException;

/**
 * Plain-Java metrics for probabilistic binary predictions and for ranked category interests. Every
 * method checks its input and names the bad argument; metrics undefined for the input (AUC with a
 * single class, anything on no cases) are NaN.
 */
public final class Metrics {
    private Metrics() {
    }

    /**
     * ROC-AUC as the Mann-Whitney statistic: the probability that a random positive scores above a
     * random negative, ties counted one half (average ranks).
     *
     * @param scores scores, finite
     * @param labels the true classes, same length
     * @return the AUC in [0, 1], NaN when there is no positive or no negative
     */
    public static double rocAuc(double[] scores, boolean[] labels) {
        check(scores, labels, false);
        int n = scores.length;
        Integer[] order = sortedAscending(scores);
        long pos = 0;
        double rankSumPos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1; // ranks are 1-based
            for (int k = i; k <= j; k++) {
                if (labels[order[k]]) {
                    pos++;
                    rankSumPos += avgRank;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /**
     * PR-AUC as average precision: the sum over decreasing score thresholds of (recall gain) times
     * precision at that threshold; tied scores form one threshold.
     *
     * @param scores scores, finite
     * @param labels the true classes
     * @return average precision in [0, 1], NaN when there is no positive
     */
    public static double averagePrecision(double[] scores, boolean[] labels) {
        check(scores, labels, false);
        int n = scores.length;
        long positives = 0;
        for (boolean l : labels) {
            if (l) {
                positives++;
            }
        }
        if (positives == 0) {
            return Double.NaN;
        }
        Integer[] order = sortedAscending(scores);
        double ap = 0;
        double prevRecall = 0;
        long tp = 0;
        long seen = 0;
        int i = n - 1;
        while (i >= 0) {
            int j = i;
            while (j - 1 >= 0 && scores[order[j - 1]] == scores[order[i]]) {
                j--;
            }
            for (int k = j; k <= i; k++) {
                seen++;
                if (labels[order[k]]) {
                    tp++;
                }
            }
            double recall = (double) tp / positives;
            double precision = (double) tp / seen;
            ap += (recall - prevRecall) * precision;
            prevRecall = recall;
            i = j - 1;
        }
        return ap;
    }

    /**
     * @param probabilities predicted probabilities in [0, 1]
     * @param labels the true classes
     * @return the mean squared error of the probabilities, NaN on no cases
     */
    public static double brier(double[] probabilities, boolean[] labels) {
        check(probabilities, labels, true);
        if (probabilities.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < probabilities.length; i++) {
            double d = probabilities[i] - (labels[i] ? 1 : 0);
            s += d * d;
        }
        return s / probabilities.length;
    }

    /**
     * The reliability table: equal-width bins over [0, 1], bin {@code b} holding the predictions in
     * {@code [b / bins, (b + 1) / bins)}, the last bin also 1.
     *
     * @param probabilities predicted probabilities in [0, 1]
     * @param labels the true classes
     * @param bins number of bins, {@code >= 1}
     * @return one entry per bin, empty bins included (count 0, NaN means)
     */
    public static List<ReliabilityBin> reliability(double[] probabilities, boolean[] labels, int bins) {
        check(probabilities, labels, true);
        if (bins < 1) {
            throw new BadInputException("reliability: 'bins' expected >= 1, was " + bins);
        }
        int[] count = new int[bins];
        double[] sumP = new double[bins];
        int[] pos = new int[bins];
        for (int i = 0; i < probabilities.length; i++) {
            int b = Math.min((int) Math.floor(probabilities[i] * bins), bins - 1);
            count[b]++;
            sumP[b] += probabilities[i];
            if (labels[i]) {
                pos[b]++;
            }
        }
        List<ReliabilityBin> out = new ArrayList<>(bins);
        for (int b = 0; b < bins; b++) {
            out.add(new ReliabilityBin((double) b / bins, (double) (b + 1) / bins, count[b],
                    count[b] == 0 ? Double.NaN : sumP[b] / count[b], count[b] == 0 ? Double.NaN : (double) pos[b] / count[b]));
        }
        return out;
    }

    /**
     * Expected calibration error over equal-width bins: the count-weighted mean of
     * |mean predicted − observed rate| over the non-empty bins of {@link #reliability}.
     *
     * @param probabilities predicted probabilities in [0, 1]
     * @param labels the true classes
     * @param bins number of bins, {@code >= 1} (10 is the usual choice)
     * @return the ECE in [0, 1], NaN on no cases
     */
    public static double expectedCalibrationError(double[] probabilities, boolean[] labels, int bins) {
        List<ReliabilityBin> table = reliability(probabilities, labels, bins);
        if (probabilities.length == 0) {
            return Double.NaN;
        }
        double ece = 0;
        for (ReliabilityBin b : table) {
            if (b.count() > 0) {
                ece += (double) b.count() / probabilities.length * Math.abs(b.meanPredicted() - b.observedRate());
            }
        }
        return ece;
    }

    /**
     * The 1-based rank of {@code target} among the keys of {@code scores} ordered by score
     * descending, ties broken by name (so the result does not depend on map order).
     *
     * @param scores scores by name, possibly empty
     * @param target the true name
     * @return its rank, or 0 when the map does not hold it
     */
    public static int rankOf(Map<String, Double> scores, String target) {
        if (scores == null || target == null) {
            throw new BadInputException("rankOf: 'scores' and 'target' are required");
        }
        Double t = scores.get(target);
        if (t == null) {
            return 0;
        }
        int rank = 1;
        for (Map.Entry<String, Double> e : scores.entrySet()) {
            double v = e.getValue();
            if (v > t || (v == t && e.getKey().compareTo(target) < 0)) {
                rank++;
            }
        }
        return rank;
    }

    /**
     * @param rank a 1-based rank, 0 for absent
     * @param k the cut-off
     * @return 1 when {@code 1 <= rank <= k}, else 0
     */
    public static double hit(int rank, int k) {
        return rank >= 1 && rank <= k ? 1 : 0;
    }

    /**
     * @param rank a 1-based rank, 0 for absent
     * @param k the cut-off
     * @return NDCG@k with a single relevant name: {@code 1 / log2(rank + 1)} within the cut-off, else 0
     */
    public static double ndcg(int rank, int k) {
        return rank >= 1 && rank <= k ? 1 / (Math.log(rank + 1) / Math.log(2)) : 0;
    }

    private static Integer[] sortedAscending(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        return order;
    }

    private static void check(double[] scores, boolean[] labels, boolean probabilities) {
        if (scores == null || labels == null) {
            throw new BadInputException("metrics: 'scores' and 'labels' are required");
        }
        if (scores.length != labels.length) {
            throw new BadInputException("metrics: " + scores.length + " scores but " + labels.length
                    + " labels; expected one label per score");
        }
        for (int i = 0; i < scores.length; i++) {
            double s = scores[i];
            if (!Double.isFinite(s) || (probabilities && (s < 0 || s > 1))) {
                throw new BadInputException("metrics: score[" + i + "]: expected " + (probabilities ? "a probability in [0, 1]"
                        : "a finite number") + ", was " + s);
            }
        }
    }
}
