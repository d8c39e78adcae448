package org.persona4j.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.ReasonKind;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.core.UserProfile;

/**
 * Hand-checked behaviour of individual recommenders and indexes. (The search re-ranker is
 * {@code org.persona4j.engine.ProfileReranker}, tested in lib-models/engine.)
 */
class RecommendBehaviourTest {
    private static BehaviorEvent ev(String u, String i, EventType t, long ts) {
        return BehaviorEvent.of(u, i, t, ts);
    }

    @Test
    void topKOrdersByScoreThenIndex() {
        float[] s = {1, 5, 3, 5, Float.NEGATIVE_INFINITY, 2};
        assertArrayEquals(new int[] {1, 3, 2}, TopK.select(s, 3, i -> true));
        assertArrayEquals(new int[] {3, 2, 5, 0}, TopK.select(s, 10, i -> i != 1));
    }

    @Test
    void itemKnnCosineByHand() {
        // users: {a,b}, {a,b}, {a,c}: n(a)=3, n(b)=2, n(c)=1; c(a,b)=2 -> 2/sqrt(6); c(a,c)=1 -> 1/sqrt(3)
        List<BehaviorEvent> e = List.of(ev("1", "a", EventType.VIEW, 1), ev("1", "b", EventType.VIEW, 2),
                ev("2", "a", EventType.VIEW, 1), ev("2", "b", EventType.VIEW, 2), ev("3", "a", EventType.VIEW, 1),
                ev("3", "c", EventType.VIEW, 2));
        ItemKnnRecommender knn = ItemKnnRecommender.fit(e, null, new ItemKnnRecommender.Config(10, 0, 1, 0, 10), 1);
        Map<String, Float> n = knn.neighbours("a");
        assertEquals(2 / Math.sqrt(6), n.get("b"), 1e-6);
        assertEquals(1 / Math.sqrt(3), n.get("c"), 1e-6);
        List<Recommendation> r = knn.recommend(RecommendationRequest.builder(2).history(List.of(ev("x", "a", EventType.VIEW, 9))).build());
        assertEquals("b", r.get(0).itemId());
        assertEquals(ReasonKind.SIMILAR_TO_HISTORY, r.get(0).reasons().get(0).kind());
        assertEquals("a", r.get(0).reasons().get(0).evidence().get("item"));
    }

    @Test
    void crossSellSupportConfidenceLift() {
        // 4 baskets: {a,b}, {a,b}, {a,c}, {d}
        List<BehaviorEvent> e = new ArrayList<>();
        String[][] baskets = {{"a", "b"}, {"a", "b"}, {"a", "c"}, {"d"}};
        for (int b = 0; b < baskets.length; b++) {
            for (String i : baskets[b]) {
                e.add(BehaviorEvent.builder("u" + b, i, EventType.PURCHASE, 1000L * b).session("s" + b).build());
            }
        }
        CrossSellRecommender cs = CrossSellRecommender.fit(e, null, new CrossSellRecommender.Config(1, 0, 10));
        CrossSellRecommender.Rule ab = cs.rules("a").get(0);
        assertEquals("b", ab.consequent());
        assertEquals(0.5, ab.support(), 1e-6);
        assertEquals(2 / 3.0, ab.confidence(), 1e-6);
        assertEquals((2 / 3.0) / 0.5, ab.lift(), 1e-5);
        List<Recommendation> r = cs.recommend(RecommendationRequest.builder(3).cart(List.of("a")).build());
        assertEquals("b", r.get(0).itemId());
        assertEquals(ReasonKind.BOUGHT_TOGETHER, r.get(0).reasons().get(0).kind());
        assertTrue(r.get(0).reasons().get(0).text().contains("in your cart"), r.get(0).reasons().get(0).text());
        assertEquals(2, r.size(), "only items reached by a rule");
    }

    @Test
    void hnswRecallAgainstExact() {
        long seed = 11;
        System.out.println("hnswRecallAgainstExact seed " + seed);
        Random r = new Random(seed);
        int n = 3000;
        int dim = 16;
        float[] m = new float[n * dim];
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) r.nextGaussian();
        }
        ExactVectorIndex exact = new ExactVectorIndex(m, dim);
        double recall = 0;
        try (HnswVectorIndex h = new HnswVectorIndex(m, dim, HnswVectorIndex.Params.defaults(), null)) {
            for (int q = 0; q < 20; q++) {
                float[] v = new float[dim];
                for (int d = 0; d < dim; d++) {
                    v[d] = (float) r.nextGaussian();
                }
                Set<Integer> truth = new HashSet<>();
                for (int i : exact.topK(v, 10)) {
                    truth.add(i);
                }
                int[] a = h.search(v, 10);
                assertEquals(10, a.length);
                for (int i : a) {
                    recall += truth.contains(i) ? 1 : 0;
                }
            }
        }
        recall /= 200;
        assertTrue(recall > 0.8, "recall@10 " + recall);
        // batched exact equals single-query exact
        float[][] qs = new float[5][dim];
        for (float[] q : qs) {
            for (int d = 0; d < dim; d++) {
                q[d] = (float) r.nextGaussian();
            }
        }
        int[][] batched = exact.topK(qs, 7, 2);
        for (int q = 0; q < qs.length; q++) {
            assertArrayEquals(exact.topK(qs[q], 7), batched[q]);
        }
    }

    @Test
    void contentMatchesProfileInterestsAndRanksNewItems() {
        InMemoryCatalog cat = new InMemoryCatalog();
        cat.put(new Item("old", List.of("Hair"), null, 1, null, null, Map.of()));
        cat.put(new Item("new", List.of("Skin"), "glow", 1, null, null, Map.of()));
        ContentBasedRecommender c = ContentBasedRecommender.fit(List.of(ev("u", "old", EventType.VIEW, 1)), cat);
        UserProfile prof = new UserProfile("u", null, Map.of("brand:glow", 0.9), null, null, null, null, 0, null, null);
        List<Recommendation> r = c.recommend(RecommendationRequest.builder(1).profile(prof).build());
        assertEquals("new", r.get(0).itemId());
        assertEquals("matches your interest in glow", r.get(0).reasons().get(0).text());
    }
}
