package org.persona4j.recommend;

import java.util.List;
import java.util.function.BiFunction;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.core.Recommender;

/**
 * Wraps a recommender with MMR diversity ({@link Diversity#mmr}): asks the inner recommender for
 * {@code poolFactor * k} filtered candidates and keeps k of them, trading relevance for variety.
 */
public final class DiversifiedRecommender implements Recommender {
    private final Recommender inner;
    private final double lambda;
    private final int poolFactor;
    private final BiFunction<String, String, Double> similarity;

    /**
     * @param inner the recommender to diversify
     * @param lambda 1 = relevance only, 0 = diversity only
     * @param poolFactor candidates fetched per wanted item, {@code >= 1}
     * @param similarity item similarity in [0, 1], e.g. {@link Diversity#categorySimilarity}
     */
    public DiversifiedRecommender(Recommender inner, double lambda, int poolFactor,
                                  BiFunction<String, String, Double> similarity) {
        if (inner == null || similarity == null) {
            throw new BadInputException("diversified recommender: inner recommender and similarity are required");
        }
        if (poolFactor < 1) {
            throw new BadInputException("diversified recommender: field 'poolFactor': expected >= 1, was " + poolFactor);
        }
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new BadInputException("diversified recommender: field 'lambda': expected [0, 1], was " + lambda);
        }
        this.inner = inner;
        this.lambda = lambda;
        this.poolFactor = poolFactor;
        this.similarity = similarity;
    }

    @Override
    public String name() {
        return inner.name() + "+mmr";
    }

    @Override
    public List<Recommendation> recommend(RecommendationRequest request) {
        if (request == null) {
            throw new BadInputException(name() + ": request must not be null");
        }
        int pool = (int) Math.min(Integer.MAX_VALUE, (long) request.k() * poolFactor);
        List<Recommendation> cands = inner.recommend(pool == request.k() ? request : rebuild(request, pool));
        return Diversity.mmr(cands, request.k(), lambda, similarity);
    }

    private static RecommendationRequest rebuild(RecommendationRequest r, int k) {
        RecommendationRequest.Builder b = RecommendationRequest.builder(k).user(r.userId().orElse(null)).history(r.history())
                .cart(r.cart()).currentItem(r.currentItem().orElse(null)).excludeSeen(r.excludeSeen())
                .excludeItems(r.excludeItems()).allowCategories(r.allowCategories()).denyCategories(r.denyCategories())
                .itemFilter(r.itemFilter());
        r.profile().ifPresent(b::profile);
        return b.build();
    }
}
