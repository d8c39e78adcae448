package org.persona4j.eval.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;

/** The random forest learns a planted purchase signal and is deterministic for a seed. */
class ForestScorerTest {
    /** Held so that the level set on it is not lost: the bagging trainer logs every member at INFO. */
    static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    static final long DAY = 86_400_000L;
    static final long T = 1_767_225_600_000L + 100 * DAY;

    static final InMemoryCatalog CATALOG = new InMemoryCatalog(List.of(
            new Item("a", List.of("Home", "Lamps"), null, 20, null, null, Map.of()),
            new Item("b", List.of("Home", "Chairs"), null, 80, null, null, Map.of())));

    /**
     * Half the users were active in the last week before T and buy within H = 7 days after T with
     * probability 0.85; the others were last active 40 to 60 days before T and buy with probability 0.15.
     */
    static ProfileSplit split(String prefix, int users, long seed) {
        Random r = new Random(seed);
        List<BehaviorEvent> events = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            String id = prefix + u;
            boolean recent = u % 2 == 0;
            int n = 3 + r.nextInt(8);
            for (int i = 0; i < n; i++) {
                double day = recent ? 1 + 6 * r.nextDouble() : 40 + 20 * r.nextDouble();
                events.add(BehaviorEvent.of(id, r.nextBoolean() ? "a" : "b", EventType.VIEW, T - (long) (day * DAY)));
            }
            if (r.nextDouble() < (recent ? 0.85 : 0.15)) {
                events.add(BehaviorEvent.of(id, "a", EventType.PURCHASE, T + 2 * DAY));
            }
        }
        return ProfileSplit.temporal(ProfileSplit.byUser(events), T, 7, 30, CATALOG, CategoryLevel.LEAF);
    }

    @Test
    void learnsAPlantedSignalAndIsDeterministic() {
        AggregateFeatures features = new AggregateFeatures(CATALOG, 7, 30);
        ProfileSplit train = split("train", 200, 1);
        ProfileSplit test = split("test", 200, 2);
        ForestScorer a = new ForestScorer(features, train, null, 42);
        ForestScorer b = new ForestScorer(features, train, null, 42);
        assertEquals("random forest", a.name());
        assertTrue(a.description().contains("purchase trained on 200 users"), a.description());
        int n = test.cases().size();
        double[] pa = new double[n];
        double[] pb = new double[n];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            ProfileCase c = test.cases().get(i);
            Scores s = a.score(c);
            pa[i] = s.purchase();
            pb[i] = b.score(c).purchase();
            y[i] = c.purchased();
            assertTrue(pa[i] >= 0 && pa[i] <= 1, "probability " + pa[i]);
            assertTrue(Double.isNaN(s.churn()), "churn was not fitted");
        }
        assertArrayEquals(pa, pb, "same seed, same scores");
        double auc = Metrics.rocAuc(pa, y);
        assertTrue(auc > 0.75, "forest purchase AUC on the planted signal " + auc);
        // calibrated to the planted rates: the recent users' mean score near 0.85, the others' near 0.15
        double recent = 0;
        double old = 0;
        for (int i = 0; i < n; i++) {
            if (test.cases().get(i).userId().matches("test\\d*[02468]")) {
                recent += pa[i] / (n / 2.0);
            } else {
                old += pa[i] / (n / 2.0);
            }
        }
        assertTrue(recent > 0.65 && old < 0.35, "mean scores " + recent + " / " + old);
    }

    @Test
    void notFittedWithoutATrainingSplit() {
        ForestScorer f = new ForestScorer(new AggregateFeatures(CATALOG, 7, 30), null, null, 1);
        assertEquals(Scores.NONE, f.score(split("x", 2, 3).cases().get(0)));
        assertTrue(f.note().contains("not fitted"), f.note());
    }
}
