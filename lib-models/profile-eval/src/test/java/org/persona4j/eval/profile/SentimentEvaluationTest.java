package org.persona4j.eval.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;

/** The rating-polarity block on planted item quality, user bias and category taste. */
class SentimentEvaluationTest {
    static final long DAY = 86_400_000L;
    static final long T0 = 1_767_225_600_000L;

    static InMemoryCatalog catalog() {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            items.add(new Item("i" + i, List.of("Films", i < 20 ? "Comedy" : "Drama"), null, 10, null, null, Map.of()));
        }
        return new InMemoryCatalog(items);
    }

    /**
     * rating = 3 + item quality (±0.7) + user bias (−1, 0, +1) + the user's taste (±1: likes one of
     * the two categories, dislikes the other) + noise, rounded into 1..5; 20 ratings per user.
     */
    static List<BehaviorEvent> ratings(int users, long seed) {
        Random r = new Random(seed);
        double[] quality = new double[40];
        for (int i = 0; i < 40; i++) {
            quality[i] = r.nextBoolean() ? 0.7 : -0.7;
        }
        List<BehaviorEvent> out = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            double bias = r.nextInt(3) - 1;
            double taste = r.nextBoolean() ? 1 : -1;
            for (int j = 0; j < 20; j++) {
                int i = r.nextInt(40);
                double x = 3 + quality[i] + bias + (i < 20 ? taste : -taste) + 0.5 * r.nextGaussian();
                double rating = Math.max(1, Math.min(5, Math.rint(x)));
                out.add(BehaviorEvent.builder("u" + u, "i" + i, EventType.RATE, T0 + j * DAY + u).rating(rating).build());
            }
        }
        return out;
    }

    @Test
    void polarityBeatsTheItemMeanAndTheCategoryPolarityBeatsBoth() throws Exception {
        ProfileEvalReport r = new ProfileEvaluator(ProfileEvalConfig.defaults().withProtocol(ProfileEvalConfig.Protocol.LEAVE_LAST_OUT))
                .evaluate("planted ratings", ratings(400, 7), catalog(), null, null);
        SentimentResult s = r.sentiment();
        assertNotNull(s, r.notes().toString());
        assertEquals(400, s.cases());
        assertEquals(400 * 19, s.trainingRatings());
        assertEquals(List.of("global positive rate", "item mean", "item + user polarity", "item + category polarity"),
                s.rows().stream().map(SentimentResult.Row::name).toList());
        double[] auc = s.rows().stream().mapToDouble(SentimentResult.Row::rocAuc).toArray();
        assertEquals(0.5, auc[0], 1e-12);
        assertTrue(auc[1] > 0.55, "item mean AUC " + auc[1]);
        assertTrue(auc[2] > auc[1] + 0.03, "user polarity AUC " + auc[2] + " vs item mean " + auc[1]);
        assertTrue(auc[3] > auc[2] + 0.03, "category polarity AUC " + auc[3] + " vs user polarity " + auc[2]);
        double[] brier = s.rows().stream().mapToDouble(SentimentResult.Row::brier).toArray();
        assertTrue(brier[3] < brier[0], "category polarity Brier " + brier[3] + " vs constant " + brier[0]);
        assertTrue(r.toTable().contains("sentiment: next rating >= 4"), r.toTable());
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertEquals(400, json.get("sentiment").get("cases").asInt());
        assertEquals(4, json.get("sentiment").get("scores").size());
    }

    @Test
    void temporalTargetIsTheFirstRatedEventAfterT() {
        List<BehaviorEvent> events = new ArrayList<>(ratings(300, 8)); // days 0..19
        long t = T0 + 10 * DAY + 1000;
        for (int u = 0; u < 300; u++) {
            // an unrated view right after T is skipped; the rating after it is the target
            events.add(BehaviorEvent.of("u" + u, "i0", EventType.VIEW, t + 1));
        }
        ProfileSplit split = ProfileSplit.temporal(ProfileSplit.byUser(events), t, 7, 7, catalog(), CategoryLevel.LEAF);
        SentimentResult s = SentimentEvaluation.measure(ProfileSplit.byUser(events), split, catalog(), CategoryLevel.LEAF);
        assertNotNull(s);
        assertEquals(300, s.cases());
        assertEquals(300 * 11, s.trainingRatings()); // days 0..10 are at or before T
        assertTrue(s.target().contains("after T"), s.target());
    }

    @Test
    void noRatingsIsANote() {
        List<BehaviorEvent> events = new ArrayList<>();
        for (int u = 0; u < 5; u++) {
            for (int d = 0; d < 3; d++) {
                events.add(BehaviorEvent.of("u" + u, "i" + d, EventType.VIEW, T0 + d * DAY));
            }
        }
        ProfileEvalReport r = new ProfileEvaluator(ProfileEvalConfig.defaults().withProtocol(ProfileEvalConfig.Protocol.LEAVE_LAST_OUT))
                .evaluate("views", events, catalog(), null, null);
        assertNull(r.sentiment());
        assertTrue(r.notes().contains("sentiment: n/a, no ratings"), r.notes().toString());
        assertTrue(r.toJson().contains("\"sentiment\" : null"), r.toJson());
    }
}
