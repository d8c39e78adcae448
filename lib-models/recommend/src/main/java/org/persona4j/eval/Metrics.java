package org.persona4j.eval;

import java.util.Arrays;
import org.persona4j.core.BadInputException;

/**
 * Ranking metrics of one query from the 1-based ranks of its targets (a target that was not ranked
 * has rank {@link Integer#MAX_VALUE}), plus AUC, coverage and novelty. Pure functions.
 */
public final class Metrics {
    private Metrics() {
    }

    private static int hits(int[] ranks, int k) {
        int h = 0;
        for (int r : ranks) {
            if (r <= k) {
                h++;
            }
        }
        return h;
    }

    /** @param ranks target ranks @param k cut-off @return 1 when any target is in the top k, else 0 */
    public static double hitRate(int[] ranks, int k) {
        return hits(ranks, k) > 0 ? 1 : 0;
    }

    /** @param ranks target ranks @param k cut-off @return targets in the top k / number of targets */
    public static double recall(int[] ranks, int k) {
        return ranks.length == 0 ? 0 : hits(ranks, k) / (double) ranks.length;
    }

    /** @param ranks target ranks @param k cut-off @return targets in the top k / k */
    public static double precision(int[] ranks, int k) {
        return hits(ranks, k) / (double) k;
    }

    /**
     * @param ranks target ranks
     * @param k cut-off
     * @return DCG of the top k (gain 1 per target, discount {@code 1/log2(rank+1)}) over the ideal DCG
     */
    public static double ndcg(int[] ranks, int k) {
        double dcg = 0;
        for (int r : ranks) {
            if (r <= k) {
                dcg += 1 / log2(r + 1);
            }
        }
        double idcg = 0;
        for (int i = 1; i <= Math.min(ranks.length, k); i++) {
            idcg += 1 / log2(i + 1);
        }
        return idcg == 0 ? 0 : dcg / idcg;
    }

    /** @param ranks target ranks @param k cut-off @return 1 / the best rank when it is within k, else 0 */
    public static double mrr(int[] ranks, int k) {
        int best = Integer.MAX_VALUE;
        for (int r : ranks) {
            best = Math.min(best, r);
        }
        return best <= k ? 1.0 / best : 0;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /**
     * Area under the ROC curve (Mann-Whitney), equal scores counting one half, for binary
     * classifiers such as the propensity heads.
     *
     * @param scores predicted scores
     * @param labels true labels, same length
     * @return the AUC, or NaN when one class is missing
     */
    public static double auc(double[] scores, boolean[] labels) {
        if (scores.length != labels.length) {
            throw new BadInputException("auc: scores and labels differ in length: " + scores.length + " vs " + labels.length);
        }
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                if (labels[order[t]]) {
                    rankSumPos += avgRank;
                    pos++;
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
     * @param distinctRecommended distinct items that appeared in any top-k list
     * @param catalogueSize number of items in the catalogue
     * @return the share of the catalogue ever recommended
     */
    public static double coverage(int distinctRecommended, int catalogueSize) {
        return catalogueSize == 0 ? 0 : distinctRecommended / (double) catalogueSize;
    }

    /**
     * @param interactingUsers training users who interacted with the item (0 is smoothed to 1)
     * @param users training users
     * @return the item's self-information {@code -log2(share of users)}, in bits
     */
    public static double novelty(long interactingUsers, long users) {
        return -log2(Math.max(1, interactingUsers) / (double) Math.max(1, users));
    }
}
