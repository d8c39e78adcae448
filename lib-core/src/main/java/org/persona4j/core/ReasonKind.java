package org.persona4j.core;

/** Why an item was recommended or moved. */
public enum ReasonKind {
    /** Similar to something the user interacted with ("because you viewed X"). */
    SIMILAR_TO_HISTORY,
    /** Close to the user's profile embedding. */
    PROFILE_MATCH,
    /** Popular overall. */
    POPULAR,
    /** Popular within the user's segment. */
    POPULAR_IN_SEGMENT,
    /** Rising over a recent window. */
    TRENDING,
    /** Matches a category, brand or keyword interest in the profile. */
    MATCHES_INTEREST,
    /** Often bought with an item in the cart or basket. */
    BOUGHT_TOGETHER,
    /** Moved in a search result list by the profile. */
    SEARCH_RERANK,
    /** Served by a fallback path (cold start, new item). */
    FALLBACK,
    /** Anything else; the text says what. */
    OTHER
}
