package org.persona4j.recommend;

import java.util.List;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.Recommender;
import org.persona4j.testkit.RecommenderContract;

/** Conformance of embedding retrieval served by the IVF index ({@link RecommenderContract}). */
final class EmbeddingIvfTest extends RecommenderContract {
    @Override
    protected Recommender create(List<BehaviorEvent> events, Catalog catalog) {
        return EmbeddingRetrievalRecommender.builder(new FakeProfileModel(8, 7), ItemIndex.fromEvents(events).ids())
                .catalog(catalog).ann(IvfVectorIndex.Params.defaults()).build();
    }
}
