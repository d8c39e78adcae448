package org.persona4j.examples.serving;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.core.UserProfile;
import org.persona4j.engine.PersonaEngine;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.recommend.EmbeddingRetrievalRecommender;

/**
 * A host that serves a trained profile model: it loads the artifact (no DL4J, no ND4J on its
 * class path), streams a user's events into the engine and asks for the profile and
 * embedding-retrieval recommendations.
 */
public final class ServingHost {
    private ServingHost() {
    }

    /** What the host got back. */
    public record Served(UserProfile profile, List<Recommendation> recommendations) {
    }

    /**
     * @param artifact a trained model artifact (format 2)
     * @param k recommendations to return
     * @return the profile and recommendations of a user who viewed and bought two known items
     * @throws IOException when the artifact cannot be read
     */
    public static Served run(Path artifact, int k) throws IOException {
        try (DeepProfileModel model = DeepProfileModel.load(artifact)) {
            List<String> items = model.itemIds();
            InMemoryCatalog catalog = new InMemoryCatalog();
            for (String id : items) {
                catalog.put(new Item(id, List.of(), null, 0.0, id, null, java.util.Map.of()));
            }
            try (PersonaEngine engine = PersonaEngine.builder(model)
                    .catalog(catalog)
                    .recommender(EmbeddingRetrievalRecommender.builder(model, items).catalog(catalog).build())
                    .build()) {
                long t = 1_700_000_000_000L;
                engine.ingest(BehaviorEvent.builder("u1", items.get(0), EventType.VIEW, t).build());
                engine.ingest(BehaviorEvent.builder("u1", items.get(1 % items.size()), EventType.PURCHASE, t + 60_000).build());
                return new Served(engine.profile("u1"), engine.recommend(RecommendationRequest.builder(k).user("u1").build()));
            }
        }
    }

    /**
     * Prints a user's profile summary and recommendations.
     *
     * @param args the artifact path
     * @throws IOException when the artifact cannot be read
     */
    public static void main(String[] args) throws IOException {
        Served s = run(Path.of(args[0]), 10);
        System.out.println("purchase propensity " + s.profile().propensities().get("purchase"));
        s.recommendations().forEach(r -> System.out.println(r.itemId() + "  " + r.reasons().get(0).text()));
    }
}
