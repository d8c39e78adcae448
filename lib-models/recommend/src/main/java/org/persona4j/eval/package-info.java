/**
 * The evaluation harness: protocols ({@link org.persona4j.eval.Protocols}: leave-one-out, temporal,
 * session), full-ranking metrics ({@link org.persona4j.eval.Metrics}: HR/Recall, NDCG, MRR,
 * precision at K, coverage, novelty, AUC), a multi-threaded deterministic
 * {@link org.persona4j.eval.Evaluator}, reports as a table and JSON, and the
 * {@link org.persona4j.eval.RecommenderFactory} service interface through which the {@code evaluate}
 * command finds recommenders by name.
 */
package org.persona4j.eval;
