package org.persona4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one id-length limit ({@link Ids}): enforced on user, item and session ids in UTF-8 bytes. */
class IdLengthTest {
    private static final int MAX = Ids.maxIdBytes();

    @Test
    void defaultIsOneKibibyte() {
        assertEquals(Ids.DEFAULT_MAX_ID_BYTES, MAX, "the test JVM sets no " + Ids.PROPERTY);
        assertEquals(1024, Ids.DEFAULT_MAX_ID_BYTES);
    }

    @Test
    void idsAtTheLimitPassAndLongerOnesAreRefusedNamingFieldAndLimit() {
        String ok = "u".repeat(MAX);
        assertEquals(ok, BehaviorEvent.of(ok, ok, EventType.VIEW, 1L).userId());
        assertEquals(ok, BehaviorEvent.builder("u", "i", EventType.VIEW, 1L).session(ok).build().sessionId().orElseThrow());
        String tooLong = "u".repeat(MAX + 1);
        BadInputException e = assertThrows(BadInputException.class, () -> BehaviorEvent.of(tooLong, "i", EventType.VIEW, 1L));
        assertTrue(e.getMessage().contains("'userId'") && e.getMessage().contains("at most " + MAX)
                && e.getMessage().contains(Ids.PROPERTY) && e.getMessage().length() < 300, e.getMessage());
        e = assertThrows(BadInputException.class, () -> BehaviorEvent.of("u", tooLong, EventType.VIEW, 1L));
        assertTrue(e.getMessage().contains("'itemId'"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> BehaviorEvent.builder("u", "i", EventType.VIEW, 1L).session(tooLong).build());
        assertTrue(e.getMessage().contains("'sessionId'"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> BehaviorEvent.of("u", "i", EventType.VIEW, 1L).withUser(tooLong));
        assertTrue(e.getMessage().contains("'userId'"), e.getMessage());
        // megabyte ids, as a hostile client might send
        String huge = "x".repeat(1 << 20);
        assertThrows(BadInputException.class, () -> BehaviorEvent.of(huge, "i", EventType.VIEW, 1L));
    }

    @Test
    void limitCountsUtf8BytesNotChars() {
        String euro = "\u20ac"; // 3 bytes in UTF-8
        String fits = euro.repeat(MAX / 3);
        BehaviorEvent.of(fits, "i", EventType.VIEW, 1L);
        String over = euro.repeat(MAX / 3 + 1);
        BadInputException e = assertThrows(BadInputException.class, () -> BehaviorEvent.of(over, "i", EventType.VIEW, 1L));
        assertTrue(e.getMessage().contains((MAX / 3 + 1) * 3 + " bytes"), e.getMessage());
        String emoji = "\uD83D\uDE00"; // 4 bytes, 2 chars
        assertEquals(4L * 10, Ids.utf8Length(emoji.repeat(10)));
        assertEquals(java.nio.charset.StandardCharsets.UTF_8.encode(emoji + "a\u00e9" + euro).remaining(),
                Ids.utf8Length(emoji + "a\u00e9" + euro));
    }

    @Test
    void itemsAndAttributesAreLimitedToo() {
        String tooLong = "i".repeat(MAX + 1);
        BadInputException e = assertThrows(BadInputException.class, () -> new Item(tooLong, null, null, Double.NaN, null, null, null));
        assertTrue(e.getMessage().contains("'id'"), e.getMessage());
        assertEquals("ab...", Ids.truncate("abcdef", 2));
    }
}
