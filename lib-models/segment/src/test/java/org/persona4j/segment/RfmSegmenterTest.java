package org.persona4j.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.UserProfile;

/** RFM scores and groups equal the answers worked out by hand in the comments. */
class RfmSegmenterTest {
    /*
     * 10 buyers and one prospect. Nearest-rank quintile cuts (sorted index 1, 3, 5, 7):
     *   recency  1 2 3 5 10 20 30 90 100 120     -> q = [2, 5, 20, 90]
     *   frequency 1 1 2 3 4 5 6 8 9 10            -> q = [1, 3, 5, 8]
     *   monetary 10 20 50 90 95 100 400 800 900 1000 -> q = [20, 90, 100, 800]
     * R = 5 - #(q < days), F = 1 + #(q < f), M = 1 + #(q < m):
     *   a (1, 10, 1000)  R5 F5 M5 champions     b (2, 8, 800)   R5 F4 M4 champions
     *   c (3, 1, 20)     R4 F1 M1 new           d (5, 6, 95)    R4 F4 M3 loyal
     *   e (10, 2, 50)    R3 F2 M2 potential     f (20, 5, 400)  R3 F3 M4 potential
     *   g (30, 3, 90)    R2 F2 M2 dormant       h (100, 9, 900) R1 F5 M5 cant-lose
     *   i (90, 1, 10)    R2 F1 M1 dormant       j (120, 4, 100) R1 F3 M3 at-risk
     *   k no purchase    prospect
     */
    static Map<String, RfmValues> fixture() {
        Map<String, RfmValues> m = new LinkedHashMap<>();
        m.put("a", new RfmValues(1, 10, 1000));
        m.put("b", new RfmValues(2, 8, 800));
        m.put("c", new RfmValues(3, 1, 20));
        m.put("d", new RfmValues(5, 6, 95));
        m.put("e", new RfmValues(10, 2, 50));
        m.put("f", new RfmValues(20, 5, 400));
        m.put("g", new RfmValues(30, 3, 90));
        m.put("h", new RfmValues(100, 9, 900));
        m.put("i", new RfmValues(90, 1, 10));
        m.put("j", new RfmValues(120, 4, 100));
        m.put("k", new RfmValues(Double.NaN, 0, 0));
        return m;
    }

    @Test
    void groupsEqualHandComputedAnswers() {
        RfmSegmenter s = RfmSegmenter.fit("value", fixture());
        assertArrayEquals(new double[] {2, 5, 20, 90}, s.recencyCuts());
        assertArrayEquals(new double[] {1, 3, 5, 8}, s.frequencyCuts());
        assertArrayEquals(new double[] {20, 90, 100, 800}, s.monetaryCuts());
        Map<String, String> expected = new LinkedHashMap<>();
        String[] want = {"champions", "champions", "new", "loyal", "potential", "potential", "dormant", "cant-lose",
            "dormant", "at-risk", "prospect"};
        for (int i = 0; i < want.length; i++) {
            expected.put(String.valueOf((char) ('a' + i)), want[i]);
        }
        fixture().forEach((u, v) -> assertEquals(expected.get(u), s.group(v), "user " + u));
        assertEquals(new RfmSegmenter.Scores(4, 4, 3), s.scores(fixture().get("d")));
        assertEquals(new RfmSegmenter.Scores(1, 5, 5), s.scores(fixture().get("h")));
        // the profile path gives the same answers
        fixture().forEach((u, v) -> assertEquals("rfm-" + expected.get(u), s.assign(RfmSegmenter.profileOf(u, v)).id()));
        // segment sizes at fit: champions 2, dormant 2, potential 2
        Map<String, Long> size = new LinkedHashMap<>();
        s.segments().forEach(g -> size.put(g.id(), g.size()));
        assertEquals(2L, size.get("rfm-champions"));
        assertEquals(2L, size.get("rfm-dormant"));
        assertEquals(1L, size.get("rfm-prospect"));
        assertEquals(0.0, s.segments().stream().mapToDouble(g -> g.share()).sum() - 1, 1e-12);
        for (String g : RfmSegmenter.GROUPS) {
            assertTrue(!RfmSegmenter.rule(g).isBlank());
        }
    }

    @Test
    void ofCutsAssignsLikeTheSegmenterItsCutsCameFrom() {
        RfmSegmenter fitted = RfmSegmenter.fit("value", fixture());
        RfmSegmenter rebuilt = RfmSegmenter.ofCuts("value", fitted.recencyCuts(), fitted.frequencyCuts(), fitted.monetaryCuts());
        for (RfmValues v : fixture().values()) {
            assertEquals(fitted.group(v), rebuilt.group(v));
        }
        assertArrayEquals(fitted.monetaryCuts(), rebuilt.monetaryCuts());
        org.junit.jupiter.api.Assertions.assertThrows(org.persona4j.core.BadInputException.class,
                () -> RfmSegmenter.ofCuts("value", new double[] {3, 2, 5, 9}, fitted.frequencyCuts(), fitted.monetaryCuts()));
        org.junit.jupiter.api.Assertions.assertThrows(org.persona4j.core.BadInputException.class,
                () -> RfmSegmenter.ofCuts("value", fitted.recencyCuts(), new double[] {1, 2}, fitted.monetaryCuts()));
    }

    @Test
    void aggregateFromEvents() {
        long day = 86_400_000L;
        InMemoryCatalog cat = new InMemoryCatalog(List.of(new Item("p", List.of("Beauty"), "B", 7.0, null, null, Map.of())));
        List<BehaviorEvent> ev = List.of(
                BehaviorEvent.builder("u", "x", EventType.PURCHASE, 2 * day).price(10).quantity(2).build(),
                BehaviorEvent.of("u", "p", EventType.PURCHASE, 4 * day), // catalogue price 7
                BehaviorEvent.of("u", "p", EventType.VIEW, 9 * day),
                BehaviorEvent.of("w", "p", EventType.VIEW, 5 * day));
        Map<String, RfmValues> m = RfmSegmenter.aggregate(ev, cat, 10 * day);
        assertEquals(new RfmValues(6, 2, 27), m.get("u"));
        assertEquals(0, m.get("w").frequency());
    }

    @Test
    void readsEngineFeatureNames() {
        RfmSegmenter s = RfmSegmenter.fit("value", fixture());
        // PersonaEngine profiles carry rfm.purchases and rfm.recency_days
        UserProfile h = new UserProfile("h", null, null, null,
                Map.of("rfm.recency_days", 100.0, "rfm.purchases", 9.0, "rfm.monetary", 900.0), null, null, 0, null, null);
        assertEquals("rfm-cant-lose", s.assign(h).id());
        UserProfile none = new UserProfile("x", null, null, null, Map.of("rfm.monetary", 1.0), null, null, 0, null, null);
        BadInputException e = assertThrows(BadInputException.class, () -> s.assign(none));
        assertTrue(e.getMessage().contains("x") && e.getMessage().contains("rfm.frequency"), e.getMessage());
    }

    @Test
    void refusesDataWithoutBuyers() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> RfmSegmenter.fit("value", Map.of("k", new RfmValues(Double.NaN, 0, 0))));
        assertTrue(e.getMessage().contains("buyer"), e.getMessage());
    }
}
