package org.persona4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.core.Recommender;

/**
 * The conformance suite every {@link Recommender} extends: k larger than the catalogue, unknown
 * user, no events, filters respected, no duplicates, scores sorted, reasons present, determinism,
 * null request rejected. The fixture is a small shop of 40 items in 4 categories and 60 users with
 * category-focused histories (seed printed).
 */
public abstract class RecommenderContract {
    /** Seed of the fixture. */
    protected static final long SEED = 20261122L;
    /** Training events. */
    protected List<BehaviorEvent> events;
    /** The catalogue. */
    protected InMemoryCatalog catalog;
    private Recommender rec;

    /**
     * @param events training events
     * @param catalog the catalogue
     * @return the recommender under test
     */
    protected abstract Recommender create(List<BehaviorEvent> events, Catalog catalog);

    /** @return whether the recommender needs a non-empty context to return anything (cross-sell) */
    protected boolean needsContext() {
        return false;
    }

    @BeforeEach
    public void setUp() {
        Random r = new Random(TestSeeds.seed("RecommenderContract fixture", SEED));
        catalog = new InMemoryCatalog();
        String[] cats = {"Skin", "Hair", "Makeup", "Fragrance"};
        for (int i = 0; i < 40; i++) {
            catalog.put(new Item("i" + i, List.of("Beauty", cats[i % 4]), "brand" + (i % 5), 10 + i, "Item " + i, null, Map.of()));
        }
        events = new ArrayList<>();
        long t = 1_700_000_000_000L;
        for (int u = 0; u < 60; u++) {
            int fav = u % 4;
            int n = 4 + r.nextInt(8);
            for (int e = 0; e < n; e++) {
                int item = r.nextDouble() < 0.7 ? fav + 4 * r.nextInt(10) : r.nextInt(40);
                EventType type = e % 3 == 2 ? EventType.PURCHASE : e % 3 == 1 ? EventType.ADD_TO_CART : EventType.VIEW;
                events.add(BehaviorEvent.builder("u" + u, "i" + item, type, t).session("s" + u + "-" + (e / 6)).build());
                t += 60_000;
            }
        }
        rec = create(events, catalog);
    }

    @AfterEach
    public void tearDown() throws Exception {
        if (rec instanceof AutoCloseable) {
            ((AutoCloseable) rec).close();
        }
    }

    /** A request for a known user with their history. */
    protected RecommendationRequest.Builder known(int k) {
        List<BehaviorEvent> h = new ArrayList<>();
        for (BehaviorEvent e : events) {
            if (e.userId().equals("u1")) {
                h.add(e);
            }
        }
        return RecommendationRequest.builder(k).user("u1").history(h).cart(List.of(h.get(h.size() - 1).itemId()));
    }

    private static void checkList(List<Recommendation> l, int k) {
        assertTrue(l.size() <= k, "at most k");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < l.size(); i++) {
            Recommendation r = l.get(i);
            assertTrue(ids.add(r.itemId()), "duplicate " + r.itemId());
            assertFalse(r.reasons().isEmpty(), "reasons present");
            assertFalse(r.reasons().get(0).text().isBlank());
            if (i > 0) {
                assertTrue(l.get(i - 1).score() >= r.score(), "scores sorted at " + i);
            }
        }
    }

    @Test
    public void returnsKDistinctSortedItemsWithReasons() {
        List<Recommendation> l = rec.recommend(known(5).build());
        checkList(l, 5);
        assertFalse(l.isEmpty(), "a known user gets recommendations");
    }

    @Test
    public void kLargerThanCatalogue() {
        List<Recommendation> l = rec.recommend(known(1000).build());
        checkList(l, 1000);
        assertTrue(l.size() <= 40);
    }

    @Test
    public void unknownUserAndNoEvents() {
        List<Recommendation> l = rec.recommend(RecommendationRequest.builder(5).user("nobody").build());
        checkList(l, 5);
        List<Recommendation> anon = rec.recommend(RecommendationRequest.builder(5).build());
        checkList(anon, 5);
    }

    @Test
    public void excludesSeenItemsAndExplicitExclusions() {
        RecommendationRequest req = known(40).excludeItems(Set.of("i0", "i1", "i2")).build();
        Set<String> seen = new HashSet<>();
        for (BehaviorEvent e : req.history()) {
            if (e.itemId() != null) {
                seen.add(e.itemId());
            }
        }
        List<Recommendation> got = rec.recommend(req);
        assertFalse(got.isEmpty(), "nothing recommended: the exclusions cannot be checked on an empty list");
        for (Recommendation r : got) {
            assertFalse(seen.contains(r.itemId()), "seen item " + r.itemId());
            assertFalse(Set.of("i0", "i1", "i2").contains(r.itemId()));
        }
    }

    @Test
    public void categoryAllowDenyAndPredicateRespected() {
        List<Recommendation> allow = rec.recommend(known(40).allowCategories(Set.of("Hair")).build());
        assertFalse(allow.isEmpty(), "nothing recommended under allowCategories(Hair): the filter cannot be checked");
        for (Recommendation r : allow) {
            assertTrue(catalog.item(r.itemId()).orElseThrow().categoryPath().contains("Hair"), r.itemId());
        }
        List<Recommendation> deny = rec.recommend(known(40).denyCategories(Set.of("Hair")).build());
        assertFalse(deny.isEmpty(), "nothing recommended under denyCategories(Hair): the filter cannot be checked");
        for (Recommendation r : deny) {
            assertFalse(catalog.item(r.itemId()).orElseThrow().categoryPath().contains("Hair"), r.itemId());
        }
        List<Recommendation> cheap = rec.recommend(known(40).itemFilter(i -> i.price() < 30).build());
        assertFalse(cheap.isEmpty(), "nothing recommended under the price filter: the filter cannot be checked");
        for (Recommendation r : cheap) {
            assertTrue(catalog.item(r.itemId()).orElseThrow().price() < 30, r.itemId());
        }
    }

    @Test
    public void deterministic() {
        List<Recommendation> a = rec.recommend(known(10).build());
        List<Recommendation> b = create(events, catalog).recommend(known(10).build());
        assertEquals(a, b);
    }

    @Test
    public void nullRequestRejected() {
        assertThrows(BadInputException.class, () -> rec.recommend(null));
    }
}
