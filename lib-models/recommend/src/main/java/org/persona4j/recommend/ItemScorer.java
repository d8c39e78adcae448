package org.persona4j.recommend;

import org.persona4j.core.RecommendationRequest;

/**
 * A recommender that can score every item of its {@link ItemIndex} at once, for full-ranking
 * evaluation. Scores are comparable within one call; items the scorer knows nothing about get the
 * lowest score it gives (often 0), so ties are visible to the caller. Filters are NOT applied.
 */
public interface ItemScorer {
    /** @return the items this scorer ranks */
    ItemIndex itemIndex();

    /**
     * @param request the user, history and context
     * @param out receives one finite score per item of {@link #itemIndex()}, higher is better
     */
    void scoreAll(RecommendationRequest request, float[] out);
}
