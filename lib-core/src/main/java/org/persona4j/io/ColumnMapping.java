package org.persona4j.io;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.persona4j.core.BadInputException;

/**
 * Which header column of an {@code events-csv} file holds which event field. Immutable; start from
 * {@link #defaults()} and rename with {@link #with(Field, String)}. Header names are matched
 * case-insensitively, surrounding spaces ignored. A column absent from the header leaves an optional
 * field empty; a missing required column fails at the header line.
 */
public final class ColumnMapping {
    /** The event fields a column can feed, with their default column names. */
    public enum Field {
        /** The user id (required). */
        USER_ID("user_id", true),
        /** The item id (required, may be empty on SEARCH rows). */
        ITEM_ID("item_id", true),
        /** The event type (required). */
        EVENT_TYPE("event_type", true),
        /** Epoch milliseconds or ISO-8601 (required). */
        TIMESTAMP("timestamp", true),
        /** Session id. */
        SESSION_ID("session_id", false),
        /** Search query. */
        QUERY("query", false),
        /** Rating. */
        RATING("rating", false),
        /** Dwell time in milliseconds. */
        DWELL_MS("dwell_ms", false),
        /** Quantity. */
        QUANTITY("quantity", false),
        /** Unit price. */
        PRICE("price", false),
        /** Review text. */
        REVIEW_TEXT("review_text", false);

        private final String defaultColumn;
        private final boolean required;

        Field(String defaultColumn, boolean required) {
            this.defaultColumn = defaultColumn;
            this.required = required;
        }

        /** @return the column name used by {@link ColumnMapping#defaults()} */
        public String defaultColumn() {
            return defaultColumn;
        }

        /** @return true when the header must hold this field's column */
        public boolean required() {
            return required;
        }
    }

    private static final ColumnMapping DEFAULTS = new ColumnMapping(defaultMap());

    private final Map<Field, String> columns;

    private ColumnMapping(Map<Field, String> columns) {
        this.columns = Collections.unmodifiableMap(columns);
    }

    private static Map<Field, String> defaultMap() {
        Map<Field, String> m = new EnumMap<>(Field.class);
        for (Field f : Field.values()) {
            m.put(f, f.defaultColumn);
        }
        return m;
    }

    /** @return the generator's column names ({@code user_id, item_id, event_type, timestamp, ...}) */
    public static ColumnMapping defaults() {
        return DEFAULTS;
    }

    /**
     * @param field the event field
     * @param column the header column that holds it, not blank
     * @return a copy with that column
     * @throws BadInputException when an argument is null or blank, or the column already feeds another field
     */
    public ColumnMapping with(Field field, String column) {
        if (field == null) {
            throw new BadInputException("column mapping: field must not be null");
        }
        if (column == null || column.isBlank()) {
            throw new BadInputException("column mapping: column for " + field + " must not be blank, was "
                    + (column == null ? "null" : "\"" + column + "\""));
        }
        String key = normalize(column);
        for (Map.Entry<Field, String> e : columns.entrySet()) {
            if (e.getKey() != field && normalize(e.getValue()).equals(key)) {
                throw new BadInputException("column mapping: column \"" + column + "\" already feeds " + e.getKey()
                        + "; map " + e.getKey() + " elsewhere first");
            }
        }
        Map<Field, String> m = new EnumMap<>(columns);
        m.put(field, column.trim());
        return new ColumnMapping(m);
    }

    /**
     * Parses {@code field=column} pairs separated by commas, e.g. {@code user_id=visitor,timestamp=ts},
     * on top of the defaults. Field names are the {@link Field} names, case-insensitive.
     *
     * @param spec the pairs
     * @return the mapping
     * @throws BadInputException on an unknown field or a malformed pair
     */
    public static ColumnMapping parse(String spec) {
        ColumnMapping m = DEFAULTS;
        if (spec == null || spec.isBlank()) {
            return m;
        }
        for (String pair : spec.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("column mapping: expected field=column, was \"" + pair + "\"");
            }
            String name = pair.substring(0, eq).trim().toUpperCase(Locale.ROOT).replace('-', '_');
            Field f;
            try {
                f = Field.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("column mapping: unknown field \"" + pair.substring(0, eq).trim()
                        + "\", expected one of " + java.util.Arrays.toString(Field.values()));
            }
            m = m.with(f, pair.substring(eq + 1));
        }
        return m;
    }

    /**
     * @param field the event field
     * @return its column name
     */
    public String column(Field field) {
        return columns.get(field);
    }

    static String normalize(String column) {
        return column.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColumnMapping && ((ColumnMapping) o).columns.equals(columns);
    }

    @Override
    public int hashCode() {
        return columns.hashCode();
    }

    @Override
    public String toString() {
        return "ColumnMapping" + columns;
    }
}
