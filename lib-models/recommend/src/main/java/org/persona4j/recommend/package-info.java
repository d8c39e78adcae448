/**
 * Recommenders that explain themselves: popularity (global, per segment, trending), item-kNN on
 * co-occurrence, session kNN, content-based, cross-sell rules, a hybrid, embedding retrieval over
 * any {@link org.persona4j.core.ProfileModel} (exact, an inverted file, or Lucene HNSW), business filters and MMR
 * diversity. The profile-aware search re-ranker lives in the engine module
 * ({@code org.persona4j.engine.ProfileReranker}).
 *
 * <p>Every recommender implements {@link org.persona4j.core.Recommender}; those that can score the
 * whole catalogue also implement {@link org.persona4j.recommend.ItemScorer}, which the evaluation
 * harness uses for full ranking with ties counted against the target.
 */
package org.persona4j.recommend;
