package org.persona4j.recommend;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.Recommender;
import org.persona4j.testkit.RecommenderContract;

/** Conformance of a built-in recommender ({@link RecommenderContract}). */
final class HybridTest extends RecommenderContract {
    @Override
    protected Recommender create(List<BehaviorEvent> events, Catalog catalog) {
        return HybridRecommender.builder("hybrid")
                .add(ItemKnnRecommender.fit(events, catalog, ItemKnnRecommender.Config.defaults(), 1), 0.6)
                .add(ContentBasedRecommender.fit(events, catalog), 0.4)
                .fallback(PopularityRecommender.global(events, catalog)).build();
    }
}
