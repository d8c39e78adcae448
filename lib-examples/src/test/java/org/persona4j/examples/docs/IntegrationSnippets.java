package org.persona4j.examples.docs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.persona4j.core.*;                           // persona4j-core
import org.persona4j.engine.PersonaEngine;             // persona4j-engine
import org.persona4j.models.profile.DeepProfileModel;  // persona4j-profile
import org.persona4j.privacy.Pseudonymizer;            // persona4j-core
import org.persona4j.store.rocksdb.*;                  // persona4j-store-rocksdb

/** docs/integration.md's plain-Java example, compiled. */
final class IntegrationSnippets {
    private IntegrationSnippets() {
    }

    /** What the example assumes the host has. */
    interface Stock {
        boolean inStock(String sku);
    }

    static void plainJava(InMemoryCatalog catalog, Recommender hybrid, Recommender popularity, Segmenter kmeans, Segmenter rfm,
                          byte[] secretKey, String userId, String sku, String sessionId, List<String> cartSkus, Stock stock,
                          String query, List<String> searchHitIds) throws IOException {
        // snippet:start integration-plain-java
        // given: catalog (an InMemoryCatalog of your items), hybrid and popularity (Recommenders), kmeans and rfm
        // (Segmenters), secretKey (>= 16 bytes), stock (your inventory), in a method that declares `throws IOException`
        ProfileModel model = DeepProfileModel.load(Path.of("models/profile.zip"));   // written by `persona4j train` (format 2)
        PersonaEngine engine = PersonaEngine.builder(model)
                .catalog(catalog)
                .store(RocksDbProfileStore.open(Path.of("data/profiles"), Durability.SYNC))   // default: in memory
                .recommender(hybrid)                               // any Recommender; the engine adds history and profile
                .fallback(popularity)                              // fills short lists (cold start)
                .segmenter(kmeans).segmenter(rfm)                  // every profile carries its memberships
                .pseudonymizer(new Pseudonymizer(secretKey)::pseudonym)
                .build();

        // on every shopper action (O(1), thread-safe)
        engine.ingest(BehaviorEvent.builder(userId, sku, EventType.ADD_TO_CART, System.currentTimeMillis())
                .session(sessionId).price(19.9).quantity(1).build());

        // on a page view
        List<Recommendation> recs = engine.recommend(RecommendationRequest.builder(20)
                .user(userId).cart(cartSkus).itemFilter(item -> stock.inStock(item.id())).build());
        recs.forEach(r -> System.out.println(r.itemId() + "  " + r.reasons().get(0).text()));

        // search results from your engine (Elasticsearch, Solr, ...), re-ordered for this shopper
        List<Recommendation> ranked = engine.rerank(userId, query, searchHitIds);

        // GDPR erasure request; the RocksDB store compacts the user's bytes out of its files within
        // its erasure delay (30 s by default; RocksDbProfileStore.compactDeleted() does it at once)
        engine.forget(userId);

        engine.close();   // flushes pending writes, closes the model and the stores
        // snippet:end
    }
}
