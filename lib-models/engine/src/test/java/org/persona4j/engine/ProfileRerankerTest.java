package org.persona4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.Reason;
import org.persona4j.core.ReasonKind;
import org.persona4j.core.Recommendation;
import org.persona4j.core.SearchReranker;
import org.persona4j.core.UserProfile;

/** Hand-checked scores, orders and reasons of the search re-ranker. */
class ProfileRerankerTest {
    private static UserProfile interests(Map<String, Double> interests) {
        return new UserProfile("u", null, interests, null, null, null, null, 3, null, null);
    }

    private static List<String> ids(List<Recommendation> r) {
        return r.stream().map(Recommendation::itemId).toList();
    }

    private static Reason reason(List<Recommendation> r, String id) {
        return r.stream().filter(x -> x.itemId().equals(id)).findFirst().orElseThrow().reasons().get(0);
    }

    private static double log2(int x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void searchRerankerMovesInterestMatchesUpAndExplains() {
        InMemoryCatalog cat = new InMemoryCatalog();
        cat.put(new Item("p1", List.of("Beauty", "Hair"), "acme", 5, "Shampoo", null, Map.of()));
        cat.put(new Item("p2", List.of("Beauty", "Skin"), "acme", 5, "Serum", null, Map.of()));
        cat.put(new Item("p3", List.of("Beauty", "Hair"), "acme", 5, "Conditioner", null, Map.of()));
        UserProfile prof = interests(Map.of("category:Skin", 1.0));
        SearchReranker reranker = ProfileReranker.withDefaults(cat, null);
        List<Recommendation> r = reranker.rerank(prof, List.of(), "care", List.of("p1", "p3", "p2", "unknown"));
        assertEquals(4, r.size(), "every candidate returned");
        assertEquals("p2", r.get(0).itemId());
        assertTrue(r.get(0).reasons().get(0).text().contains("moved up 2 places"), r.get(0).reasons().get(0).text());
        assertTrue(r.get(0).reasons().get(0).text().contains("Skin"));
        assertEquals("unknown", r.get(3).itemId());
        assertEquals(ReasonKind.SEARCH_RERANK, r.get(1).reasons().get(0).kind());
        // p2 at position 2: 1/log2(4) + 1 x interest 1.0
        assertEquals(1 / log2(4) + 1.0, r.get(0).score(), 1e-12);
        // no profile: the engine's order stays
        List<Recommendation> same = reranker.rerank(UserProfile.empty("u"), List.of(), "", List.of("p1", "p3", "p2"));
        assertEquals(List.of("p1", "p3", "p2"), ids(same));
        assertEquals("kept at position 1: search relevance", same.get(0).reasons().get(0).text());
    }

    @Test
    void scoresFollowTheDocumentedFormulaAndReasonsNameTheStrongerTerm() {
        InMemoryCatalog cat = new InMemoryCatalog();
        cat.put(new Item("hat", List.of("Clothing", "Hats"), "brim", 20, "Sun hat", null, Map.of()));
        cat.put(new Item("a", List.of("Clothing", "Shoes"), "stride", 50, "Runner", null, Map.of()));
        cat.put(new Item("b", List.of("Clothing", "Shoes"), "stride", 50, "Walker", null, Map.of()));
        cat.put(new Item("c", List.of("Clothing", "Hats"), "brim", 25, "Cap", null, Map.of()));
        // neighbour lists: c is close to the hat the user bought; a is a weaker neighbour
        Map<String, Map<String, Float>> nbrs = Map.of("hat", Map.of("c", 0.6f, "a", 0.1f));
        ItemSimilarity sim = ItemSimilarity.ofNeighbours(id -> nbrs.getOrDefault(id, Map.of()));
        ProfileReranker rr = new ProfileReranker(cat, sim, 1.0, 0.5, 2.0);
        List<BehaviorEvent> history = List.of(BehaviorEvent.of("u", "hat", EventType.PURCHASE, 1000));
        UserProfile prof = interests(Map.of("Shoes", 0.4));

        List<Recommendation> r = rr.rerank(prof, history, "summer", List.of("a", "b", "c"));
        double a = 1 / log2(2) + 0.5 * 0.4 + 2.0 * 0.1f;
        double b = 1 / log2(3) + 0.5 * 0.4;
        double c = 1 / log2(4) + 2.0 * 0.6f;
        assertEquals(List.of("c", "a", "b"), ids(r));
        assertEquals(c, r.get(0).score(), 1e-12);
        assertEquals(a, r.get(1).score(), 1e-12);
        assertEquals(b, r.get(2).score(), 1e-12);
        assertEquals("moved up 2 places: similar to Sun hat you bought", reason(r, "c").text());
        assertEquals("moved down 1 place (others match your profile better)", reason(r, "a").text());
        assertEquals("moved down 1 place (others match your profile better)", reason(r, "b").text());
        assertEquals("0.400", reason(r, "b").evidence().get("interest"));
        // without the history term b keeps its place, explained by its interest
        List<Recommendation> noHistory = rr.rerank(prof, List.of(), "summer", List.of("a", "b", "c"));
        assertEquals(List.of("a", "b", "c"), ids(noHistory));
        assertEquals("kept at position 2: matches your interest in Shoes", reason(noHistory, "b").text());
        Map<String, String> ev = reason(r, "c").evidence();
        assertEquals("3", ev.get("from"));
        assertEquals("1", ev.get("to"));
        assertEquals("summer", ev.get("query"));
        assertEquals("0.000", ev.get("interest"));
        assertEquals("0.600", ev.get("similarity"));

        // weights: the search order alone keeps the order; without it, profile terms decide
        assertEquals(List.of("a", "b", "c"), ids(new ProfileReranker(cat, sim, 1, 0, 0).rerank(prof, history, "", List.of("a", "b", "c"))));
        assertEquals(List.of("c", "a", "b"), ids(new ProfileReranker(cat, sim, 0, 0, 1).rerank(prof, history, "", List.of("b", "a", "c"))));
    }

    @Test
    void interestsMatchCategoriesPathsAndBrandsIgnoringCaseAndTheStrongestWins() {
        InMemoryCatalog cat = new InMemoryCatalog();
        cat.put(new Item("x", List.of("Beauty", "Skin care", "Serums"), "Glow", 30, "Serum", null, Map.of()));
        cat.put(new Item("y", List.of("Home"), null, 30, "Lamp", null, Map.of()));
        ProfileReranker rr = ProfileReranker.withDefaults(cat, null);
        record Case(Map<String, Double> interests, double expected, String named) {
        }
        for (Case k : List.of(
                new Case(Map.of("skin care", 0.7), 0.7, "skin care"),
                new Case(Map.of("Beauty > Skin care", 0.8), 0.8, "Beauty > Skin care"),
                new Case(Map.of("brand:glow", 0.3), 0.3, "glow"),
                new Case(Map.of("category:Serums", 0.2, "brand:Glow", 0.9, "Home", 1.0), 0.9, "Glow"),
                new Case(Map.of("Haircare", 1.0), 0.0, null))) {
            List<Recommendation> r = rr.rerank(interests(k.interests()), List.of(), "", List.of("y", "x"));
            Reason why = reason(r, "x");
            assertEquals(String.format(java.util.Locale.ROOT, "%.3f", k.expected()), why.evidence().get("interest"), k.toString());
            if (k.named() != null) {
                assertTrue(why.text().endsWith("matches your interest in " + k.named()), why.text());
            }
        }
    }

    @Test
    void embeddingSimilarityCountsTheItemItselfAndIgnoresUnknownItems() {
        ToyModel model = new ToyModel("v1");
        ItemSimilarity sim = ItemSimilarity.ofEmbeddings(model);
        assertEquals(1.0, sim.similarTo("liked").applyAsDouble("liked"), 1e-9);
        assertEquals(Explainer.cosine(ToyModel.vector("liked"), ToyModel.vector("other")),
                sim.similarTo("liked").applyAsDouble("other"), 1e-12);
        assertEquals(0, sim.similarTo("liked").applyAsDouble("unknown-x"));
        assertEquals(0, sim.similarTo("unknown-y").applyAsDouble("liked"));

        List<BehaviorEvent> history = List.of(BehaviorEvent.of("u", "liked", EventType.VIEW, 1));
        List<Recommendation> r = ProfileReranker.withDefaults(new InMemoryCatalog(), sim)
                .rerank(UserProfile.empty("u"), history, "q", List.of("a", "b", "c", "liked"));
        assertEquals("liked", r.get(0).itemId());
        assertEquals("moved up 3 places: you viewed it recently", r.get(0).reasons().get(0).text());
    }

    @Test
    void everyCandidateComesBackOnceAndBadInputIsRefused() {
        ProfileReranker rr = ProfileReranker.withDefaults(new InMemoryCatalog(), null);
        List<Recommendation> r = rr.rerank(null, List.of(), null, Arrays.asList("a", null, "b", "a"));
        assertEquals(List.of("a", "b"), ids(r), "repeated ids keep their first position, null ids are dropped");
        assertEquals("", reason(r, "a").evidence().get("query"));
        assertThrows(BadInputException.class, () -> rr.rerank(null, List.of(), "", null));
        assertThrows(BadInputException.class, () -> rr.rerank(null, null, "", List.of()));
        assertThrows(BadInputException.class, () -> ProfileReranker.withDefaults(null, null));
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(BadInputException.class, () -> new ProfileReranker(new InMemoryCatalog(), null, bad, 1, 1));
        }
        assertEquals(List.of(), rr.rerank(null, List.of(), "", List.of()));
    }
}
