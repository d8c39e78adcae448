package org.persona4j.eval.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;

/** The temporal and leave-last-out splits on a hand-made event list. */
class ProfileSplitTest {
    static final long DAY = 86_400_000L;
    static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00Z

    static BehaviorEvent ev(String user, String item, EventType type, double day) {
        return BehaviorEvent.of(user, item, type, T0 + (long) (day * DAY));
    }

    static InMemoryCatalog catalog() {
        return new InMemoryCatalog(List.of(
                new Item("shoe", List.of("Fashion", "Shoes"), null, 50, null, null, Map.of()),
                new Item("phone", List.of("Electronics", "Phones"), null, 500, null, null, Map.of()),
                Item.of("bare")));
    }

    /** Day 0..40; cutoff chosen at day 40 - max(7, 30) = day 10. */
    static List<BehaviorEvent> events() {
        return List.of(
                // a: history before day 10, buys on day 12 (within 7 days), next category Shoes (the bare item has none)
                ev("a", "phone", EventType.VIEW, 0), ev("a", "shoe", EventType.VIEW, 9), ev("a", "bare", EventType.VIEW, 11),
                ev("a", "shoe", EventType.PURCHASE, 12),
                // b: history, then a purchase on day 20 (after the horizon) -> not purchased, not churned
                ev("b", "shoe", EventType.VIEW, 2), ev("b", "phone", EventType.PURCHASE, 20),
                // c: history, then nothing at all -> churned, no next category
                ev("c", "phone", EventType.VIEW, 5),
                // d: first seen after the cutoff -> skipped; its day-40 event is the data's end
                ev("d", "shoe", EventType.VIEW, 15), ev("d", "shoe", EventType.VIEW, 40),
                // e: an event exactly at the cutoff is history
                ev("e", "shoe", EventType.CLICK, 10),
                // f: last seen on day 1, buys on day 11: within 7 days of T, not within 7 days of its last event
                ev("f", "shoe", EventType.VIEW, 1), ev("f", "phone", EventType.PURCHASE, 11));
    }

    @Test
    void cutoffLeavesBothWindowsInsideTheData() {
        assertEquals(T0 + 10 * DAY, ProfileSplit.chooseCutoff(events(), 7, 30));
        assertEquals(T0 + 33 * DAY, ProfileSplit.chooseCutoff(events(), 7, 1));
        BadInputException e = assertThrows(BadInputException.class, () -> ProfileSplit.chooseCutoff(events(), 7, 60));
        assertTrue(e.getMessage().contains("40.0 days") && e.getMessage().contains("churn 60"), e.getMessage());
    }

    @Test
    void temporalLabels() {
        long t = ProfileSplit.chooseCutoff(events(), 7, 30);
        ProfileSplit s = ProfileSplit.temporal(ProfileSplit.byUser(events()), t, 7, 30, catalog(), CategoryLevel.LEAF);
        assertEquals(6, s.users());
        assertEquals(1, s.skippedNoHistory());
        assertEquals(List.of("a", "b", "c", "e", "f"), s.cases().stream().map(ProfileCase::userId).toList());
        ProfileCase a = s.cases().get(0);
        assertEquals(2, a.history().size());
        assertTrue(a.purchased());
        assertFalse(a.churned());
        assertEquals("Shoes", a.nextCategory());
        ProfileCase b = s.cases().get(1);
        assertFalse(b.purchased());
        assertFalse(b.churned());
        assertEquals("Phones", b.nextCategory());
        ProfileCase c = s.cases().get(2);
        assertFalse(c.purchased());
        assertTrue(c.churned());
        assertNull(c.nextCategory());
        ProfileCase e = s.cases().get(3);
        assertEquals(1, e.history().size());
        assertTrue(e.churned());
        assertNull(e.nextCategory());
        assertTrue(s.cases().get(4).purchased());
        assertEquals(t, s.cases().get(4).cutoffMillis());
        assertEquals(2, s.purchasers());
        assertEquals(2, s.churners());
        assertEquals(3, s.withNextCategory());
    }

    @Test
    void windowsFromTheLastEvent() {
        long t = T0 + 10 * DAY;
        ProfileSplit s = ProfileSplit.temporal(ProfileSplit.byUser(events()), t, 7, 30, catalog(), CategoryLevel.LEAF, true);
        ProfileCase a = s.cases().get(0);
        assertEquals(T0 + 9 * DAY, a.cutoffMillis()); // a's last event before T
        assertTrue(a.purchased()); // day 12 is within (9, 16]
        ProfileCase f = s.cases().get(4);
        assertEquals(T0 + DAY, f.cutoffMillis());
        assertFalse(f.purchased()); // day 11 is after (1, 8]
        assertFalse(f.churned()); // but within (1, 31]
        assertEquals(1, s.purchasers());
        assertEquals(2, s.churners());
    }

    @Test
    void categoryLevels() {
        long t = T0 + 10 * DAY;
        ProfileSplit top = ProfileSplit.temporal(ProfileSplit.byUser(events()), t, 7, 30, catalog(), CategoryLevel.TOP);
        assertEquals("Fashion", top.cases().get(0).nextCategory());
        ProfileSplit path = ProfileSplit.temporal(ProfileSplit.byUser(events()), t, 7, 30, catalog(), CategoryLevel.PATH);
        assertEquals("Fashion > Shoes", path.cases().get(0).nextCategory());
        assertEquals("Shoes", CategoryLevel.LEAF.ofPathLabel("Fashion > Shoes"));
        assertEquals("Fashion", CategoryLevel.TOP.ofPathLabel("Fashion > Shoes"));
    }

    @Test
    void popularCategoriesCountTheHistoriesOnly() {
        ProfileSplit s = ProfileSplit.temporal(ProfileSplit.byUser(events()), T0 + 10 * DAY, 7, 30, catalog(), CategoryLevel.LEAF);
        PopularCategoryScorer pop = new PopularCategoryScorer(s, catalog(), CategoryLevel.LEAF);
        // histories: a phone, shoe; b shoe; c phone; e shoe; f shoe -> Shoes 4 of 6, Phones 2 of 6 (the bare item has none)
        assertEquals(List.of("Shoes", "Phones"), pop.ranking());
        assertEquals(4.0 / 6, pop.shares().get("Shoes"), 1e-12);
    }

    @Test
    void leaveLastOutHoldsOutTheLastEvent() {
        ProfileSplit s = ProfileSplit.leaveLastOut(ProfileSplit.byUser(events()), catalog(), CategoryLevel.LEAF);
        assertEquals(2, s.skippedNoHistory()); // c and e have one event
        ProfileCase a = s.cases().get(0);
        assertEquals(3, a.history().size());
        assertEquals("Shoes", a.nextCategory());
        assertFalse(s.binaryLabels());
    }
}
