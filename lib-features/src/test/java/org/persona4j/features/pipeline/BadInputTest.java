package org.persona4j.features.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.features.aggregate.AggregateConfig;
import org.persona4j.features.aggregate.AggregateStore;
import org.persona4j.features.aggregate.ItemResolver;
import org.persona4j.features.aggregate.PriceQuantiles;

/** Bad input (unknown ids, nulls, NaN prices, out-of-range timestamps) is handled per the documented policy and counted. */
class BadInputTest {
    private static final long T = 1_700_000_000_000L;

    @Test
    void extractorSkipsAndCountsBadEvents() {
        TinyShop shop = new TinyShop(3, 40, 30);
        InMemoryCatalog cat = shop.catalog;
        cat.put(new Item("no-price", List.of("Beauty"), null, Double.NaN, null, null, Map.of()));
        FittedFeaturePipeline p = new FeaturePipeline(FeaturePipelineConfig.defaults()).fit(shop.events, cat, shop.users);
        long ref = p.referenceTimeMillis();
        List<BehaviorEvent> es = new ArrayList<>(Arrays.asList(
                BehaviorEvent.of("x", "i1", EventType.VIEW, ref - 1000),
                null,
                BehaviorEvent.of("someone-else", "i1", EventType.VIEW, ref - 900),
                BehaviorEvent.of("x", "i2", EventType.VIEW, ref + 86_400_000L),
                BehaviorEvent.of("x", "never-seen-item", EventType.PURCHASE, ref - 800),
                BehaviorEvent.of("x", "no-price", EventType.PURCHASE, ref - 700)));
        float[] v = p.extract(new UserInput("x", es, null, -1));
        assertEquals(p.schema().size(), v.length);
        for (float f : v) {
            assertTrue(Float.isFinite(f));
        }
        Map<String, Long> c = p.counters();
        assertEquals(1, c.get("null events"));
        assertEquals(1, c.get("other-user events"));
        assertEquals(1, c.get("events after evaluation time"));
        assertEquals(1, c.get("unknown items"));
        assertEquals(2, c.get("purchases without price"), "unknown item and NaN catalogue price");
        assertEquals(3, c.get("events"));

        // a user with no events at all, and no attributes: a valid vector with the no-events flag
        float[] empty = p.extract(UserInput.of("nobody", null, null));
        int flag = p.schema().fields().stream().map(f -> f.name()).toList().indexOf("flag.no_events");
        assertEquals(1f, empty[flag]);

        BadInputException e = assertThrows(BadInputException.class, () -> p.extract(null));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
        assertThrows(BadInputException.class, () -> UserInput.of(null, List.of(), null));
        assertThrows(BadInputException.class, () -> new UserInput("x", List.of(), null, -5));
        assertThrows(BadInputException.class, () -> new FeaturePipeline(FeaturePipelineConfig.defaults()).fit(List.of(), cat, null));
    }

    @Test
    void storeCountsNullEventsAndUnknownItems() {
        InMemoryCatalog cat = new InMemoryCatalog();
        cat.put(new Item("a", List.of("Beauty"), "B", 10, null, null, Map.of()));
        AggregateStore s = new AggregateStore(AggregateConfig.defaults(), new ItemResolver(cat, PriceQuantiles.fit(cat)));
        assertTrue(!s.update(null));
        s.update(BehaviorEvent.of("u", "a", EventType.VIEW, T));
        s.update(BehaviorEvent.of("u", "zzz", EventType.VIEW, T + 1));
        assertEquals(1, s.rejectedEvents());
        var snap = s.snapshot("u", T + 2).orElseThrow();
        assertEquals(2, snap.eventCount());
        assertEquals(1, snap.unknownItems());
        assertEquals("Beauty", snap.favoriteTopCategory());
        assertTrue(s.snapshot("nobody", T).isEmpty());
        assertTrue(s.snapshot(null, T).isEmpty());
    }

    @Test
    void domainTypesRejectNaNAndNegativeValuesByName() {
        // the documented policy upstream: invalid values never reach the features
        BadInputException neg = assertThrows(BadInputException.class, () -> BehaviorEvent.of("u", "a", EventType.VIEW, -1));
        assertTrue(neg.getMessage().contains("timestamp"));
        BadInputException inf = assertThrows(BadInputException.class,
                () -> BehaviorEvent.builder("u", "a", EventType.PURCHASE, 1).price(Double.POSITIVE_INFINITY).build());
        assertTrue(inf.getMessage().contains("price"));
        // NaN is "absent": accepted, then counted as a purchase without price
        assertTrue(Double.isNaN(BehaviorEvent.builder("u", "a", EventType.PURCHASE, 1).price(Double.NaN).build().priceOrNaN()));
    }
}
