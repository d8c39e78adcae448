package org.persona4j.features.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.Tag;
import org.persona4j.features.aggregate.AggregateConfig;
import org.persona4j.features.aggregate.AggregateSnapshot;
import org.persona4j.features.aggregate.ItemResolver;
import org.persona4j.features.aggregate.PriceQuantiles;
import org.persona4j.features.aggregate.UserAggregates;

class ProfileTaggerTest {
    private static final long DAY = 86_400_000L;
    private static final long T0 = 1_699_920_000_000L; // midnight UTC

    private static final InMemoryCatalog CAT = new InMemoryCatalog();

    static {
        for (int i = 0; i < 10; i++) {
            CAT.put(new Item("s" + i, List.of("Beauty", "Skin care"), "Glow", 10 + i * 10, null, null, Map.of()));
            CAT.put(new Item("h" + i, List.of("Home", "Lamps"), "Lux" + i, 10 + i * 10, null, null, Map.of()));
        }
    }

    private static AggregateSnapshot run(List<BehaviorEvent> es, long asOf) {
        ItemResolver r = new ItemResolver(CAT, PriceQuantiles.fit(CAT));
        UserAggregates a = new UserAggregates("u", AggregateConfig.defaults());
        es.forEach(e -> a.update(e, r));
        return a.snapshot(asOf, r);
    }

    private static Set<String> ids(List<Tag> tags) {
        return tags.stream().map(Tag::id).collect(Collectors.toSet());
    }

    @Test
    void nightShopperWhoPrefersSkinCareAndBuysCheap() {
        List<BehaviorEvent> es = new java.util.ArrayList<>();
        for (int d = 0; d < 20; d++) {
            es.add(BehaviorEvent.of("u", "s" + (d % 3), EventType.VIEW, T0 + d * DAY + 23 * 3_600_000L));
            es.add(BehaviorEvent.of("u", "s0", EventType.PURCHASE, T0 + d * DAY + 2 * 3_600_000L));
        }
        AggregateSnapshot s = run(es, T0 + 21 * DAY);
        ProfileTagger t = new ProfileTagger(TagThresholds.defaults(50, 100));
        List<Tag> tags = t.tags(s);
        Set<String> id = ids(tags);
        assertTrue(id.containsAll(Set.of("category-preference", "night-shopper", "price-sensitive", "high-value")), tags.toString());
        Tag pref = tags.stream().filter(x -> x.id().equals("category-preference")).findFirst().orElseThrow();
        assertEquals("prefers Beauty > Skin care", pref.text());
        assertEquals("1.000", pref.evidence().get("share"));
        Tag night = tags.stream().filter(x -> x.id().equals("night-shopper")).findFirst().orElseThrow();
        assertEquals("1.000", night.evidence().get("nightShare"));
        assertFalse(id.contains("at-risk-of-churn"));
    }

    @Test
    void churnWindowShopperAndPremium() {
        List<BehaviorEvent> es = new java.util.ArrayList<>();
        for (int k = 0; k < 12; k++) {
            es.add(BehaviorEvent.of("u", "h9", EventType.VIEW, T0 + k * 3_600_000L * 13));
        }
        AggregateSnapshot s = run(es, T0 + 90 * DAY);
        List<Tag> tags = new ProfileTagger(TagThresholds.defaults(0, 0)).tags(s);
        Set<String> id = ids(tags);
        assertTrue(id.containsAll(Set.of("at-risk-of-churn", "window-shopper", "premium-buyer")), tags.toString());
        assertFalse(id.contains("price-sensitive"));
        for (Tag tag : tags) {
            assertTrue(tag.weight() >= 0 && tag.weight() <= 1);
            assertFalse(tag.evidence().isEmpty(), tag.id());
        }
        assertTrue(new ProfileTagger(TagThresholds.defaults(0, 0)).tags(run(es.subList(0, 2), T0)).isEmpty(), "too few events");
    }

    @Test
    void fittedThresholdsArePopulationPercentiles() {
        List<AggregateSnapshot> pop = new java.util.ArrayList<>();
        for (int u = 1; u <= 10; u++) {
            List<BehaviorEvent> es = new java.util.ArrayList<>();
            for (int k = 0; k < u; k++) {
                es.add(BehaviorEvent.builder("u", "s0", EventType.PURCHASE, T0 + k * DAY).price(10).build());
            }
            pop.add(run(es, T0 + 20 * DAY));
        }
        ProfileTagger t = ProfileTagger.fit(pop);
        assertEquals(90, t.thresholds().highValueMonetary(), 1e-9);
    }
}
