package org.persona4j.recommend;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.Recommender;
import org.persona4j.testkit.RecommenderContract;

/** Conformance of a built-in recommender ({@link RecommenderContract}). */
final class SessionKnnTest extends RecommenderContract {
    @Override
    protected Recommender create(List<BehaviorEvent> events, Catalog catalog) {
        return SessionKnnRecommender.fit(events, catalog, SessionKnnRecommender.Config.defaults());
    }
}
