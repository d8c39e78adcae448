package org.persona4j.examples.host;

import java.util.List;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.engine.CountingProfileModel;
import org.persona4j.engine.PersonaEngine;
import org.persona4j.recommend.ItemKnnRecommender;
import org.persona4j.recommend.PopularityRecommender;
import org.persona4j.synth.ShopConfig;
import org.persona4j.synth.ShopGenerator;
import org.persona4j.synth.SyntheticShop;

/**
 * A host that needs only the engine, item-kNN and the in-memory store: a shop's events in, a
 * user's recommendations with their reasons out. Its class path holds no ND4J, DL4J, RocksDB or
 * Jedis (its pom's enforcer rule and {@code ItemKnnHostTest} check that).
 */
public final class ItemKnnHost {
    private ItemKnnHost() {
    }

    /**
     * Generates a small shop, serves it and returns one user's recommendations.
     *
     * @param users shoppers to generate
     * @param k recommendations to return
     * @return the recommendations of the first generated shopper
     */
    public static List<Recommendation> run(int users, int k) {
        SyntheticShop shop = new ShopGenerator(ShopConfig.builder().users(users).items(300).seed(7).build()).generate();
        List<BehaviorEvent> events = shop.events();
        ItemKnnRecommender knn = ItemKnnRecommender.fit(events, shop.catalog(), ItemKnnRecommender.Config.defaults(), 1);
        try (PersonaEngine engine = PersonaEngine.builder(new CountingProfileModel(shop.catalog()))
                .catalog(shop.catalog())
                .recommender(knn)
                .fallback(PopularityRecommender.global(events, shop.catalog()))
                .build()) {
            for (BehaviorEvent e : events) {
                engine.ingest(e);
            }
            String user = events.get(0).userId();
            return engine.recommend(RecommendationRequest.builder(k).user(user).build());
        }
    }

    /**
     * Prints ten recommendations with their first reason.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        for (Recommendation r : run(200, 10)) {
            System.out.println(r.itemId() + "  " + r.reasons().get(0).text());
        }
    }
}
