package org.persona4j.core;

import java.lang.System.Logger.Level;

/**
 * The one length limit on user, item and session ids, in UTF-8 bytes: {@value #DEFAULT_MAX_ID_BYTES}
 * unless the system property {@value #PROPERTY} names another (1 to {@value #HARD_MAX_ID_BYTES},
 * read once when this class is first used; an invalid value is logged at WARNING and the default
 * kept). {@link BehaviorEvent}, {@link Item}, {@link UserProfile} and {@link UserAttributes} refuse
 * longer ids with a {@link BadInputException} naming the field and the limit, so every reader, the
 * engine and the HTTP service refuse them the same way. The hard ceiling keeps every id storable
 * by the stores' {@code DataOutput.writeUTF}.
 */
public final class Ids {
    /** The system property that sets the limit. */
    public static final String PROPERTY = "persona4j.maxIdBytes";
    /** The default limit: 1 KiB of UTF-8. */
    public static final int DEFAULT_MAX_ID_BYTES = 1024;
    /**
     * The largest limit accepted: an id of this many UTF-8 bytes always fits
     * {@code DataOutput.writeUTF} (65,535 bytes of modified UTF-8, where a character may take up to
     * twice its UTF-8 size).
     */
    public static final int HARD_MAX_ID_BYTES = 32_767;
    private static final int MAX = readLimit();

    private Ids() {
    }

    /** @return the limit in force, in UTF-8 bytes */
    public static int maxIdBytes() {
        return MAX;
    }

    /**
     * Checks an id: present, not blank, at most {@link #maxIdBytes()} UTF-8 bytes.
     *
     * @param field the field name for the message ("userId")
     * @param value the id
     * @return the id
     * @throws BadInputException naming the field and what was expected
     */
    public static String require(String field, String value) {
        Checks.requireId(field, value);
        return requireLength(field, value);
    }

    /**
     * Checks only the length of an id (null passes).
     *
     * @param field the field name for the message
     * @param value the id, or null
     * @return the id
     * @throws BadInputException when it is longer than {@link #maxIdBytes()} UTF-8 bytes
     */
    public static String requireLength(String field, String value) {
        if (value != null && value.length() > MAX / 3) {
            long n = utf8Length(value);
            if (n > MAX) {
                throw new BadInputException("field '" + field + "': id is " + n + " bytes in UTF-8, expected at most "
                        + MAX + " (" + PROPERTY + "), starts with \"" + truncate(value, 32) + "\"");
            }
        }
        return value;
    }

    /**
     * @param s a string
     * @param chars the most characters to keep
     * @return the string, cut to {@code chars} characters with "..." appended when longer (for logs)
     */
    public static String truncate(String s, int chars) {
        if (s == null || s.length() <= chars) {
            return s;
        }
        int end = chars;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "...";
    }

    /** @return the string's length in UTF-8 bytes (unpaired surrogates count as '?', as the encoder writes them) */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static int readLimit() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT_MAX_ID_BYTES;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= HARD_MAX_ID_BYTES) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // logged below
        }
        System.getLogger(Ids.class.getName()).log(Level.WARNING, "system property " + PROPERTY + "=\"" + v
                + "\": expected an integer from 1 to " + HARD_MAX_ID_BYTES + "; using " + DEFAULT_MAX_ID_BYTES);
        return DEFAULT_MAX_ID_BYTES;
    }
}
