package org.persona4j.features.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;

class EventCleanerTest {
    private static final long T = 1_700_000_000_000L;

    private static InMemoryCatalog catalog() {
        InMemoryCatalog c = new InMemoryCatalog();
        c.put(new Item("a", List.of("Beauty", "Skin care"), "Acme", 12.5, null, null, Map.of()));
        c.put(new Item("b", List.of(), null, Double.NaN, null, null, Map.of()));
        return c;
    }

    private static BehaviorEvent ev(String u, String item, EventType t, long ts) {
        return BehaviorEvent.builder(u, item, t, ts).session("s").dwellMillis(1000).quantity(1).price(1.0).build();
    }

    @Test
    void countsEveryRemovalByReason() {
        List<BehaviorEvent> in = new ArrayList<>();
        in.add(ev("u1", "a", EventType.VIEW, T));
        in.add(ev("u1", "a", EventType.VIEW, T)); // exact duplicate
        in.add(ev("u1", "a", EventType.VIEW, T + 500)); // near duplicate (1 s window)
        in.add(ev("u1", "a", EventType.VIEW, T + 5_000)); // kept
        in.add(ev("u1", "a", EventType.CLICK, T - 10_000)); // out of order, sorted in
        in.add(null); // null
        in.add(ev("u1", "a", EventType.VIEW, T + 10L * 86_400_000L)); // future (now = T + 1 day)
        in.add(ev("u1", "a", EventType.VIEW, 1000L)); // before 2000
        for (int i = 0; i < 200; i++) {
            in.add(ev("bot", "a", EventType.VIEW, T + i * 100L + 2_000)); // 200 events in 20 s
        }
        CleaningConfig cfg = CleaningConfig.defaults(T + 86_400_000L);
        CleaningResult r = new EventCleaner(cfg, catalog()).clean(in);
        CleaningReport rep = r.report();
        assertEquals(1, rep.dropped("exact duplicate"));
        assertEquals(1, rep.dropped("near duplicate"));
        assertEquals(1, rep.dropped("null event"));
        assertEquals(1, rep.dropped("future timestamp"));
        assertEquals(1, rep.dropped("timestamp before minimum"));
        assertEquals(200, rep.dropped("bot user"));
        assertEquals(List.of("bot"), rep.botUsers());
        assertEquals(1, rep.reordered());
        assertEquals(3, rep.kept());
        assertEquals(rep.input(), rep.kept() + rep.droppedTotal(), "nothing vanishes uncounted");
        // kept events come out in time order
        assertEquals(T - 10_000, r.events().get(0).timestampMillis());
        assertEquals(T + 5_000, r.events().get(2).timestampMillis());
        assertTrue(rep.toString().contains("near duplicate"));
    }

    @Test
    void outOfOrderCanBeDropped() {
        List<BehaviorEvent> in = List.of(ev("u", "a", EventType.VIEW, T), ev("u", "a", EventType.CLICK, T - 1));
        CleaningConfig cfg = CleaningConfig.defaults(T).withOutOfOrder(OutOfOrderPolicy.DROP);
        CleaningReport rep = new EventCleaner(cfg, catalog()).clean(in).report();
        assertEquals(1, rep.dropped("out of order"));
        assertEquals(0, rep.reordered());
    }

    @Test
    void missingValuesFollowPerFieldPolicy() {
        BehaviorEvent buyNoPrice = BehaviorEvent.builder("u", "a", EventType.PURCHASE, T).session("s").build();
        BehaviorEvent unknownItem = BehaviorEvent.builder("u", "zzz", EventType.CLICK, T + 10).session("s").build();
        BehaviorEvent noCategory = BehaviorEvent.builder("u", "b", EventType.CLICK, T + 20).session("s").build();
        BehaviorEvent searchNoQuery = BehaviorEvent.builder("u", null, EventType.SEARCH, T + 30).session("s").build();
        BehaviorEvent noSession = BehaviorEvent.builder("u", "a", EventType.CLICK, T + 40).build();
        List<BehaviorEvent> in = Arrays.asList(buyNoPrice, unknownItem, noCategory, searchNoQuery, noSession);

        CleaningResult r = new EventCleaner(CleaningConfig.defaults(T), catalog()).clean(in);
        CleaningReport rep = r.report();
        assertEquals(1, rep.imputed().get("price"));
        assertEquals(1, rep.imputed().get("quantity"));
        assertEquals(12.5, r.events().get(0).priceOrNaN(), "price imputed from the catalogue");
        assertEquals(1, rep.flagged().get("item"));
        assertEquals(1, rep.flagged().get("category"));
        assertEquals(1, rep.flagged().get("session"));
        assertEquals(1, rep.dropped("missing query"));
        assertEquals(4, rep.kept());

        CleaningConfig strict = CleaningConfig.defaults(T).withPolicy(MissingField.PRICE, MissingPolicy.DROP)
                .withPolicy(MissingField.ITEM, MissingPolicy.DROP).withPolicy(MissingField.SESSION, MissingPolicy.IMPUTE);
        CleaningResult r2 = new EventCleaner(strict, catalog()).clean(in);
        assertEquals(1, r2.report().dropped("missing price"));
        assertEquals(1, r2.report().dropped("missing item"));
        assertEquals(1, r2.report().imputed().get("session"));
        assertEquals("u#0", r2.events().get(r2.events().size() - 1).sessionId().orElseThrow());
        assertEquals(r2.report().input(), r2.report().kept() + r2.report().droppedTotal());
    }

    @Test
    void rejectsBadConfigAndNullInputByName() {
        BadInputException e = assertThrows(BadInputException.class, () -> CleaningConfig.defaults(T).withBotRule(0, 5));
        assertTrue(e.getMessage().contains("botWindowMillis"), e.getMessage());
        assertThrows(BadInputException.class, () -> new EventCleaner(CleaningConfig.defaults(T), catalog()).clean(null));
    }
}
