package org.persona4j.features.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.testkit.TestSeeds;

/**
 * Property: the incremental aggregates equal a direct batch recomputation over the same events,
 * whatever the arrival order; with more distinct keys than slots the Space-Saving guarantees hold.
 */
class AggregatesPropertyTest {
    private static final long DAY = 86_400_000L;

    private static InMemoryCatalog catalog(Random r, int cats, int items) {
        InMemoryCatalog c = new InMemoryCatalog();
        for (int i = 0; i < items; i++) {
            String top = "C" + r.nextInt(cats);
            List<String> path = r.nextInt(10) == 0 ? List.of() : List.of(top, top + "-sub" + r.nextInt(3));
            String brand = r.nextInt(4) == 0 ? null : "B" + r.nextInt(cats);
            double price = r.nextInt(5) == 0 ? Double.NaN : Math.round(r.nextDouble() * 10000) / 100.0;
            c.put(new Item("i" + i, path, brand, price, null, null, Map.of()));
        }
        return c;
    }

    private static List<BehaviorEvent> stream(Random r, int n, int items, long t0) {
        List<BehaviorEvent> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            EventType type = EventType.ofOrdinal(r.nextInt(EventType.count()));
            String item = r.nextInt(15) == 0 ? "unknown" + k : "i" + r.nextInt(items);
            if (type == EventType.SEARCH && r.nextBoolean()) {
                item = null;
            }
            // random order, spanning up to 400 days so the landmark is renormalised
            long ts = t0 + (long) (r.nextDouble() * 400 * DAY);
            BehaviorEvent.Builder b = BehaviorEvent.builder("u", item, type, ts);
            if (r.nextInt(3) == 0) {
                b.price(Math.round(r.nextDouble() * 5000) / 100.0);
            }
            if (r.nextInt(3) == 0) {
                b.quantity(1 + r.nextInt(3));
            }
            if (r.nextInt(3) == 0) {
                b.dwellMillis(r.nextInt(3_000_000));
            }
            out.add(b.build());
        }
        return out;
    }

    /** Independent straightforward recomputation. */
    private static final class Batch {
        long events;
        long[] types = new long[EventType.count()];
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long lastBuy = -1;
        double monetary;
        long units;
        long unknown;
        long missing;
        double activity;
        Map<String, Double> top = new HashMap<>();
        Map<String, Double> leaf = new HashMap<>();
        Map<String, Double> brand = new HashMap<>();
        int[] hours = new int[24];
        int[] days = new int[7];
        long[] bands;
        double pctAll;
        long nAll;
        double pctBuy;
        long nBuy;
        double dwell;
        long nDwell;

        Batch(List<BehaviorEvent> es, InMemoryCatalog cat, PriceQuantiles pq, AggregateConfig cfg, long asOf) {
            bands = new long[cfg.priceBands()];
            double tau = cfg.halfLifeDays() * DAY / Math.log(2);
            for (BehaviorEvent e : es) {
                events++;
                types[e.type().ordinal()]++;
                first = Math.min(first, e.timestampMillis());
                last = Math.max(last, e.timestampMillis());
                double decay = Math.exp(-(asOf - e.timestampMillis()) / tau);
                activity += decay;
                OffsetDateTime odt = Instant.ofEpochMilli(e.timestampMillis()).atOffset(ZoneOffset.ofTotalSeconds(cfg.zoneOffsetSeconds()));
                hours[odt.getHour()]++;
                days[odt.getDayOfWeek().getValue() - 1]++;
                Item it = e.itemId() == null ? null : cat.item(e.itemId()).orElse(null);
                if (it == null && e.itemId() != null) {
                    unknown++;
                }
                double price = e.priceOrNaN();
                double pct = Double.NaN;
                if (it != null) {
                    double w = cfg.weight(e.type()) * decay;
                    if (w > 0) {
                        if (it.topCategory() != null) {
                            top.merge(it.topCategory(), w, Double::sum);
                            leaf.merge(it.categoryLabel(), w, Double::sum);
                        }
                        if (it.brand() != null) {
                            brand.merge(it.brand(), w, Double::sum);
                        }
                    }
                    if (Double.isNaN(price)) {
                        price = it.price();
                    }
                    pct = PriceQuantiles.percentile(pq.breakpoints(it.topCategory()), price);
                }
                if (!Double.isNaN(pct) && e.type() != EventType.SEARCH && e.type() != EventType.REMOVE_FROM_CART) {
                    pctAll += pct;
                    nAll++;
                    bands[Math.min(bands.length - 1, (int) (pct * bands.length))]++;
                    if (e.type() == EventType.PURCHASE) {
                        pctBuy += pct;
                        nBuy++;
                    }
                }
                if (e.type() == EventType.PURCHASE) {
                    lastBuy = Math.max(lastBuy, e.timestampMillis());
                    units += e.quantityOrOne();
                    if (Double.isNaN(price)) {
                        missing++;
                    } else {
                        monetary += price * e.quantityOrOne();
                    }
                }
                if (e.dwellMillisOrMinus1() >= 0) {
                    dwell += Math.min(e.dwellMillisOrMinus1(), 30 * 60_000L);
                    nDwell++;
                }
            }
        }
    }

    private static void close(double expected, double actual, String what) {
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), what + ": expected NaN, was " + actual);
            return;
        }
        double tol = 1e-9 * Math.max(1, Math.abs(expected));
        assertEquals(expected, actual, tol, what);
    }

    private static double total(Map<String, Double> m) {
        return m.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static void sameAffinity(Map<String, Double> expected, List<Affinity> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + " size");
        double tot = total(expected);
        for (Affinity a : actual) {
            close(expected.get(a.name()), a.weight(), what + " weight of " + a.name());
            close(expected.get(a.name()) / tot, a.share(), what + " share of " + a.name());
        }
    }

    @Test
    void incrementalEqualsBatchWithinSlotCapacity() {
        long seed = TestSeeds.seed("AggregatesPropertyTest.incrementalEqualsBatchWithinSlotCapacity", System.nanoTime());
        Random r = new Random(seed);
        for (int trial = 0; trial < 150; trial++) {
            int slots = 8;
            // at most 8 top categories, brands and (with 3 subcategories) limit leaves to <= 8 via cats <= 2
            int cats = 1 + r.nextInt(2);
            InMemoryCatalog cat = catalog(r, cats, 5 + r.nextInt(40));
            PriceQuantiles pq = PriceQuantiles.fit(cat);
            AggregateConfig cfg = AggregateConfig.defaults().withHalfLifeDays(1 + r.nextInt(60))
                    .withZoneOffsetSeconds((r.nextInt(25) - 12) * 3600).withSlots(slots, slots, slots);
            ItemResolver res = new ItemResolver(cat, pq);
            long t0 = (long) (r.nextDouble() * 1.7e12);
            List<BehaviorEvent> es = stream(r, r.nextInt(300), 45, t0);
            UserAggregates ua = new UserAggregates("u", cfg);
            es.forEach(e -> ua.update(e, res));
            long asOf = t0 + 401 * DAY;
            AggregateSnapshot s = ua.snapshot(asOf, res);
            Batch b = new Batch(es, cat, pq, cfg, asOf);
            String ctx = "seed " + seed + " trial " + trial + ": ";
            assertEquals(b.events, s.eventCount(), ctx + "events");
            for (EventType t : EventType.values()) {
                assertEquals(b.types[t.ordinal()], s.count(t), ctx + t);
            }
            if (b.events > 0) {
                assertEquals(b.first, s.firstMillis(), ctx + "first");
                assertEquals(b.last, s.lastMillis(), ctx + "last");
            }
            assertEquals(b.lastBuy, s.lastPurchaseMillis(), ctx + "last purchase");
            close(b.monetary, s.monetary(), ctx + "monetary");
            assertEquals(b.units, s.purchaseUnits(), ctx + "units");
            assertEquals(b.unknown, s.unknownItems(), ctx + "unknown items");
            assertEquals(b.missing, s.missingPrices(), ctx + "missing prices");
            close(b.activity, s.decayedActivity(), ctx + "activity");
            sameAffinity(b.top, s.topCategories(), ctx + "top");
            sameAffinity(b.leaf, s.leafCategories(), ctx + "leaf");
            sameAffinity(b.brand, s.brands(), ctx + "brand");
            assertEquals(java.util.Arrays.toString(b.hours), java.util.Arrays.toString(s.hourCounts()), ctx + "hours");
            assertEquals(java.util.Arrays.toString(b.days), java.util.Arrays.toString(s.dayCounts()), ctx + "days");
            assertEquals(java.util.Arrays.toString(b.bands), java.util.Arrays.toString(s.priceBandCounts()), ctx + "bands");
            close(b.nAll == 0 ? Double.NaN : b.pctAll / b.nAll, s.meanPricePercentile(), ctx + "pct");
            close(b.nBuy == 0 ? Double.NaN : b.pctBuy / b.nBuy, s.meanPurchasePercentile(), ctx + "pct buy");
            close(b.nDwell == 0 ? Double.NaN : b.dwell / b.nDwell / 1000, s.meanDwellSeconds(), ctx + "dwell");
        }
    }

    @Test
    void spaceSavingGuaranteesBeyondSlotCapacity() {
        long seed = TestSeeds.seed("AggregatesPropertyTest.spaceSavingGuaranteesBeyondSlotCapacity", System.nanoTime());
        Random r = new Random(seed);
        for (int trial = 0; trial < 100; trial++) {
            int slots = 2 + r.nextInt(6);
            InMemoryCatalog cat = catalog(r, 5 + r.nextInt(30), 200);
            PriceQuantiles pq = PriceQuantiles.fit(cat);
            AggregateConfig cfg = AggregateConfig.defaults().withSlots(slots, slots, slots);
            ItemResolver res = new ItemResolver(cat, pq);
            long t0 = 1_600_000_000_000L;
            List<BehaviorEvent> es = stream(r, 50 + r.nextInt(400), 200, t0);
            UserAggregates ua = new UserAggregates("u", cfg);
            es.forEach(e -> ua.update(e, res));
            long asOf = t0 + 401 * DAY;
            AggregateSnapshot s = ua.snapshot(asOf, res);
            Batch b = new Batch(es, cat, pq, cfg, asOf);
            String ctx = "seed " + seed + " trial " + trial + ": ";
            double tot = total(b.top);
            assertTrue(s.topCategories().size() <= slots, ctx + "bounded slots");
            double minKept = s.topCategories().isEmpty() ? 0 : s.topCategories().get(s.topCategories().size() - 1).weight();
            Map<String, Double> est = new HashMap<>();
            s.topCategories().forEach(a -> est.put(a.name(), a.weight()));
            for (Map.Entry<String, Double> e : b.top.entrySet()) {
                double truth = e.getValue();
                if (truth > tot / slots * (1 + 1e-9)) {
                    assertTrue(est.containsKey(e.getKey()), ctx + "heavy category " + e.getKey() + " kept");
                }
                if (est.containsKey(e.getKey())) {
                    double v = est.get(e.getKey());
                    assertTrue(v >= truth * (1 - 1e-9), ctx + "never underestimates " + e.getKey());
                    assertTrue(v - truth <= minKept * (1 + 1e-9) + 1e-12, ctx + "overestimate bounded " + e.getKey());
                }
            }
        }
    }
}
