/**
 * Batch scoring: {@link org.persona4j.segment.score.ProfileScorer} turns each user's history into
 * one {@link org.persona4j.segment.score.ScoredUser} row (embeddings, propensities with a churn
 * risk, top interests, tags, segment, RFM value group and, when the data has ratings, the user's
 * rating polarity "sentiment" with {@code critical-rater}/{@code enthusiastic-rater} tags), and
 * {@link org.persona4j.segment.score.ScoreWriter} streams the rows as JSON Lines or CSV. The
 * {@code persona4j score} command is a thin shell over this package; a distributed job (Spark)
 * calls {@link org.persona4j.segment.score.ProfileScorer#score(String, java.util.List)} per user
 * with the fitted parts handed to the builder.
 *
 * <p>The churn risk is the model's {@code churn} propensity when its profiles carry one, otherwise
 * the heuristic {@link org.persona4j.segment.score.ChurnHeuristic} (recency against the user's own
 * mean gap between events); rows say which in {@code churnSource} ({@code model} or
 * {@code heuristic}). See docs/segments.md, "Batch scoring".
 */
package org.persona4j.segment.score;
