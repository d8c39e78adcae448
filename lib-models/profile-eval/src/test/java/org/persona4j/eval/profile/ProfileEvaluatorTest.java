package org.persona4j.eval.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.EventType;
import org.persona4j.core.Item;
import org.persona4j.core.ProfileModel;
import org.persona4j.core.UserProfile;
import org.persona4j.core.UserState;
import org.persona4j.synth.ShopConfig;
import org.persona4j.synth.ShopGenerator;
import org.persona4j.synth.SyntheticShop;

/** End to end on a small generated shop: the split, the three scorers, the report. */
class ProfileEvaluatorTest {
    static final long SEED = 42;
    static SyntheticShop shop;

    @BeforeAll
    static void generate() {
        System.out.println("ProfileEvaluatorTest seed " + SEED);
        shop = new ShopGenerator(ShopConfig.builder().users(500).items(400).days(50).seed(SEED).build()).generate();
    }

    @Test
    void baselinesBeatChanceOnTheGeneratedShop() {
        ProfileEvalReport r = new ProfileEvaluator(ProfileEvalConfig.defaults())
                .evaluate("shop", shop.events(), shop.catalog(), new ShareModel(shop.catalog()), "share model");
        System.out.println(r.toTable());
        assertEquals(List.of("share model", "historical rate", "logistic regression", "random forest", "popular categories"),
                r.rows().stream().map(ScorerResult::scorer).toList());
        assertTrue(r.cases() > 300, "cases " + r.cases());
        assertTrue(r.purchasers() > 0 && r.purchasers() < r.cases(), "purchasers " + r.purchasers());
        ScorerResult logistic = r.rows().get(2);
        assertTrue(logistic.purchase().rocAuc() > 0.6, "logistic purchase AUC " + logistic.purchase().rocAuc());
        assertTrue(logistic.purchase().prAuc() > logistic.purchase().baseRate(), "logistic PR-AUC above the base rate");
        assertNull(logistic.category());
        ScorerResult hist = r.rows().get(1);
        assertTrue(hist.purchase().rocAuc() > 0.55, "historical purchase AUC " + hist.purchase().rocAuc());
        assertTrue(hist.category().hitRate() > 0.2, "historical category HR@3 " + hist.category().hitRate());
        // the popularity reference: the same ranking for everyone, categories only
        ScorerResult forest = r.rows().get(3);
        assertTrue(forest.purchase().rocAuc() > 0.6, "forest purchase AUC " + forest.purchase().rocAuc());
        assertNull(forest.category());
        ScorerResult pop = r.rows().get(4);
        assertNull(pop.purchase());
        assertNull(pop.churn());
        assertTrue(pop.category().hitRate() > 0 && pop.category().hitRate() < 1, "popular HR@3 " + pop.category().hitRate());
        // the stand-in model gives no churn: n/a with a note, the other columns measured
        ScorerResult deep = r.rows().get(0);
        assertNotNull(deep.purchase());
        assertNull(deep.churn());
        assertTrue(deep.note().contains("churn"), deep.note());
        assertTrue(r.toTable().contains("n/a"));
        assertTrue(r.toHtml().contains("<svg") && r.toHtml().contains("Reliability: purchase"));
    }

    @Test
    void sameSeedSameReport() throws Exception {
        ProfileEvaluator ev = new ProfileEvaluator(ProfileEvalConfig.defaults().withSeed(7));
        String a = ev.evaluate("shop", shop.events(), shop.catalog(), null, null).toJson();
        String b = ev.evaluate("shop", shop.events(), shop.catalog(), null, null).toJson();
        assertEquals(a, b);
        JsonNode root = new ObjectMapper().readTree(a);
        assertEquals(4, root.get("scorers").size());
        assertEquals(10, root.get("scorers").get(1).get("purchase").get("reliability").size());
    }

    @Test
    void leaveLastOutMeasuresCategoriesOnly() {
        ProfileEvalReport r = new ProfileEvaluator(ProfileEvalConfig.defaults()
                .withProtocol(ProfileEvalConfig.Protocol.LEAVE_LAST_OUT).withLevel(CategoryLevel.TOP))
                .evaluate("shop", shop.events(), shop.catalog(), null, null);
        assertEquals("leave-last-out", r.protocol());
        ScorerResult hist = r.rows().get(0);
        assertNull(hist.purchase());
        assertNull(hist.churn());
        assertTrue(hist.category().hitRate() > 0.3, "top-category HR@3 " + hist.category().hitRate());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("leave-last-out")));
    }

    /** A stand-in profile model: purchase = share of purchases in the history, interests = category shares. */
    static final class ShareModel implements ProfileModel {
        private final Catalog catalog;

        ShareModel(Catalog catalog) {
            this.catalog = catalog;
        }

        @Override
        public UserProfile profile(String userId, List<BehaviorEvent> history) {
            Map<String, Double> interests = new LinkedHashMap<>();
            long buys = 0;
            for (BehaviorEvent e : history) {
                buys += e.type() == EventType.PURCHASE ? 1 : 0;
                Optional<Item> it = e.itemId() == null ? Optional.empty() : catalog.item(e.itemId());
                if (it.isPresent() && it.get().leafCategory() != null) {
                    interests.merge(it.get().leafCategory(), 1.0 / history.size(), Double::sum);
                }
            }
            double p = Math.min(1, 10.0 * buys / Math.max(1, history.size()));
            return new UserProfile(userId, new float[0], interests, Map.of("purchase", p), Map.of(), List.of(), Map.of(),
                    history.size(), Instant.EPOCH, "share");
        }

        @Override
        public String version() {
            return "share";
        }

        @Override
        public int embeddingSize() {
            return 0;
        }

        @Override
        public UserState newState(String userId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public UserState update(UserState state, BehaviorEvent event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public UserProfile profile(UserState state) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<float[]> itemEmbedding(String itemId) {
            return Optional.empty();
        }

        @Override
        public void close() {
        }
    }
}
