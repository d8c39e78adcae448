package org.persona4j.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The one set of rules every {@link BehaviorEvent} obeys, whatever its entry point: the file
 * readers ({@code org.persona4j.io}), the HTTP service's JSON mapping, and code that builds events
 * directly ({@link BehaviorEvent.Builder#build()} checks every field through this class). Stateless
 * and thread-safe.
 *
 * <table>
 * <caption>The rules</caption>
 * <tr><th>field</th><th>rule</th></tr>
 * <tr><td>timestamp</td><td>epoch milliseconds from {@value #MIN_TIMESTAMP_MILLIS}
 *     (1970-01-01T00:00:00Z) to {@value #MAX_TIMESTAMP_MILLIS} (9999-12-31T23:59:59.999Z), both
 *     included: earlier or later values are wrong units or garbage, and staying inside four-digit
 *     years keeps every timestamp printable as ISO-8601 and safe from overflow in arithmetic</td></tr>
 * <tr><td>quantity</td><td>a whole number from {@value #MIN_QUANTITY} to {@value #MAX_QUANTITY}
 *     (checked exactly: 0.5, 1e20 or 4294967297 are refused, never cast)</td></tr>
 * <tr><td>dwell time</td><td>whole milliseconds from 0 to {@value #MAX_DWELL_MILLIS} (365 days)</td></tr>
 * <tr><td>rating, price</td><td>finite and {@code >= 0} (NaN only as "absent" inside the builder)</td></tr>
 * <tr><td>user, item, session ids</td><td>no control characters (U+0000-U+001F, U+007F-U+009F),
 *     besides {@link Ids}' rules (not blank, at most {@link Ids#maxIdBytes()} UTF-8 bytes)</td></tr>
 * </table>
 *
 * <p>The {@code check*} methods return null or the {@link Violation}, so a reader can count it
 * without an exception; the conversions ({@link #timestampMillis(String, BigDecimal)},
 * {@link #quantity(String, BigDecimal)}, {@link #dwellMillis(String, BigDecimal)}) turn a decimal
 * (a JSON number) into the field's type exactly or raise {@link BadInputException}. Values echoed
 * in messages go through {@link #snippet(CharSequence)}: cut to {@value #SNIPPET_CHARS} characters,
 * control characters escaped, so no input can flood a log or drive a terminal.
 */
public final class EventRules {
    /** The earliest timestamp: 1970-01-01T00:00:00Z. */
    public static final long MIN_TIMESTAMP_MILLIS = 0L;
    /** The latest timestamp: 9999-12-31T23:59:59.999Z. */
    public static final long MAX_TIMESTAMP_MILLIS = 253_402_300_799_999L;
    /** The smallest quantity. */
    public static final int MIN_QUANTITY = 1;
    /** The largest quantity. */
    public static final int MAX_QUANTITY = Integer.MAX_VALUE;
    /** The longest dwell time: 365 days in milliseconds. */
    public static final long MAX_DWELL_MILLIS = 365L * 86_400_000L;
    /** How many characters of a value messages echo. */
    public static final int SNIPPET_CHARS = 80;

    private static final String TIME_RANGE = "a time from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z (epoch milliseconds "
            + MIN_TIMESTAMP_MILLIS + " to " + MAX_TIMESTAMP_MILLIS + ")";
    private static final BigDecimal MAX_TS = BigDecimal.valueOf(MAX_TIMESTAMP_MILLIS);

    private EventRules() {
    }

    /**
     * A broken rule.
     *
     * @param field the field ("timestamp", "quantity", or the file's column name)
     * @param kind a short, stable category for counts ("timestamp out of range", "out of range")
     * @param expected what the rule wants ("a whole number from 1 to 2147483647")
     * @param found the value found, already shortened and escaped for messages
     */
    public record Violation(String field, String kind, String expected, String found) {
        /** @return "expected ..., was ..." */
        public String reason() {
            return "expected " + expected + ", was " + found;
        }

        /** @return the violation as an exception without a location ("field 'quantity': expected ..., was ...") */
        public BadInputException exception() {
            return new BadInputException(null, -1, field, reason());
        }

        /**
         * @param found the value to show instead (for example the raw cell of a file)
         * @return a copy showing that value
         */
        public Violation withFound(String found) {
            return new Violation(field, kind, expected, found);
        }
    }

    // ---- checks on typed values ------------------------------------------------------------------

    /**
     * @param field the field name for messages
     * @param millis epoch milliseconds
     * @return null when inside [{@value #MIN_TIMESTAMP_MILLIS}, {@value #MAX_TIMESTAMP_MILLIS}], else the violation
     */
    public static Violation checkTimestamp(String field, long millis) {
        if (millis < MIN_TIMESTAMP_MILLIS) {
            return new Violation(field, "negative timestamp", TIME_RANGE, Long.toString(millis));
        }
        if (millis > MAX_TIMESTAMP_MILLIS) {
            return new Violation(field, "timestamp out of range", TIME_RANGE, Long.toString(millis));
        }
        return null;
    }

    /**
     * @param field the field name for messages
     * @param quantity a quantity (a long, so that out-of-int values can be refused before any cast)
     * @return null when from {@value #MIN_QUANTITY} to {@value #MAX_QUANTITY}, else the violation
     */
    public static Violation checkQuantity(String field, long quantity) {
        if (quantity < MIN_QUANTITY || quantity > MAX_QUANTITY) {
            return new Violation(field, "out of range", "a whole number from " + MIN_QUANTITY + " to " + MAX_QUANTITY,
                    Long.toString(quantity));
        }
        return null;
    }

    /**
     * @param field the field name for messages
     * @param millis a dwell time
     * @return null when from 0 to {@value #MAX_DWELL_MILLIS}, else the violation
     */
    public static Violation checkDwellMillis(String field, long millis) {
        if (millis < 0 || millis > MAX_DWELL_MILLIS) {
            return new Violation(field, "out of range", "whole milliseconds from 0 to " + MAX_DWELL_MILLIS + " (365 days)",
                    Long.toString(millis));
        }
        return null;
    }

    /**
     * @param field the field name for messages
     * @param rating a rating
     * @return null when finite and {@code >= 0}, else the violation
     */
    public static Violation checkRating(String field, double rating) {
        return finiteNonNegative(field, rating, "a rating");
    }

    /**
     * @param field the field name for messages
     * @param price a unit price
     * @return null when finite and {@code >= 0}, else the violation
     */
    public static Violation checkPrice(String field, double price) {
        return finiteNonNegative(field, price, "a price");
    }

    private static Violation finiteNonNegative(String field, double v, String what) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return new Violation(field, "not a number", what + " that is a finite number >= 0", Double.toString(v));
        }
        if (v < 0) {
            return new Violation(field, "out of range", what + " >= 0", Double.toString(v));
        }
        return null;
    }

    /**
     * @param field the field name for messages
     * @param id an id (null passes: presence is checked elsewhere)
     * @return null when it holds no control character, else the violation
     */
    public static Violation checkId(String field, String id) {
        if (id == null) {
            return null;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                return new Violation(field, "control character", String.format("an id without control characters (found U+%04X at"
                        + " character %d)", (int) c, i + 1), snippet(id));
            }
        }
        return null;
    }

    /**
     * @param v a violation or null
     * @throws BadInputException when {@code v} is not null
     */
    public static void require(Violation v) {
        if (v != null) {
            throw v.exception();
        }
    }

    // ---- exact conversions -----------------------------------------------------------------------

    /**
     * Epoch milliseconds from a decimal, rounded half-up to the millisecond, within the range.
     *
     * @param field the field name for messages
     * @param v the number
     * @return the milliseconds
     * @throws BadInputException when outside the range (the value is never cast or wrapped)
     */
    public static long timestampMillis(String field, BigDecimal v) {
        BigDecimal r = v.setScale(0, RoundingMode.HALF_UP);
        if (r.signum() < 0) {
            throw new Violation(field, "negative timestamp", TIME_RANGE, snippet(v.toString())).exception();
        }
        if (r.compareTo(MAX_TS) > 0) {
            throw new Violation(field, "timestamp out of range", TIME_RANGE, snippet(v.toString())).exception();
        }
        return r.longValueExact();
    }

    /**
     * @param field the field name for messages
     * @param v the number
     * @return the quantity
     * @throws BadInputException unless a whole number from {@value #MIN_QUANTITY} to {@value #MAX_QUANTITY}
     */
    public static int quantity(String field, BigDecimal v) {
        String expected = "a whole number from " + MIN_QUANTITY + " to " + MAX_QUANTITY;
        long n = whole(field, v, MIN_QUANTITY, MAX_QUANTITY, expected);
        return (int) n;
    }

    /**
     * @param field the field name for messages
     * @param v the number
     * @return the dwell time in milliseconds
     * @throws BadInputException unless a whole number from 0 to {@value #MAX_DWELL_MILLIS}
     */
    public static long dwellMillis(String field, BigDecimal v) {
        return whole(field, v, 0, MAX_DWELL_MILLIS, "whole milliseconds from 0 to " + MAX_DWELL_MILLIS + " (365 days)");
    }

    private static long whole(String field, BigDecimal v, long min, long max, String expected) {
        BigDecimal s = v.stripTrailingZeros();
        if (s.scale() > 0) {
            throw new Violation(field, "not an integer", expected, snippet(v.toString())).exception();
        }
        if (s.compareTo(BigDecimal.valueOf(min)) < 0 || s.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new Violation(field, "out of range", expected, snippet(v.toString())).exception();
        }
        return s.longValueExact();
    }

    /**
     * Parses the ISO-8601 forms every entry point accepts: an instant ({@code 2026-11-22T10:00:00Z}),
     * an offset date-time ({@code 2026-11-22T18:00:00+08:00}), a local date-time (read as UTC) or a
     * date (midnight UTC). The range is not checked here; use {@link #checkTimestamp}.
     *
     * @param text the text, trimmed
     * @return epoch milliseconds, or {@link Long#MIN_VALUE} when the text is none of these forms or
     *     beyond what a long can hold
     */
    public static long parseIsoMillis(String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeException | ArithmeticException x1) {
            // next form
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeException | ArithmeticException x2) {
            // next form
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeException | ArithmeticException x3) {
            // next form
        }
        try {
            return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeException | ArithmeticException x4) {
            return Long.MIN_VALUE;
        }
    }

    // ---- echoing input safely --------------------------------------------------------------------

    /**
     * A value as messages and logs show it: in double quotes, at most {@value #SNIPPET_CHARS}
     * characters followed by {@code "... (N chars)"} when longer, and every control character
     * (C0, DEL, C1: ESC, CR, NUL, ...) and bidirectional-override character written as
     * {@code \}{@code uXXXX}, so that input can neither flood a log nor drive a terminal.
     *
     * @param s the value, may be null
     * @return the quoted, safe form ({@code null} for null)
     */
    public static String snippet(CharSequence s) {
        if (s == null) {
            return "null";
        }
        int n = s.length();
        int end = Math.min(n, SNIPPET_CHARS);
        if (end < n && end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        StringBuilder sb = new StringBuilder(end + 24).append('"');
        escape(s, 0, end, sb);
        sb.append('"');
        if (end < n) {
            sb.append("... (").append(n).append(" chars)");
        }
        return sb.toString();
    }

    /**
     * Like {@link #snippet(CharSequence)} for raw bytes (a field of a file): decoded as UTF-8 with
     * invalid bytes shown as U+FFFD, and the total length given in bytes when cut.
     *
     * @param b the bytes
     * @param start the first byte
     * @param end one past the last byte
     * @return the quoted, safe form
     */
    public static String snippet(byte[] b, int start, int end) {
        int len = end - start;
        int take = Math.min(len, SNIPPET_CHARS * 4);
        String t = new String(b, start, take, StandardCharsets.UTF_8);
        int chars = Math.min(t.length(), SNIPPET_CHARS);
        if (chars < t.length() && chars > 0 && Character.isHighSurrogate(t.charAt(chars - 1))) {
            chars--;
        }
        boolean cut = chars < t.length() || take < len;
        StringBuilder sb = new StringBuilder(chars + 24).append('"');
        escape(t, 0, chars, sb);
        sb.append('"');
        if (cut) {
            sb.append("... (").append(len).append(" bytes)");
        }
        return sb.toString();
    }

    /**
     * Escapes without cutting: every character {@link #snippet(CharSequence)} escapes is written as
     * {@code \}{@code uXXXX}, the rest is kept.
     *
     * @param s a message or value, not null
     * @return the safe form (the same string when nothing needed escaping)
     */
    public static String escapeControls(String s) {
        int i = 0;
        while (i < s.length() && !unsafe(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        escape(s, i, s.length(), sb);
        return sb.toString();
    }

    /** @return true for the characters {@link #snippet} escapes */
    static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x2028 || c == 0x2029;
    }

    private static void escape(CharSequence s, int from, int to, StringBuilder sb) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (unsafe(c)) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
    }
}
