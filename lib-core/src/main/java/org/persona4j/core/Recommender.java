package org.persona4j.core;

import java.util.List;

/**
 * Produces ranked recommendations, each with its reasons.
 *
 * <p>Contract: thread-safe; returns at most {@code request.k()} distinct items sorted by score,
 * highest first, each with at least one {@link Reason}; respects the request's filters; an unknown
 * user or a user with no events gets the recommender's documented fallback (possibly an empty list,
 * never an exception); a null request raises {@link BadInputException}.
 */
public interface Recommender {
    /** @return a short name ("pop", "itemknn", "lstm") used in reports and reasons */
    String name();

    /**
     * @param request who, how many, with what context and filters
     * @return at most {@code k} recommendations, best first
     */
    List<Recommendation> recommend(RecommendationRequest request);
}
