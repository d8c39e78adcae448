package org.persona4j.models.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.core.Recommender;
import org.persona4j.eval.EvalSplit;
import org.persona4j.eval.FitContext;
import org.persona4j.eval.Protocols;
import org.persona4j.eval.RecommenderFactories;
import org.persona4j.recommend.ItemScorer;

class LstmRecommenderFactoryTest {
    @Test
    void lstmIsRegisteredFitsAndRecommends() throws Exception {
        TinyData d = new TinyData(11, 24, 12);
        EvalSplit split = Protocols.leaveOneOut(d.events);
        Recommender r = RecommenderFactories.get("lstm").fit(new FitContext(split, d.catalog,
                Map.of("epochs", "1", "emb", "4", "hidden", "6", "proj", "4", "max-len", "6", "batch", "8"), 3, 1, null));
        try {
            assertEquals("lstm", r.name());
            assertTrue(r instanceof ItemScorer);
            List<Recommendation> recs = r.recommend(RecommendationRequest.builder(5).user("u0")
                    .history(d.events.subList(0, 2)).build());
            assertFalse(recs.isEmpty());
            assertTrue(recs.size() <= 5);
        } finally {
            ((AutoCloseable) r).close();
        }
    }
}
