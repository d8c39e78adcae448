package org.persona4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;

class DatasetStatsTest {
    @Test
    void countsQuantilesAndTable() {
        List<BehaviorEvent> ev = List.of(
                BehaviorEvent.builder("a", "x", EventType.VIEW, 1000).session("s1").build(),
                BehaviorEvent.builder("a", "y", EventType.VIEW, 2000).session("s1").build(),
                BehaviorEvent.of("a", "x", EventType.PURCHASE, 86_401_000),
                BehaviorEvent.of("b", null, EventType.SEARCH, 500),
                BehaviorEvent.of("c", "z", EventType.VIEW, 3000));
        DatasetStats s = DatasetStats.of("toy", ev);
        assertEquals(5, s.events());
        assertEquals(3, s.users());
        assertEquals(3, s.items());
        assertEquals(1, s.sessions());
        assertEquals(Map.of(EventType.VIEW, 3L, EventType.PURCHASE, 1L, EventType.SEARCH, 1L), s.perType());
        assertEquals(Instant.ofEpochMilli(500), s.first());
        assertEquals(Instant.ofEpochMilli(86_401_000), s.last());
        assertEquals(1, s.eventsPerUserQuantile(0));
        assertEquals(1, s.eventsPerUserQuantile(0.5));
        assertEquals(3, s.eventsPerUserQuantile(1));
        assertThrows(BadInputException.class, () -> s.eventsPerUserQuantile(0.3));
        String t = s.toString();
        assertTrue(t.contains("dataset toy"), t);
        assertTrue(t.contains("PURCHASE"), t);
        assertTrue(t.contains("median 1"), t);
        assertTrue(t.contains("1970-01-01T00:00:00.500Z"), t);
    }

    @Test
    void emptyInput() {
        DatasetStats s = DatasetStats.of(List.of());
        assertEquals(0, s.events());
        assertNull(s.first());
        assertTrue(s.toString().contains("events"), s.toString());
    }
}
