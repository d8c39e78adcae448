package org.persona4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DomainTypesTest {

    @Test
    void eventKeepsOptionalFields() {
        BehaviorEvent e = BehaviorEvent.builder("u1", "i1", EventType.PURCHASE, 1_700_000_000_000L)
                .session("s1").price(19.9).quantity(2).rating(4).dwellMillis(1200).reviewText("nice").build();
        assertEquals("u1", e.userId());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), e.timestamp());
        assertEquals(19.9, e.price().getAsDouble());
        assertEquals(2, e.quantityOrOne());
        assertEquals(4.0, e.rating().getAsDouble());
        assertEquals(1200, e.dwellMillis().getAsLong());
        assertEquals("s1", e.sessionId().orElseThrow());
        assertEquals(e, e.toBuilder().build());
        assertNotEquals(e, e.toBuilder().price(20).build());
    }

    @Test
    void absentOptionalsAreEmpty() {
        BehaviorEvent e = BehaviorEvent.of("u1", "i1", EventType.VIEW, 0);
        assertTrue(e.price().isEmpty());
        assertTrue(Double.isNaN(e.priceOrNaN()));
        assertTrue(e.rating().isEmpty());
        assertTrue(e.quantity().isEmpty());
        assertEquals(1, e.quantityOrOne());
        assertTrue(e.dwellMillis().isEmpty());
        assertTrue(e.query().isEmpty());
    }

    @Test
    void searchMayOmitTheItem() {
        BehaviorEvent e = BehaviorEvent.builder("u1", null, EventType.SEARCH, 5).query("精华液 serum").build();
        assertNull(e.itemId());
        assertEquals("精华液 serum", e.query().orElseThrow());
    }

    @Test
    void invalidFieldsAreNamedWithTheirValue() {
        assertMessage(() -> BehaviorEvent.of(" ", "i1", EventType.VIEW, 0), "userId", "\" \"");
        assertMessage(() -> BehaviorEvent.of("u1", null, EventType.VIEW, 0), "itemId", "VIEW");
        assertMessage(() -> BehaviorEvent.of("u1", "i1", EventType.VIEW, -5), "timestamp", "-5");
        assertMessage(() -> BehaviorEvent.builder("u1", "i1", EventType.PURCHASE, 1).price(Double.POSITIVE_INFINITY).build(),
                "price", "Infinity");
        assertMessage(() -> BehaviorEvent.builder("u1", "i1", EventType.PURCHASE, 1).price(-1).build(), "price", "-1");
        assertMessage(() -> BehaviorEvent.builder("u1", "i1", EventType.PURCHASE, 1).quantity(-2).build(), "quantity", "-2");
        assertMessage(() -> BehaviorEvent.builder("u1", "i1", null, 1).build(), "type", "null");
        assertMessage(() -> new Item("i1", List.of("Beauty", ""), null, 1, null, null, null), "categoryPath[1]", "\"\"");
        assertMessage(() -> new Item("i1", List.of(), null, -3, null, null, null), "price", "-3");
        assertMessage(() -> new UserAttributes("u1", 200, null, null, null, null), "age", "200");
        assertMessage(() -> new Tag("t", "text", 1.5, Map.of()), "weight", "1.5");
        assertMessage(() -> new Recommendation("i1", Double.NaN, List.of(Reason.of(ReasonKind.POPULAR, "popular"))), "score", "NaN");
        assertMessage(() -> new Recommendation("i1", 1, List.of()), "reasons", "at least one");
        assertMessage(() -> new Segment("s", Segment.Kind.RULE, "n", 1, 2.0, Map.of()), "share", "2.0");
        assertMessage(() -> new UserProfile("u1", new float[] {Float.NaN}, null, null, null, null, null, 0, null, null),
                "embedding[0]", "NaN");
        assertMessage(() -> new UserProfile("u1", null, new float[] {0f, Float.POSITIVE_INFINITY}, null, null, null, null, null,
                0, null, null), "longTermEmbedding[1]", "Infinity");
        assertMessage(() -> new UserProfile("u1", null, null, Map.of("purchase", 1.2), null, null, null, 0, null, null),
                "propensities.purchase", "1.2");
        assertMessage(() -> RecommendationRequest.builder(0), "k", "0");
    }

    @Test
    void eventTypeAliases() {
        assertEquals(EventType.VIEW, EventType.parse("pv"));
        assertEquals(EventType.ADD_TO_CART, EventType.parse("addtocart"));
        assertEquals(EventType.PURCHASE, EventType.parse("Transaction"));
        assertEquals(EventType.FAVORITE, EventType.parse("fav"));
        assertEquals(EventType.REMOVE_FROM_CART, EventType.parse("remove-from-cart"));
        BadInputException ex = assertThrows(BadInputException.class, () -> EventType.parse("teleport"));
        assertTrue(ex.getMessage().contains("teleport"));
        assertThrows(BadInputException.class, () -> EventType.ofOrdinal(EventType.count()));
    }

    @Test
    void itemCategoryHelpers() {
        Item i = new Item("i1", List.of("Beauty", "Skin care", "Serum"), "Acme", 12.5, "Rose serum", null, Map.of("size", "30ml"));
        assertEquals("Beauty", i.topCategory());
        assertEquals("Serum", i.leafCategory());
        assertEquals("Beauty > Skin care > Serum", i.categoryLabel());
        assertEquals(i.categoryPath(), Item.parseCategoryPath(i.categoryLabel()), "parseCategoryPath inverts categoryLabel");
        assertEquals(List.of("A", "B"), Item.parseCategoryPath(" A >> B > "));
        assertEquals(List.of(), Item.parseCategoryPath(""));
        assertTrue(Item.of("x").knownPrice().isEmpty());
    }

    @Test
    void profileCopiesItsEmbedding() {
        float[] emb = {1, 2, 3};
        UserProfile p = new UserProfile("u1", emb, Map.of(), Map.of("purchase", 0.3), Map.of(), List.of(), Map.of(), 3,
                Instant.EPOCH, "v1");
        emb[0] = 42;
        assertEquals(1f, p.embedding()[0]);
        p.embedding()[1] = 42;
        assertEquals(2f, p.embedding()[1]);
        UserProfile q = p.withSegment("value", "champions");
        assertEquals("champions", q.segments().get("value"));
        assertTrue(p.segments().isEmpty());
        assertEquals(p, new UserProfile("u1", new float[] {1, 2, 3}, Map.of(), Map.of("purchase", 0.3), Map.of(), List.of(),
                Map.of(), 3, Instant.EPOCH, "v1"));
    }

    @Test
    void profileCopiesItsLongTermEmbeddingAndKeepsIt() {
        UserProfile p = new UserProfile("u1", new float[] {1, 2}, null, Map.of(), Map.of(), Map.of(), List.of(), Map.of(), 3,
                Instant.EPOCH, "v1");
        assertEquals(0, p.longTermEmbedding().length, "null means none");
        assertEquals(0, UserProfile.empty("u").longTermEmbeddingSize());
        float[] lt = {0.5f, 1f};
        UserProfile q = p.withLongTermEmbedding(lt);
        lt[0] = 42;
        assertEquals(0.5f, q.longTermEmbedding()[0]);
        q.longTermEmbedding()[0] = 42;
        assertEquals(0.5f, q.longTermEmbedding()[0]);
        assertNotEquals(p, q, "the long-term embedding takes part in equals");
        assertNotEquals(p.hashCode(), q.hashCode());
        assertTrue(q.toString().contains("longTermEmbedding=2d"), q.toString());
        UserProfile r = q.withSegment("behaviour", "kmeans-1");
        assertArrayEquals(new float[] {0.5f, 1f}, r.longTermEmbedding(), "withSegment keeps it");
        assertEquals(q, new UserProfile("u1", new float[] {1, 2}, new float[] {0.5f, 1f}, Map.of(), Map.of(), Map.of(),
                List.of(), Map.of(), 3, Instant.EPOCH, "v1"));
    }

    @Test
    void userAttributesStayOutOfToString() {
        UserAttributes a = new UserAttributes("u1", 34, "F", "Shanghai", "engineer", Map.of());
        assertFalse(a.toString().contains("Shanghai"));
        assertFalse(a.toString().contains("34"));
    }

    @Test
    void requestFiltersCandidates() {
        Item serum = new Item("i1", List.of("Beauty", "Serum"), null, 10, null, null, null);
        Item phone = new Item("i2", List.of("Electronics", "Phone"), null, 500, null, null, null);
        RecommendationRequest r = RecommendationRequest.builder(5).user("u1")
                .denyCategories(Set.of("Electronics")).itemFilter(it -> it.price() < 100).build();
        assertTrue(r.admits("i1", serum, Set.of()));
        assertFalse(r.admits("i1", serum, Set.of("i1")), "seen items are excluded by default");
        assertFalse(r.admits("i2", phone, Set.of()));
        RecommendationRequest allow = RecommendationRequest.builder(5).allowCategories(Set.of("Serum")).build();
        assertTrue(allow.admits("i1", serum, Set.of()));
        assertFalse(allow.admits("i2", phone, Set.of()));
        assertFalse(allow.admits("i3", null, Set.of()), "unknown items fail an allow list");
    }

    @Test
    void schemaHashIsStableAndChecked() {
        FeatureSchema s = new FeatureSchema(List.of(
                new FeatureSchema.Field("rfm.recency_days", FeatureSchema.Type.NUMERIC, 0, 365, 0),
                new FeatureSchema.Field("item", FeatureSchema.Type.INDEX, 0, 99, 100)));
        assertEquals(64, s.hash().length());
        assertEquals(s.hash(), new FeatureSchema(s.fields()).hash());
        s.requireHash(s.hash());
        SchemaMismatchException ex = assertThrows(SchemaMismatchException.class, () -> s.requireHash("abc"));
        assertEquals("abc", ex.expected());
        assertThrows(BadInputException.class, () -> new FeatureSchema(List.of(s.fields().get(0), s.fields().get(0))));
    }

    @Test
    void badInputLocationFormat() {
        BadInputException e = new BadInputException("events.csv", 17, "timestamp", "expected epoch milliseconds, got \"x\"");
        assertEquals("events.csv:17: field 'timestamp': expected epoch milliseconds, got \"x\"", e.getMessage());
        assertEquals(17, e.line());
        assertEquals("timestamp", e.field());
        ModelFormatException m = ModelFormatException.unsupportedVersion("model artifact", 9, 1, 2);
        assertTrue(m.getMessage().contains("9") && m.getMessage().contains("too new") && m.getMessage().contains("2"));
    }

    @Test
    void progressMath() {
        Progress p = new Progress("t", 25, 100, "events", 1_000_000_000L, null);
        assertEquals(25.0, p.ratePerSecond(), 1e-9);
        assertEquals(0.25, p.fraction(), 1e-9);
        assertEquals(3.0, p.etaSeconds(), 1e-9);
        assertEquals(-1, new Progress("t", 5, -1, "x", 10, null).etaSeconds());
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable ex, String field, String value) {
        BadInputException e = assertThrows(BadInputException.class, ex);
        assertTrue(e.getMessage().contains(field), () -> "message should name " + field + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(value), () -> "message should show " + value + ": " + e.getMessage());
    }
}
