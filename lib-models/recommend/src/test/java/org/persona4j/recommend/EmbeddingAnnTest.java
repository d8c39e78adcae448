package org.persona4j.recommend;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.Recommender;
import org.persona4j.testkit.RecommenderContract;

/** Conformance of a built-in recommender ({@link RecommenderContract}). */
final class EmbeddingAnnTest extends RecommenderContract {
    @Override
    protected Recommender create(List<BehaviorEvent> events, Catalog catalog) {
        return EmbeddingRetrievalRecommender.builder(new FakeProfileModel(8, 7), ItemIndex.fromEvents(events).ids())
                .catalog(catalog).ann(HnswVectorIndex.Params.defaults()).build();
    }
}
