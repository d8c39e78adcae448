package org.persona4j.eval.profile;

/**
 * The metrics of one scorer on the next-category target.
 *
 * @param cases cases with a next category
 * @param k the cut-off
 * @param hitRate share of cases whose next category is among the scorer's top {@code k}
 * @param ndcg mean NDCG@k
 * @param meanCategoryAuc the mean over categories (with both classes present) of the ROC-AUC of the
 *     category's score for "the next category is this one"; a category the scorer does not name scores 0
 * @param categories the number of categories in that mean
 */
public record CategoryMetrics(int cases, int k, double hitRate, double ndcg, double meanCategoryAuc, int categories) {
}
