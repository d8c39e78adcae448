package org.persona4j.features.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.ModelFormatException;

class AggregateBytesTest {
    @Test
    void roundTripsThroughBytesIntoAFreshResolverAndKeepsUpdatingTheSame() {
        InMemoryCatalog cat = new InMemoryCatalog();
        for (int i = 0; i < 60; i++) {
            cat.put(new Item("i" + i, List.of("C" + (i % 11), "S" + (i % 13)), "B" + (i % 17), 1 + i, null, null, Map.of()));
        }
        AggregateConfig cfg = AggregateConfig.defaults();
        ItemResolver r1 = new ItemResolver(cat, PriceQuantiles.fit(cat));
        long seed = 20261122L;
        SplittableRandom rnd = new SplittableRandom(seed);
        UserAggregates a = new UserAggregates("u", cfg);
        UserAggregates ref = new UserAggregates("u", cfg);
        ItemResolver rRef = new ItemResolver(cat, PriceQuantiles.fit(cat));
        EventType[] types = EventType.values();
        long t = 1_767_571_200_000L;
        for (int i = 0; i < 400; i++) {
            t += rnd.nextInt(3_600_000);
            EventType type = types[1 + rnd.nextInt(types.length - 1)];
            BehaviorEvent e = BehaviorEvent.builder("u", "i" + rnd.nextInt(70), type, t).price(rnd.nextInt(50)).build();
            a.update(e, r1);
            ref.update(e, rRef);
            if (i == 200) {
                // a "restart": the aggregates come back from bytes into a resolver that interned nothing yet
                ItemResolver r2 = new ItemResolver(cat, PriceQuantiles.fit(cat));
                r2.topCategories().assign("unrelated-first");
                a = UserAggregates.fromBytes("u", cfg, r2, a.toBytes(r1));
                r1 = r2;
            }
        }
        AggregateSnapshot x = a.snapshot(t, r1);
        AggregateSnapshot y = ref.snapshot(t, rRef);
        assertEquals(y.eventCount(), x.eventCount());
        assertArrayEquals(y.typeCounts(), x.typeCounts());
        assertEquals(y.monetary(), x.monetary(), 1e-9);
        assertEquals(y.topCategories(), x.topCategories(), "seed " + seed);
        assertEquals(y.brands(), x.brands());
        assertArrayEquals(y.hourCounts(), x.hourCounts());
        assertArrayEquals(y.priceBandCounts(), x.priceBandCounts());
    }

    @Test
    void refusesTruncatedForeignAndMismatchedBytes() {
        InMemoryCatalog cat = new InMemoryCatalog();
        cat.put(new Item("i1", List.of("C"), "B", 5, null, null, Map.of()));
        ItemResolver r = new ItemResolver(cat, PriceQuantiles.fit(cat));
        UserAggregates a = new UserAggregates("u", AggregateConfig.defaults());
        a.update(BehaviorEvent.of("u", "i1", EventType.PURCHASE, 1000), r);
        byte[] b = a.toBytes(r);
        for (int cut = 0; cut < b.length; cut += 7) {
            byte[] t = Arrays.copyOf(b, cut);
            assertThrows(ModelFormatException.class, () -> UserAggregates.fromBytes("u", AggregateConfig.defaults(), r, t));
        }
        assertThrows(ModelFormatException.class,
                () -> UserAggregates.fromBytes("u", AggregateConfig.defaults().withSlots(4, 4, 4), r, b));
        byte[] v = b.clone();
        v[4] = 7;
        assertThrows(ModelFormatException.class, () -> UserAggregates.fromBytes("u", AggregateConfig.defaults(), r, v));
    }
}
