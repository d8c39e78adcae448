package org.persona4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.ModelFormatException;

class EventLogCodecTest {
    private static final List<BehaviorEvent> EVENTS = List.of(
            BehaviorEvent.builder("u", null, EventType.SEARCH, 1000).query("红色 口红 lipstick").session("s1").build(),
            BehaviorEvent.builder("u", "i1", EventType.VIEW, 2000).dwellMillis(3500).session("s1").build(),
            BehaviorEvent.builder("u", "i1", EventType.PURCHASE, 3000).price(19.9).quantity(2).build(),
            BehaviorEvent.builder("u", "i1", EventType.REVIEW, 4000).rating(4.5).reviewText("很好, \"great\"").build());

    @Test
    void roundTripsEveryField() {
        byte[] bytes = EventLogCodec.encode(EVENTS, 42);
        EventLogCodec.Log log = EventLogCodec.decode("u", bytes);
        assertEquals(EVENTS, log.events());
        assertEquals(42, log.totalEvents());
    }

    @Test
    void refusesCorruptTruncatedAndTooNewBytes() {
        byte[] bytes = EventLogCodec.encode(EVENTS, 4);
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] t = Arrays.copyOf(bytes, cut);
            assertThrows(ModelFormatException.class, () -> EventLogCodec.decode("u", t), "cut at " + cut);
        }
        byte[] newer = bytes.clone();
        newer[4] = 9;
        ModelFormatException ex = assertThrows(ModelFormatException.class, () -> EventLogCodec.decode("u", newer));
        assertTrue(ex.getMessage().contains("9"), ex.getMessage());
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 2_000; i++) {
            byte[] f = bytes.clone();
            f[r.nextInt(f.length)] ^= (byte) (1 + r.nextInt(255));
            try {
                EventLogCodec.decode("u", f);
            } catch (ModelFormatException expected) {
                // the only documented failure
            } catch (RuntimeException other) {
                throw new AssertionError("seed " + seed + ": undocumented " + other, other);
            }
        }
    }
}
