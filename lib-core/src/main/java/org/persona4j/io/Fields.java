package org.persona4j.io;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.persona4j.core.EventRules;
import org.persona4j.core.EventType;

/**
 * Allocation-free parsing of numbers, timestamps and event types straight from the bytes of a
 * field; every failure is a {@link RowError} that names the column and what was expected.
 */
final class Fields {
    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
        1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    private Fields() {
    }

    /** @return the field's text for an error message: quoted, shortened, control characters escaped ({@link EventRules#snippet(byte[], int, int)}) */
    static String show(byte[] b, int s, int e) {
        return EventRules.snippet(b, s, e);
    }

    private static int trimStart(byte[] b, int s, int e) {
        while (s < e && (b[s] == ' ' || b[s] == '\t')) {
            s++;
        }
        return s;
    }

    private static int trimEnd(byte[] b, int s, int e) {
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
            e--;
        }
        return e;
    }

    /**
     * A signed decimal integer.
     *
     * @throws RowError "not an integer"
     */
    static long parseLong(byte[] b, int s0, int e0, String field) {
        int s = trimStart(b, s0, e0);
        int e = trimEnd(b, s, e0);
        int p = s;
        boolean neg = false;
        if (p < e && (b[p] == '-' || b[p] == '+')) {
            neg = b[p] == '-';
            p++;
        }
        if (p >= e) {
            throw notInteger(b, s0, e0, field);
        }
        if (e - p > 18) {
            for (int q = p; q < e; q++) {
                if (b[q] < '0' || b[q] > '9') {
                    throw notInteger(b, s0, e0, field);
                }
            }
            throw new RowError(field, "out of range", "expected an integer of at most 18 digits, was " + show(b, s0, e0));
        }
        long v = 0;
        for (; p < e; p++) {
            int d = b[p] - '0';
            if (d < 0 || d > 9) {
                throw notInteger(b, s0, e0, field);
            }
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    private static RowError notInteger(byte[] b, int s, int e, String field) {
        return new RowError(field, s == e ? "empty" : "not an integer",
                s == e ? "expected an integer, the cell is empty" : "expected an integer, was " + show(b, s, e));
    }

    /**
     * A finite decimal number (fast path for plain decimals, the JDK parser otherwise).
     *
     * @throws RowError "not a number"
     */
    static double parseDouble(byte[] b, int s0, int e0, String field) {
        int s = trimStart(b, s0, e0);
        int e = trimEnd(b, s, e0);
        int p = s;
        boolean neg = false;
        if (p < e && (b[p] == '-' || b[p] == '+')) {
            neg = b[p] == '-';
            p++;
        }
        long mant = 0;
        int digits = 0;
        int frac = 0;
        boolean dot = false;
        boolean simple = p < e;
        for (; p < e; p++) {
            byte c = b[p];
            if (c >= '0' && c <= '9') {
                mant = mant * 10 + (c - '0');
                if (++digits > 15) {
                    simple = false;
                    break;
                }
                if (dot) {
                    frac++;
                }
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                simple = false;
                break;
            }
        }
        if (simple && digits > 0) {
            double v = frac == 0 ? mant : mant / POW10[frac];
            return neg ? -v : v;
        }
        if (s == e) {
            throw new RowError(field, "empty", "expected a number, the cell is empty");
        }
        try {
            double v = Double.parseDouble(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new RowError(field, "not a number", "expected a finite number, was " + show(b, s0, e0));
    }

    /**
     * Seconds since the epoch, possibly with a fraction, as milliseconds.
     *
     * @throws RowError "bad timestamp"
     */
    static long secondsToMillis(byte[] b, int s, int e, String field) {
        double v;
        try {
            v = parseDouble(b, s, e, field);
        } catch (RowError x) {
            throw new RowError(field, "bad timestamp", "expected Unix seconds, was " + show(b, s, e));
        }
        if (!(v >= 0 && v <= MAX_MILLIS / 1000.0)) {
            return checkTime(v < 0 ? -1 : Long.MAX_VALUE, b, s, e, field);
        }
        return checkTime(Math.round(v * 1000.0), b, s, e, field);
    }

    /**
     * Milliseconds since the epoch (integer or decimal), or an ISO-8601 instant, offset date-time,
     * local date-time (read as UTC) or date (midnight UTC).
     *
     * @throws RowError "bad timestamp"
     */
    static long epochMillisOrIso(byte[] b, int s0, int e0, String field) {
        return epochOrIso(b, s0, e0, field, false);
    }

    /**
     * Like {@link #epochMillisOrIso} but, when {@code seconds}, a number is Unix seconds.
     *
     * @throws RowError "bad timestamp"
     */
    static long epochOrIso(byte[] b, int s0, int e0, String field, boolean seconds) {
        // fast path: plain epoch milliseconds, one pass
        int len = e0 - s0;
        if (len > 0 && len <= 18) {
            long v = 0;
            int p = s0;
            for (; p < e0; p++) {
                int d = b[p] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                v = v * 10 + d;
            }
            if (p == e0) {
                if (seconds) {
                    return checkTime(v > MAX_MILLIS / 1000 ? Long.MAX_VALUE : v * 1000, b, s0, e0, field);
                }
                return checkTime(v, b, s0, e0, field);
            }
        }
        int s = trimStart(b, s0, e0);
        int e = trimEnd(b, s, e0);
        if (s == e) {
            throw new RowError(field, "empty", "expected epoch milliseconds or an ISO-8601 instant, the cell is empty");
        }
        boolean numeric = true;
        for (int p = s; p < e; p++) {
            byte c = b[p];
            if ((c < '0' || c > '9') && c != '.' && !(p == s && (c == '-' || c == '+'))) {
                numeric = false;
                break;
            }
        }
        if (numeric && seconds) {
            return secondsToMillis(b, s, e, field);
        }
        if (numeric) {
            long v;
            try {
                v = e - s <= 18 && indexOf(b, s, e, (byte) '.') < 0 ? parseLong(b, s, e, field)
                        : Math.round(parseDouble(b, s, e, field));
            } catch (RowError x) {
                throw badTime(b, s0, e0, field, false);
            }
            return checkTime(v, b, s0, e0, field);
        }
        long v = EventRules.parseIsoMillis(new String(b, s, e - s, StandardCharsets.UTF_8));
        if (v == Long.MIN_VALUE) {
            throw badTime(b, s0, e0, field, seconds);
        }
        return checkTime(v, b, s0, e0, field);
    }

    private static RowError badTime(byte[] b, int s, int e, String field, boolean seconds) {
        return new RowError(field, "bad timestamp", "expected " + (seconds ? "Unix seconds" : "epoch milliseconds")
                + " or an ISO-8601 instant (2026-11-22T10:00:00Z), was " + show(b, s, e));
    }

    /** The last millisecond of the year 9999 ({@link EventRules#MAX_TIMESTAMP_MILLIS}). */
    static final long MAX_MILLIS = EventRules.MAX_TIMESTAMP_MILLIS;

    /**
     * Applies {@link EventRules#checkTimestamp} to a parsed time, showing the raw cell on failure.
     *
     * @throws RowError "negative timestamp" or "timestamp out of range"
     */
    static long checkTime(long v, byte[] b, int s, int e, String field) {
        EventRules.Violation x = EventRules.checkTimestamp(field, v);
        if (x != null) {
            throw rowError(x.withFound(show(b, s, e)));
        }
        return v;
    }

    /**
     * @param v a rule violation, or null
     * @throws RowError with the violation's field, kind and reason when not null
     */
    static void require(EventRules.Violation v) {
        if (v != null) {
            throw rowError(v);
        }
    }

    /** @return the rule violation as a row error (same field, kind and reason) */
    static RowError rowError(EventRules.Violation v) {
        return new RowError(v.field(), v.kind(), v.reason());
    }

    static int indexOf(byte[] b, int s, int e, byte c) {
        for (int p = s; p < e; p++) {
            if (b[p] == c) {
                return p;
            }
        }
        return -1;
    }

    /** @return true when the field holds only spaces or nothing */
    static boolean isBlank(byte[] b, int s, int e) {
        return trimStart(b, s, e) == e;
    }

    /** A few recently seen event-type spellings, matched on bytes. Not thread-safe. */
    static final class TypeCache {
        private final byte[][] keys = new byte[32][];
        private final EventType[] types = new EventType[32];
        private final byte[][] slotKeys = new byte[64][];
        private final EventType[] slotTypes = new EventType[64];
        private int n;

        private static int slot(byte[] b, int s, int e) {
            return e == s ? 0 : ((e - s) * 31 + b[s] * 7 + b[e - 1]) & 63;
        }

        EventType parse(byte[] b, int s, int e, String field) {
            int h = slot(b, s, e);
            byte[] k0 = slotKeys[h];
            if (k0 != null && Arrays.equals(k0, 0, k0.length, b, s, e)) {
                return slotTypes[h];
            }
            for (int i = 0; i < n; i++) {
                byte[] k = keys[i];
                if (Arrays.equals(k, 0, k.length, b, s, e)) {
                    return types[i];
                }
            }
            EventType t = EventType.parseOrNull(new String(b, s, e - s, StandardCharsets.UTF_8));
            if (t == null) {
                throw new RowError(field, s == e ? "empty" : "unknown event type",
                        "expected one of " + Arrays.toString(EventType.values())
                                + " or an alias (pv, cart, buy, fav, ...), was " + show(b, s, e));
            }
            if (n < keys.length) {
                keys[n] = Arrays.copyOfRange(b, s, e);
                types[n++] = t;
                if (slotKeys[h] == null) {
                    slotKeys[h] = keys[n - 1];
                    slotTypes[h] = t;
                }
            }
            return t;
        }
    }
}
