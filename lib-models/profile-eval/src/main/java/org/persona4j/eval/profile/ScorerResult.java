package org.persona4j.eval.profile;

/**
 * One row of the report: a scorer's metrics on each target, null where it was not measured.
 *
 * @param scorer the scorer's name
 * @param description what its scores are
 * @param purchase purchase-within-horizon metrics, or null
 * @param churn churn metrics, or null
 * @param category next-category metrics, or null
 * @param note why a target is missing, or empty
 */
public record ScorerResult(String scorer, String description, BinaryMetrics purchase, BinaryMetrics churn,
                           CategoryMetrics category, String note) {
}
