package org.persona4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.Item;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.core.Recommender;
import org.persona4j.core.Tag;
import org.persona4j.core.UserProfile;
import org.persona4j.features.aggregate.AggregateConfig;
import org.persona4j.features.aggregate.ItemResolver;
import org.persona4j.features.aggregate.PriceQuantiles;
import org.persona4j.features.tags.ProfileTagger;
import org.persona4j.features.tags.TagThresholds;
import org.persona4j.core.InMemoryCatalog;

/**
 * The profile a recommender reads is decorated once per change of the user, not at every read:
 * repeated reads neither re-decorate it (tags added twice) nor rebuild it, and they read it with the
 * recent events without the user's lock until the next event.
 */
class DecoratedProfileCacheTest {
    @Test
    void repeatedReadsSeeTheSameDecoratedProfileWithoutDuplicateTags() {
        InMemoryCatalog catalog = new InMemoryCatalog();
        for (int i = 0; i < 20; i++) {
            catalog.put(new Item("i" + i, List.of("C" + (i % 3)), "B" + (i % 2), 50.0, "", "", Map.of()));
        }
        List<UserProfile> seen = new ArrayList<>();
        List<List<BehaviorEvent>> histories = new ArrayList<>();
        Recommender capture = new Recommender() {
            @Override
            public String name() {
                return "capture";
            }

            @Override
            public List<Recommendation> recommend(RecommendationRequest r) {
                r.profile().ifPresent(seen::add);
                histories.add(r.history());
                return List.of();
            }
        };
        long t0 = 1_767_571_200_000L;
        try (PersonaEngine engine = PersonaEngine.builder(new ToyModel("v1")).catalog(catalog).recommender(capture)
                .aggregates(AggregateConfig.defaults(), new ItemResolver(catalog, PriceQuantiles.fit(catalog)),
                        new ProfileTagger(TagThresholds.defaults(10, 0.1)))
                .clock(() -> t0 + 3_600_000L).flushInterval(Duration.ZERO).build()) {
            for (int i = 0; i < 12; i++) {
                engine.ingest(BehaviorEvent.builder("u", "i" + i, i % 3 == 0 ? EventType.PURCHASE : EventType.VIEW, t0 + i * 60_000L)
                        .quantity(1).build());
            }
            for (int k = 0; k < 3; k++) {
                engine.recommend(RecommendationRequest.builder(5).user("u").build());
            }
            assertEquals(3, seen.size());
            List<Tag> tags = seen.get(2).tags();
            assertFalse(tags.isEmpty(), "the tagger tags this shopper");
            Map<String, Integer> counts = new HashMap<>();
            tags.forEach(t -> counts.merge(t.id(), 1, Integer::sum));
            counts.forEach((id, n) -> assertEquals(1, n, "tag " + id + " once: " + tags));
            assertEquals(seen.get(0).tags(), tags);
            assertSame(seen.get(1), seen.get(2), "an unchanged user's decorated profile is reused");
            // a new event invalidates it
            engine.ingest(BehaviorEvent.of("u", "i3", EventType.VIEW, t0 + 20 * 60_000L));
            engine.recommend(RecommendationRequest.builder(5).user("u").build());
            assertEquals(13, seen.get(3).eventCount());
            assertEquals(13, histories.get(3).size(), "the lock-free read's history has the new event too");
            assertEquals("i3", histories.get(3).get(12).itemId());
            assertEquals(12, histories.get(2).size());
            // reads of an unchanged user (the published view, no lock) see the same profile and history
            engine.recommend(RecommendationRequest.builder(5).user("u").build());
            assertSame(seen.get(3), seen.get(4));
            assertEquals(histories.get(3), histories.get(4));
        }
    }
}
