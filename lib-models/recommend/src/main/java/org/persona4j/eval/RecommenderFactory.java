package org.persona4j.eval;

import org.persona4j.core.Recommender;

/**
 * A service (found with {@link java.util.ServiceLoader}, listed in
 * {@code META-INF/services/org.persona4j.eval.RecommenderFactory}) that fits a recommender by name
 * for the evaluation harness and the {@code evaluate} command. Implementations need a public
 * no-argument constructor. A returned recommender that is {@link AutoCloseable} is closed by the
 * caller after use.
 */
public interface RecommenderFactory {
    /** @return the name used on the command line ("pop", "itemknn", "sknn", "lstm") */
    String name();

    /** @return one line saying what it fits and with which defaults */
    String description();

    /**
     * @param context training data, catalogue, options, seed, threads and progress
     * @return the fitted recommender
     */
    Recommender fit(FitContext context);
}
