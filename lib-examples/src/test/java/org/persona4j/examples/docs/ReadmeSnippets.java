package org.persona4j.examples.docs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.persona4j.core.*;                                  // persona4j-core
import org.persona4j.io.*;                                    // persona4j-core
import org.persona4j.engine.PersonaEngine;                    // persona4j-engine
import org.persona4j.models.profile.DeepProfileModel;         // persona4j-profile
import org.persona4j.recommend.*;                             // persona4j-recommend
import org.persona4j.store.rocksdb.*;                         // persona4j-store-rocksdb (optional: the default store is in memory)

/** The README's code, compiled (DocSnippetsTest checks that the README shows exactly this). */
final class ReadmeSnippets {
    private ReadmeSnippets() {
    }

    static void embedding() throws IOException {
        // snippet:start readme-embedding
        // in a method that declares `throws IOException`:
        // train once: `persona4j train --format events-csv --input events.csv --out model.zip`, or in a
        // training host (persona4j-profile-train + a backend) with org.persona4j.models.train.ProfileTrainer
        // and ProfileModelConfig:
        //   new ProfileTrainer(ProfileModelConfig.builder().build()).fit(data.events(), data.catalog()).save(Path.of("model.zip"));
        Dataset data = Datasets.load(DataFormat.EVENTS_CSV, Path.of("events.csv"), ReadOptions.strict());
        DeepProfileModel model = DeepProfileModel.load(Path.of("model.zip"));   // no DL4J needed to serve
        InMemoryCatalog catalog = new InMemoryCatalog(data.catalog().items());

        PersonaEngine engine = PersonaEngine.builder(model)
                .catalog(catalog)
                .store(RocksDbProfileStore.open(Path.of("profiles"), Durability.SYNC))
                .recommender(DefaultRecommender.builder(model, model.itemIds(), data.events(), catalog)
                        .manifest(model.manifestJson()).build())                  // the blend learned at training
                .fallback(PopularityRecommender.global(data.events(), catalog))
                .build();

        String sku = data.catalog().items().iterator().next().id();         // an item the catalogue holds
        engine.ingest(BehaviorEvent.builder("u42", sku, EventType.ADD_TO_CART, System.currentTimeMillis())
                .session("s-9").price(19.90).quantity(1).build());           // O(1), thread-safe
        UserProfile profile = engine.profile("u42");                           // embedding, interests, propensities, tags
        List<Recommendation> recs = engine.recommend(RecommendationRequest.builder(20).user("u42").build());
        recs.forEach(r -> System.out.println(r.itemId() + "  " + r.reasons().get(0).text()));
        engine.close();
        // snippet:end
    }
}
