package org.persona4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.Tag;
import org.persona4j.features.aggregate.Affinity;
import org.persona4j.features.aggregate.AggregateConfig;
import org.persona4j.features.aggregate.AggregateSnapshot;
import org.persona4j.features.aggregate.ItemResolver;
import org.persona4j.features.aggregate.PriceQuantiles;
import org.persona4j.features.aggregate.UserAggregates;
import org.persona4j.features.tags.ProfileTagger;
import org.persona4j.synth.SyntheticShop;

/** Spark's per-user features equal lib-features' single-JVM values on the same generated shop. */
class SparkFeaturesTest {
    @Test
    void aggregatesAndTagsEqualTheSingleJvmValues() {
        SyntheticShop shop = TestShop.get();
        Dataset<Row> events = TestShop.events();
        SparkFeatures f = SparkFeatures.builder(shop.catalog()).build();
        List<Row> rows = f.aggregates(events).collectAsList();

        // the single-JVM reference: lib-features directly
        Map<String, List<BehaviorEvent>> histories = TestShop.histories(shop.events());
        long asOf = shop.events().stream().mapToLong(BehaviorEvent::timestampMillis).max().orElseThrow();
        ItemResolver resolver = new ItemResolver(shop.catalog(), PriceQuantiles.fit(shop.catalog()));
        Map<String, AggregateSnapshot> expected = new HashMap<>();
        histories.forEach((u, h) -> {
            UserAggregates a = new UserAggregates(u, AggregateConfig.defaults());
            h.forEach(e -> a.update(e, resolver));
            expected.put(u, a.snapshot(asOf, resolver));
        });
        ProfileTagger tagger = ProfileTagger.fit(expected.values());

        assertTrue(expected.size() >= 200, "a few hundred users: " + expected.size());
        assertEquals(expected.size(), rows.size(), "one row per user");
        // the same fitted tag thresholds: every user's tags (high-value, highly-active) below depend on them
        int tagged = 0;
        for (Row r : rows) {
            String u = r.getString(0);
            AggregateSnapshot s = expected.get(u);
            assertEquals(asOf, r.getLong(r.fieldIndex("as_of")));
            assertEquals(s.eventCount(), r.getLong(r.fieldIndex("event_count")), u);
            assertEquals(s.lastMillis(), r.getLong(r.fieldIndex("last_event")), u);
            assertEquals(s.lastPurchaseMillis(), r.getLong(r.fieldIndex("last_purchase")), u);
            assertEquals(s.recencyDays(), r.getDouble(r.fieldIndex("recency_days")), u);
            assertEquals(s.purchaseRecencyDays(), r.getDouble(r.fieldIndex("purchase_recency_days")), u);
            assertEquals(s.frequency(), r.getLong(r.fieldIndex("frequency")), u);
            assertEquals(s.monetary(), r.getDouble(r.fieldIndex("monetary")), u);
            assertEquals(s.eventsPerDay(), r.getDouble(r.fieldIndex("events_per_day")), u);
            assertEquals(s.priceSensitivity(), r.getDouble(r.fieldIndex("price_sensitivity")), u);
            assertEquals(s.nightShare(), r.getDouble(r.fieldIndex("night_share")), u);
            assertEquals(s.peakHour(), r.getInt(r.fieldIndex("peak_hour")), u);
            Map<String, Long> types = r.getJavaMap(r.fieldIndex("type_counts"));
            for (EventType t : EventType.values()) {
                assertEquals(s.count(t), types.get(t.name()), u + " " + t);
            }
            assertAffinities(s.topCategories(), r.getList(r.fieldIndex("top_categories")), u);
            assertAffinities(s.leafCategories(), r.getList(r.fieldIndex("leaf_categories")), u);
            assertAffinities(s.brands(), r.getList(r.fieldIndex("brands")), u);
            List<Tag> want = tagger.tags(s);
            List<Row> got = r.getList(r.fieldIndex("tags"));
            assertEquals(want.size(), got.size(), u + " tags");
            for (int i = 0; i < want.size(); i++) {
                Row g = got.get(i);
                assertEquals(want.get(i).id(), g.getString(0), u);
                assertEquals(want.get(i).text(), g.getString(1), u);
                assertEquals(want.get(i).weight(), g.getDouble(2), u);
                assertEquals(want.get(i).evidence(), g.getJavaMap(3), u);
            }
            tagged += want.isEmpty() ? 0 : 1;
        }
        assertTrue(tagged > 0, "some users carry tags");
    }

    private static void assertAffinities(List<Affinity> want, List<Row> got, String user) {
        assertEquals(want.size(), got.size(), user);
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i).name(), got.get(i).getString(0), user);
            assertEquals(want.get(i).weight(), got.get(i).getDouble(1), user);
            assertEquals(want.get(i).share(), got.get(i).getDouble(2), user);
        }
    }

    @Test
    void sequencesAreSortedHistories() {
        SyntheticShop shop = TestShop.get();
        Map<String, List<BehaviorEvent>> histories = TestShop.histories(shop.events());
        List<Row> seqs = SparkFeatures.sequences(TestShop.events()).collectAsList();
        assertEquals(histories.size(), seqs.size());
        for (Row r : seqs) {
            List<BehaviorEvent> h = SparkFeatures.history(r);
            assertEquals(histories.get(r.getString(0)), new ArrayList<>(h), r.getString(0));
        }
        long[] firsts = seqs.stream().mapToLong(r -> SparkFeatures.history(r).get(0).timestampMillis()).toArray();
        assertArrayEquals(firsts, seqs.stream().mapToLong(r -> histories.get(r.getString(0)).get(0).timestampMillis()).toArray());
    }
}
