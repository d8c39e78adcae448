package org.persona4j.eval;

import java.util.Arrays;
import org.persona4j.core.BadInputException;

/**
 * Ranking metrics of one query from the 1-based ranks of its targets (a target that was not ranked
 * has rank {@link Integer#MAX_VALUE}), the rank of a target in a full score vector, sums of
 * single-target metrics over many queries ({@link RankSums}), plus AUC, coverage and novelty.
 * Everything but {@link RankSums} is a pure function.
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

    /**
     * @param rank the 1-based rank of a query's only target
     * @param k cut-off
     * @return 1 when the target is in the top k, else 0 (equal to {@code hitRate(new int[] {rank}, k)})
     */
    public static double hitRate(int rank, int k) {
        return rank <= k ? 1 : 0;
    }

    /**
     * @param rank the 1-based rank of a query's only target
     * @param k cut-off
     * @return {@code 1/log2(rank+1)} when the target is in the top k, else 0 (equal to
     *     {@code ndcg(new int[] {rank}, k)}: the ideal DCG of one target is 1)
     */
    public static double ndcg(int rank, int k) {
        return rank <= k ? 1 / log2(rank + 1) : 0;
    }

    /**
     * @param rank the 1-based rank of a query's only target
     * @param k cut-off
     * @return {@code 1/rank} when the target is in the top k, else 0 (equal to {@code mrr(new int[] {rank}, k)})
     */
    public static double mrr(int rank, int k) {
        return rank <= k ? 1.0 / rank : 0;
    }

    /**
     * The 1-based rank of one target in a full score vector, ties counted against the target: one
     * plus the number of other candidates scoring at least as high. Candidates are the indices from
     * {@code from} on; the excluded indices (typically the query's own history) are not candidates,
     * except the target itself; excluded indices outside the candidates are ignored.
     *
     * @param scores a score per index
     * @param target the target's index, a candidate ({@code from <= target < scores.length})
     * @param from the first candidate index (indices below it are padding or reserved)
     * @param excluded indices that are not candidates, may be empty
     * @return the rank, {@code >= 1}
     */
    public static int rank(float[] scores, int target, int from, int[] excluded) {
        if (target < from || target >= scores.length) {
            throw new BadInputException("rank: target " + target + " outside the candidates " + from + ".." + (scores.length - 1));
        }
        float tv = scores[target];
        boolean[] skip = new boolean[scores.length];
        for (int e : excluded) {
            if (e >= from && e < scores.length && e != target) {
                skip[e] = true;
            }
        }
        int above = 0;
        for (int i = from; i < scores.length; i++) {
            if (i != target && !skip[i] && scores[i] >= tv) {
                above++;
            }
        }
        return above + 1;
    }

    /**
     * Sums of hit rate, NDCG and MRR at fixed cut-offs over single-target queries, each query given
     * by its target's 1-based rank ({@link Integer#MAX_VALUE} for a target that was not ranked, which
     * counts as a miss). The sums are accumulated in the order the ranks are added, so ranks computed
     * in parallel into an array and added in query order give the same sums whatever the thread
     * count. Not thread-safe.
     */
    public static final class RankSums {
        private final int[] cutoffs;
        private final double[] hits;
        private final double[] ndcg;
        private final double[] mrr;
        private int queries;

        /** @param cutoffs the cut-offs, each {@code >= 1} */
        public RankSums(int... cutoffs) {
            for (int k : cutoffs) {
                if (k < 1) {
                    throw new BadInputException("rank sums: cut-offs must be >= 1, was " + k);
                }
            }
            this.cutoffs = cutoffs.clone();
            this.hits = new double[cutoffs.length];
            this.ndcg = new double[cutoffs.length];
            this.mrr = new double[cutoffs.length];
        }

        /** @param rank one query's target rank, 1-based ({@link Integer#MAX_VALUE} = not ranked) @return this */
        public RankSums add(int rank) {
            for (int c = 0; c < cutoffs.length; c++) {
                hits[c] += hitRate(rank, cutoffs[c]);
                ndcg[c] += Metrics.ndcg(rank, cutoffs[c]);
                mrr[c] += Metrics.mrr(rank, cutoffs[c]);
            }
            queries++;
            return this;
        }

        /** @param ranks target ranks of queries, added in array order @return this */
        public RankSums addAll(int[] ranks) {
            for (int r : ranks) {
                add(r);
            }
            return this;
        }

        /** @return the number of queries added */
        public int queries() {
            return queries;
        }

        /** @param k one of the cut-offs @return the sum of the queries' hit rates at k */
        public double hitRateSum(int k) {
            return hits[slot(k)];
        }

        /** @param k one of the cut-offs @return the sum of the queries' NDCG at k */
        public double ndcgSum(int k) {
            return ndcg[slot(k)];
        }

        /** @param k one of the cut-offs @return the sum of the queries' reciprocal ranks within k */
        public double mrrSum(int k) {
            return mrr[slot(k)];
        }

        private int slot(int k) {
            for (int c = 0; c < cutoffs.length; c++) {
                if (cutoffs[c] == k) {
                    return c;
                }
            }
            throw new BadInputException("rank sums: no cut-off " + k + ", have " + Arrays.toString(cutoffs));
        }
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
