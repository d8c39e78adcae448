/**
 * Offline evaluation of a profile model's heads: purchase and churn propensities and category
 * interests, measured on a temporal split ({@link org.persona4j.eval.profile.ProfileSplit}) against
 * baselines (the user's historical rates, and a logistic regression and a random forest on per-user
 * aggregates trained at an earlier cutoff) and, for categories, a popularity reference; with rated
 * data also the polarity of the next rating ({@link org.persona4j.eval.profile.SentimentEvaluation}).
 * Metrics ({@link org.persona4j.eval.profile.Metrics}): ROC-AUC, PR-AUC (average precision), Brier score, expected calibration error with its reliability table,
 * next-category HR@K and NDCG@K and the mean per-category AUC. {@link
 * org.persona4j.eval.profile.ProfileEvaluator} runs the whole protocol and returns a
 * {@link org.persona4j.eval.profile.ProfileEvalReport} (table, JSON, HTML with reliability plots).
 * The protocol is described in {@code docs/profile-eval.md}.
 */
package org.persona4j.eval.profile;
