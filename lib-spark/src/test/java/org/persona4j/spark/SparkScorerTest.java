package org.persona4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.ProgressListener;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.segment.score.ProfileScorer;
import org.persona4j.segment.score.ScoredUser;
import org.persona4j.synth.SyntheticShop;

/**
 * Spark's batch scoring equals the single-JVM {@link ProfileScorer} on the same events, round-trips
 * through Parquet, and incremental re-scoring touches only the users with new events.
 */
class SparkScorerTest {
    static final Path MODEL = Path.of("src/test/resources/golden/profile-model-v2.zip");
    private static DeepProfileModel model;

    @BeforeAll
    static void load() throws Exception {
        model = DeepProfileModel.load(MODEL);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void rowsEqualTheSingleJvmScorerAndRoundTripThroughParquet(@TempDir Path dir) {
        SyntheticShop shop = TestShop.get();
        SparkScorer.Fitted scorer = SparkScorer.builder(MODEL, shop.catalog()).recommendations(5).build().fit(TestShop.events());
        Dataset<Row> scores = scorer.score(TestShop.events());
        String out = dir.resolve("scores").toString();
        scorer.write(scores, out);
        List<Row> rows = LocalSpark.get().read().parquet(out).collectAsList();

        Map<String, List<BehaviorEvent>> histories = TestShop.histories(shop.events());
        List<BehaviorEvent> ordered = new ArrayList<>();
        histories.values().forEach(ordered::addAll);
        ProfileScorer single = ProfileScorer.builder(model).topInterests(5).segmentsRfm()
                .fit(ordered, shop.catalog(), ProgressListener.NONE);
        assertEquals(single.asOfMillis(), scorer.asOfMillis());
        assertEquals(histories.size(), rows.size(), "one row per user");

        int withRecs = 0;
        Set<String> groups = new HashSet<>();
        for (Row r : rows) {
            String u = r.getString(r.fieldIndex("user_id"));
            ScoredUser want = single.score(u, histories.get(u));
            assertEquals(want.eventCount(), r.getLong(r.fieldIndex("event_count")), u);
            assertEquals(want.lastEventMillis(), r.getLong(r.fieldIndex("last_event")), u);
            assertArrayEquals(want.embedding(), SparkScorer.vector(r, "embedding"), 1e-6f, u);
            assertArrayEquals(want.longTermEmbedding(), SparkScorer.vector(r, "long_term_embedding"), 1e-6f, u);
            Map<String, Double> prop = r.getJavaMap(r.fieldIndex("propensities"));
            assertEquals(want.propensities().keySet(), prop.keySet(), u);
            want.propensities().forEach((k, v) -> assertEquals(v, prop.get(k), 1e-9, u + " " + k));
            assertEquals(want.churnSource(), r.getString(r.fieldIndex("churn_source")), u);
            List<Row> interests = r.getList(r.fieldIndex("interests"));
            assertEquals(new ArrayList<>(want.interests().keySet()), interests.stream().map(i -> i.getString(0)).toList(), u);
            List<Row> tags = r.getList(r.fieldIndex("tags"));
            assertEquals(want.tags().stream().map(t -> t.id()).toList(), tags.stream().map(t -> t.getString(0)).toList(), u);
            assertEquals(want.segment(), r.getString(r.fieldIndex("segment")), u);
            assertEquals(want.valueGroup(), r.getString(r.fieldIndex("value_group")), u);
            assertEquals(want.sentiment(), r.getDouble(r.fieldIndex("sentiment")), 1e-9, u);
            assertEquals(want.sentimentRatings(), r.getInt(r.fieldIndex("sentiment_ratings")), u);
            assertEquals(model.version(), r.getString(r.fieldIndex("model_version")));
            groups.add(want.valueGroup());

            List<Row> recs = r.getList(r.fieldIndex("recommendations"));
            if (!recs.isEmpty()) {
                withRecs++;
                assertTopItemIsTheBestDotProduct(u, want.embedding(), histories.get(u), recs);
            }
        }
        assertTrue(withRecs > rows.size() / 2, "most users get recommendations: " + withRecs);
        assertTrue(groups.size() >= 3, "several value groups: " + groups);
    }

    /** The first recommendation is the unseen model item with the largest dot product, with a reason. */
    private static void assertTopItemIsTheBestDotProduct(String user, float[] e, List<BehaviorEvent> history, List<Row> recs) {
        Set<String> seen = new HashSet<>();
        history.forEach(x -> seen.add(x.itemId()));
        String best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (String item : model.itemIds()) {
            float[] v = model.itemEmbedding(item).orElseThrow();
            double s = 0;
            for (int i = 0; i < v.length; i++) {
                s += v[i] * e[i];
            }
            if (!seen.contains(item) && s > bestScore) {
                bestScore = s;
                best = item;
            }
        }
        Row top = recs.get(0);
        assertEquals(best, top.getString(0), user);
        assertEquals(bestScore, top.getDouble(1), 1e-4, user);
        List<Row> reasons = top.getList(2);
        assertFalse(reasons.isEmpty(), user);
        assertEquals("PROFILE_MATCH", reasons.get(0).getString(0), user);
    }

    @Test
    void fittingOnWrittenFeaturesScoresAsFittingOnTheEvents() {
        SyntheticShop shop = TestShop.get();
        SparkScorer s = SparkScorer.builder(MODEL, shop.catalog()).recommendations(3).build();
        Dataset<Row> events = TestShop.events();
        // the features a job writes (tagged, default configuration and as-of time), then the fit on them
        Dataset<Row> features = SparkFeatures.builder(shop.catalog()).build().aggregates(events);
        SparkScorer.Fitted own = s.fit(events);
        SparkScorer.Fitted reused = s.fit(events, features);
        assertEquals(own.asOfMillis(), reused.asOfMillis());
        List<Row> a = own.score(events).orderBy(SparkEvents.USER_ID).collectAsList();
        List<Row> b = reused.score(events).orderBy(SparkEvents.USER_ID).collectAsList();
        assertEquals(a.size(), b.size());
        assertTrue(a.size() > 100, "users scored: " + a.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).toString(), b.get(i).toString(), "user " + a.get(i).getString(0));
        }
    }

    @Test
    void incrementalRescoringTouchesOnlyUsersWithNewEvents(@TempDir Path dir) {
        SparkSession spark = LocalSpark.get();
        SyntheticShop shop = TestShop.get();
        SparkScorer s = SparkScorer.builder(MODEL, shop.catalog()).recommendations(3).build();
        SparkScorer.Fitted first = s.fit(TestShop.events());
        String out = dir.resolve("scores").toString();
        first.write(first.score(TestShop.events()), out);
        long since = first.asOfMillis();

        List<String> changed = List.of("u1", "u7", "u42");
        List<BehaviorEvent> all = new ArrayList<>(shop.events());
        for (int i = 0; i < changed.size(); i++) {
            all.add(BehaviorEvent.of(changed.get(i), "i" + (i + 1), EventType.VIEW, since + 3_600_000L * (i + 1)));
        }
        List<Row> rows = new ArrayList<>();
        all.forEach(e -> rows.add(SparkEvents.toRow(e)));
        Dataset<Row> events = spark.createDataFrame(rows, SparkEvents.EVENT_SCHEMA);

        SparkScorer.Fitted second = s.fit(events);
        List<Row> delta = second.scoreSince(events, since).collectAsList();
        Set<String> users = new HashSet<>();
        Map<String, Long> counts = new HashMap<>();
        for (Row r : delta) {
            users.add(r.getString(0));
            counts.put(r.getString(0), r.getLong(1));
        }
        assertEquals(Set.copyOf(changed), users, "only the users with events after 'since' are re-scored");
        Map<String, List<BehaviorEvent>> h = TestShop.histories(all);
        changed.forEach(u -> assertEquals(h.get(u).size(), counts.get(u), u + " is scored on its whole history"));

        Dataset<Row> previous = spark.read().parquet(out);
        List<Row> merged = SparkScorer.merge(previous, second.scoreSince(events, since)).collectAsList();
        assertEquals(h.size(), merged.size(), "one row per user after the merge");
        for (Row r : merged) {
            String u = r.getString(r.fieldIndex("user_id"));
            assertEquals(h.get(u).size(), r.getLong(r.fieldIndex("event_count")), u);
        }
    }
}
