package org.persona4j.privacy;

import org.persona4j.core.UserAttributes;

/**
 * Log-safe renderings. Personal attributes never reach logs: log a {@link UserAttributes} (its own
 * {@code toString()} is already redacted) or wrap any personal value with {@link #redacted(Object)},
 * whose {@code toString()} shows only a placeholder. User ids in logs should be pseudonyms
 * ({@link Pseudonymizer}) or {@link #maskId(String) masked}.
 */
public final class Redaction {
    /** The placeholder printed instead of a personal value. */
    public static final String PLACEHOLDER = "(redacted)";

    private Redaction() {
    }

    /**
     * Wraps a value for logging: {@code toString()} shows {@value #PLACEHOLDER}, never the value.
     *
     * @param value the personal value (may be null)
     * @return a log-safe wrapper
     */
    public static Object redacted(Object value) {
        return new Redacted(value == null ? "null" : value.getClass().getSimpleName());
    }

    /**
     * Masks an id for logs, keeping the first and last character and the length:
     * {@code "alice@example.com"} → {@code "a***************m (17 chars)"}. Ids of up to 4
     * characters are masked entirely.
     *
     * @param id the id, may be null
     * @return the masked id
     */
    public static String maskId(String id) {
        if (id == null) {
            return "null";
        }
        int n = id.codePointCount(0, id.length());
        if (n <= 4) {
            return "*".repeat(n) + " (" + n + " chars)";
        }
        int first = id.codePointAt(0);
        int last = id.codePointBefore(id.length());
        return new StringBuilder().appendCodePoint(first).append("*".repeat(n - 2)).appendCodePoint(last)
                .append(" (").append(n).append(" chars)").toString();
    }

    /**
     * @param attributes declared user attributes, may be null
     * @return a rendering that names the user id and the number of fields only
     */
    public static String describe(UserAttributes attributes) {
        return String.valueOf(attributes);
    }

    private static final class Redacted {
        private final String kind;

        Redacted(String kind) {
            this.kind = kind;
        }

        @Override
        public String toString() {
            return PLACEHOLDER + "<" + kind + ">";
        }
    }
}
