package org.persona4j.io;

/**
 * A bad record found by a parser: cheap (no stack trace), caught by the reader, which either raises
 * a {@link org.persona4j.core.BadInputException} (strict) or counts it (lenient).
 */
final class RowError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The column or field, or null for the whole record. */
    final String field;
    /** A short, stable category for the lenient counts ("not a number", "unknown event type"). */
    final String kind;
    /** The full reason: what was found and what was expected. */
    final String detail;

    RowError(String field, String kind, String detail) {
        super(detail, null, false, false);
        this.field = field;
        this.kind = kind;
        this.detail = detail;
    }

    /** @return the key under which lenient mode counts this error */
    String countKey() {
        return field == null ? kind : field + ": " + kind;
    }
}
