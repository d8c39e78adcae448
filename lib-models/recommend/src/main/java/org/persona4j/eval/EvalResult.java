package org.persona4j.eval;

import java.util.Map;

/**
 * The metrics of one recommender on one split.
 *
 * @param recommender its name
 * @param metrics metric name ("hr@10", "ndcg@10", "mrr@20", "coverage@20", "auc", ...) to value, ordered
 * @param cases test cases scored
 * @param fullRanking whether the recommender scored every item (else only its top-K list was ranked)
 * @param trainSeconds fitting time
 * @param evalSeconds scoring time
 */
public record EvalResult(String recommender, Map<String, Double> metrics, int cases, boolean fullRanking,
                         double trainSeconds, double evalSeconds) {
    /** Copies the metrics keeping their order. */
    public EvalResult {
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }

    /** @param seconds the fitting time @return a copy with it */
    public EvalResult withTrainSeconds(double seconds) {
        return new EvalResult(recommender, metrics, cases, fullRanking, seconds, evalSeconds);
    }
}
