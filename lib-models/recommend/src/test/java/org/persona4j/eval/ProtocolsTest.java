package org.persona4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;

/** The split rules of each protocol. */
class ProtocolsTest {
    private static List<BehaviorEvent> seq(String user, String... items) {
        List<BehaviorEvent> l = new ArrayList<>();
        for (int i = 0; i < items.length; i++) {
            l.add(BehaviorEvent.of(user, items[i], EventType.PURCHASE, 1000L * i));
        }
        return l;
    }

    @Test
    void leaveOneOut() {
        List<BehaviorEvent> ev = new ArrayList<>(seq("u1", "a", "b", "c", "d"));
        ev.addAll(seq("u2", "x", "y"));
        ev.addAll(seq("u3", "z"));
        EvalSplit s = Protocols.leaveOneOut(ev);
        assertEquals(2, s.test().size());
        EvalCase c = s.test().get(0);
        assertEquals("u1", c.userId());
        assertEquals(List.of("d"), c.targets());
        assertEquals(3, c.input().size());
        assertEquals(List.of("c"), s.validation().get(0).targets());
        assertEquals(2, s.validation().get(0).input().size());
        assertEquals(1, s.validation().size(), "u2 has no validation case");
        // training holds everything but the test targets; u3 only trains
        assertEquals(3 + 1 + 1, s.train().size());
        assertFalse(s.train().stream().anyMatch(e -> e.itemId().equals("d") || e.itemId().equals("y")));
        assertFalse(s.trainForValidation().stream().anyMatch(e -> e.itemId().equals("c")));
        assertEquals(7, s.itemCount());
    }

    @Test
    void temporal() {
        List<BehaviorEvent> ev = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            ev.add(BehaviorEvent.of("u", "i" + t, EventType.VIEW, t * 1000L));
        }
        EvalSplit s = Protocols.temporal(ev, 0.2);
        assertEquals(1, s.test().size());
        EvalCase c = s.test().get(0);
        assertTrue(s.train().stream().allMatch(e -> e.timestampMillis() <= 7000));
        assertEquals(List.of("i8", "i9"), c.targets());
        assertThrows(BadInputException.class, () -> Protocols.temporal(ev, 1.0));
    }

    @Test
    void sessionSplitPredictsTheLastItemOfLaterSessions() {
        List<BehaviorEvent> ev = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            for (int i = 0; i < 3; i++) {
                ev.add(BehaviorEvent.builder("anon" + s, "i" + ((s + i) % 4), EventType.VIEW, s * 100_000L + i).session("s" + s).build());
            }
        }
        EvalSplit s = Protocols.session(ev, 0.2, 30);
        assertEquals(2, s.test().size());
        assertEquals("anon8", s.test().get(0).userId());
        assertEquals(2, s.test().get(0).input().size());
        assertEquals(List.of("i2"), s.test().get(0).targets());
        assertEquals(24, s.train().size());
    }

    @Test
    void unknownProtocolListsTheKnownOnes() {
        BadInputException e = assertThrows(BadInputException.class, () -> Protocols.split("random", List.of()));
        assertTrue(e.getMessage().contains("loo") && e.getMessage().contains("session"), e.getMessage());
    }
}
