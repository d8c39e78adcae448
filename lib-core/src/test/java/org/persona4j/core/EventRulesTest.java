package org.persona4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@link EventRules}, and {@link BehaviorEvent.Builder#build()} applying them to directly built events. */
class EventRulesTest {
    private static BehaviorEvent.Builder view(long ts) {
        return BehaviorEvent.builder("u1", "i1", EventType.PURCHASE, ts);
    }

    private static BadInputException refused(String field, Executable ex) {
        BadInputException e = assertThrows(BadInputException.class, ex);
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.reason().startsWith("expected "), e.getMessage());
        return e;
    }

    @Test
    void timestampRangeIs1970To9999() {
        assertEquals(0, view(0).build().timestampMillis());
        assertEquals(EventRules.MAX_TIMESTAMP_MILLIS, view(EventRules.MAX_TIMESTAMP_MILLIS).build().timestampMillis());
        assertEquals(Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli(), EventRules.MAX_TIMESTAMP_MILLIS);
        BadInputException e = refused("timestamp", () -> view(Long.MAX_VALUE).build());
        assertTrue(e.reason().contains("9999-12-31T23:59:59.999Z"), e.reason());
        assertTrue(e.reason().contains("9223372036854775807"), e.reason());
        refused("timestamp", () -> view(EventRules.MAX_TIMESTAMP_MILLIS + 1).build());
        refused("timestamp", () -> view(-1).build());
        refused("timestamp", () -> view(EventRules.parseIsoMillis("+10000-01-01T00:00:00Z")).build());
    }

    @Test
    void timestampFromDecimalNeverWraps() {
        refused("timestamp", () -> EventRules.timestampMillis("timestamp", new BigDecimal("99999999999999999999999")));
        refused("timestamp", () -> EventRules.timestampMillis("timestamp", new BigDecimal("9223372036854775807")));
        refused("timestamp", () -> EventRules.timestampMillis("timestamp", new BigDecimal("-0.6")));
        assertEquals(2, EventRules.timestampMillis("timestamp", new BigDecimal("1.5")));
        assertEquals(1_763_805_600_000L, EventRules.timestampMillis("timestamp", new BigDecimal("1763805600000")));
    }

    @Test
    void isoFormsAreParsedTheSameEverywhere() {
        long t = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();
        assertEquals(t, EventRules.parseIsoMillis("2026-11-22T10:00:00Z"));
        assertEquals(t, EventRules.parseIsoMillis("2026-11-22T18:00:00+08:00"));
        assertEquals(t, EventRules.parseIsoMillis("2026-11-22T10:00:00"));
        assertEquals(t - 36_000_000L, EventRules.parseIsoMillis("2026-11-22"));
        assertEquals(Long.MIN_VALUE, EventRules.parseIsoMillis("yesterday"));
        assertEquals(Long.MIN_VALUE, EventRules.parseIsoMillis("+1000000000-01-01T00:00:00Z"));
        assertTrue(EventRules.parseIsoMillis("+10000-01-01T00:00:00Z") > EventRules.MAX_TIMESTAMP_MILLIS);
    }

    @Test
    void quantityIsAWholeNumberInIntRangeCheckedExactly() {
        assertEquals(3, view(1).quantity(3).build().quantity().getAsInt());
        refused("quantity", () -> view(1).quantity(-2).build());
        assertEquals(Integer.MAX_VALUE, EventRules.quantity("quantity", new BigDecimal("2147483647")));
        assertEquals(2, EventRules.quantity("quantity", new BigDecimal("2.000")));
        for (String bad : new String[] {"1e20", "0.5", "4294967297", "0", "-1", "2147483648", "1.0000001"}) {
            BadInputException e = refused("quantity", () -> EventRules.quantity("quantity", new BigDecimal(bad)));
            assertTrue(e.reason().contains("a whole number from 1 to 2147483647"), e.reason());
        }
        assertTrue(EventRules.checkQuantity("q", 4_294_967_297L) != null);
    }

    @Test
    void dwellIsWholeMillisecondsFromZeroTo365Days() {
        assertEquals(0, view(1).dwellMillis(0).build().dwellMillis().getAsLong());
        assertTrue(view(1).dwellMillis(-1).build().dwellMillis().isEmpty(), "-1 means absent in the builder");
        refused("dwellMillis", () -> view(1).dwellMillis(-2).build());
        refused("dwellMillis", () -> view(1).dwellMillis(Long.MAX_VALUE).build());
        for (String bad : new String[] {"-1", "0.5", "1e300", "99999999999999999999", "31536000001"}) {
            refused("dwellMs", () -> EventRules.dwellMillis("dwellMs", new BigDecimal(bad)));
        }
        assertEquals(EventRules.MAX_DWELL_MILLIS, EventRules.dwellMillis("dwellMs", new BigDecimal("31536000000")));
    }

    @Test
    void ratingAndPriceAreFiniteAndNonNegative() {
        for (double bad : new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.01}) {
            refused("rating", () -> view(1).rating(bad).build());
            refused("price", () -> view(1).price(bad).build());
        }
        assertTrue(EventRules.checkPrice("price", Double.NaN) != null, "NaN is a value only the builder reads as absent");
        assertTrue(EventRules.checkRating("rating", Double.NaN) != null);
        assertTrue(view(1).price(Double.NaN).build().price().isEmpty());
        assertNull(EventRules.checkPrice("price", 0));
    }

    @Test
    void idsWithControlCharactersAreRefusedAndEchoedEscaped() {
        BadInputException e = refused("userId", () -> BehaviorEvent.of("u\u001b[31mred", "i1", EventType.VIEW, 1));
        assertFalse(e.getMessage().contains("\u001b"), e.getMessage());
        assertTrue(e.getMessage().contains("\\u001B[31mred"), e.getMessage());
        refused("itemId", () -> BehaviorEvent.of("u1", "i\u0000", EventType.VIEW, 1));
        refused("sessionId", () -> view(1).session("s\n1").build());
        refused("itemId", () -> BehaviorEvent.of("u1", "i\u009b", EventType.VIEW, 1));
        assertEquals("caf\u00e9 \u4e2d", BehaviorEvent.of("caf\u00e9 \u4e2d", "i1", EventType.VIEW, 1).userId());
    }

    @Test
    void snippetsAreCutAndEscaped() {
        String big = "x".repeat(10 << 20);
        String s = EventRules.snippet(big);
        assertTrue(s.length() < 120, s);
        assertTrue(s.endsWith("... (10485760 chars)"), s);
        assertEquals("\"a\\u001B[2Jb\\u0007\\u202E\"", EventRules.snippet("a\u001b[2Jb\u0007\u202e"));
        byte[] bytes = ("\u001b]0;title\u0007" + "y".repeat(1000)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String b = EventRules.snippet(bytes, 0, bytes.length);
        assertFalse(b.chars().anyMatch(c -> c < 0x20), b);
        assertTrue(b.endsWith("(" + bytes.length + " bytes)"), b);
        assertEquals("ok", EventRules.escapeControls("ok"));
        assertEquals("a\\u000Ab", EventRules.escapeControls("a\nb"));
        assertEquals("\"\ud83d\ude00\"", EventRules.snippet("\ud83d\ude00"));
    }
}
