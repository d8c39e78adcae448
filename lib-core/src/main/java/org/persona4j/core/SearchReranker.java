package org.persona4j.core;

import java.util.List;

/**
 * Re-orders a host search engine's candidate list for one user. Implementations are thread-safe,
 * return every candidate exactly once (unknown ids included, never dropped), best first, and give
 * each candidate a reason that says why it moved or stayed.
 */
@FunctionalInterface
public interface SearchReranker {
    /**
     * @param profile the user's profile (possibly the cold-start profile)
     * @param history the user's recent events, oldest first
     * @param query the search query, possibly empty
     * @param candidates the search engine's result ids in its order
     * @return the candidates re-ordered, each with its reasons
     */
    List<Recommendation> rerank(UserProfile profile, List<BehaviorEvent> history, String query, List<String> candidates);
}
