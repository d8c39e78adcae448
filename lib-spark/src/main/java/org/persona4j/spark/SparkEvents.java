package org.persona4j.spark;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventRules;
import org.persona4j.core.EventType;
import org.persona4j.io.ColumnMapping;
import org.persona4j.io.ColumnMapping.Field;

/**
 * Events from any Spark source: a DataFrame (Parquet, CSV, JSON, a table) becomes validated
 * persona4j events through a {@link ColumnMapping}, the same mapping the {@code events-csv} reader
 * uses ({@code user_id, item_id, event_type, timestamp, session_id, query, rating, dwell_ms,
 * quantity, price, review_text} by default, matched case-insensitively). Every row is checked by
 * building a {@link BehaviorEvent} from it inside {@code mapPartitions}, so the rules are exactly
 * the single-JVM ones; a row that fails goes to the quarantine with the raw row (as JSON), the
 * field and the reason, and is counted. No row is dropped silently.
 *
 * <p>Cell types: ids and texts may be strings or numbers; the event type a name or alias
 * ({@link EventType#parse}); the timestamp epoch milliseconds (an integral number, or a string of
 * digits), a Spark timestamp or date, or an ISO-8601 string; numbers may be numeric columns or
 * strings. An absent optional column leaves the field empty; an absent required column fails at
 * once, on the driver, naming the column and the columns the DataFrame has.
 *
 * <pre>{@code
 * SparkEvents.Result r = SparkEvents.read(spark.read().parquet("s3://shop/events"), ColumnMapping.parse("user_id=visitor"));
 * r.quarantine().write().parquet("s3://shop/quarantine");
 * Dataset<Row> events = r.events();          // EVENT_SCHEMA, one row per valid event
 * }</pre>
 */
public final class SparkEvents {
    /** Column of {@link #EVENT_SCHEMA}: the user id. */
    public static final String USER_ID = "user_id";
    /** Column: the item id (null only for SEARCH events). */
    public static final String ITEM_ID = "item_id";
    /** Column: the event type, an {@link EventType} name. */
    public static final String EVENT_TYPE = "event_type";
    /** Column: epoch milliseconds. */
    public static final String TIMESTAMP = "timestamp";
    /** Column: the session id, or null. */
    public static final String SESSION_ID = "session_id";
    /** Column: the search query, or null. */
    public static final String QUERY = "query";
    /** Column: the rating, or null. */
    public static final String RATING = "rating";
    /** Column: dwell time in milliseconds, or null. */
    public static final String DWELL_MS = "dwell_ms";
    /** Column: the quantity, or null. */
    public static final String QUANTITY = "quantity";
    /** Column: the unit price, or null. */
    public static final String PRICE = "price";
    /** Column: the review text, or null. */
    public static final String REVIEW_TEXT = "review_text";

    /**
     * The schema of valid events: one row per {@link BehaviorEvent}, optional fields null when
     * absent ({@link #read} gives these columns, all declared nullable).
     */
    public static final StructType EVENT_SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField(USER_ID, DataTypes.StringType, false),
        DataTypes.createStructField(ITEM_ID, DataTypes.StringType, true),
        DataTypes.createStructField(EVENT_TYPE, DataTypes.StringType, false),
        DataTypes.createStructField(TIMESTAMP, DataTypes.LongType, false),
        DataTypes.createStructField(SESSION_ID, DataTypes.StringType, true),
        DataTypes.createStructField(QUERY, DataTypes.StringType, true),
        DataTypes.createStructField(RATING, DataTypes.DoubleType, true),
        DataTypes.createStructField(DWELL_MS, DataTypes.LongType, true),
        DataTypes.createStructField(QUANTITY, DataTypes.IntegerType, true),
        DataTypes.createStructField(PRICE, DataTypes.DoubleType, true),
        DataTypes.createStructField(REVIEW_TEXT, DataTypes.StringType, true),
    });

    /** Column of {@link #QUARANTINE_SCHEMA}: the input row as JSON. */
    public static final String RAW = "raw";
    /** Column of {@link #QUARANTINE_SCHEMA}: the event field that failed ({@code userId}, {@code price}, ...), or null. */
    public static final String FIELD = "field";
    /** Column of {@link #QUARANTINE_SCHEMA}: what was wrong and what was expected. */
    public static final String REASON = "reason";

    /** The schema of quarantined rows: the raw row as JSON, the field and the reason. */
    public static final StructType QUARANTINE_SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField(RAW, DataTypes.StringType, false),
        DataTypes.createStructField(FIELD, DataTypes.StringType, true),
        DataTypes.createStructField(REASON, DataTypes.StringType, false),
    });

    /** The field name of a row whose check failed without naming a field. */
    public static final String UNKNOWN_FIELD = "(row)";

    private static final String OK = "__p4j_ok";
    private static final int N = EVENT_SCHEMA.size();
    private static final StructType TAGGED = tagged();

    private SparkEvents() {
    }

    private static StructType tagged() {
        StructType t = new StructType();
        for (StructField f : EVENT_SCHEMA.fields()) {
            t = t.add(f.name(), f.dataType(), true);
        }
        return t.add(OK, DataTypes.BooleanType, false).add(RAW, DataTypes.StringType, true)
                .add(FIELD, DataTypes.StringType, true).add(REASON, DataTypes.StringType, true);
    }

    /**
     * The outcome of {@link #read}: the valid events and the quarantine, both lazy Datasets over
     * one persisted pass (call {@link #unpersist()} when done with both).
     *
     * @param events valid events, {@link #EVENT_SCHEMA}
     * @param quarantine rejected rows, {@link #QUARANTINE_SCHEMA}
     * @param tagged the persisted pass both are filtered from
     */
    public record Result(Dataset<Row> events, Dataset<Row> quarantine, Dataset<Row> tagged) {
        /** @return the number of valid events (runs a job) */
        public long validCount() {
            return events.count();
        }

        /** @return the number of quarantined rows (runs a job) */
        public long quarantinedCount() {
            return quarantine.count();
        }

        /**
         * @return quarantined rows per field ({@link #UNKNOWN_FIELD} when the check named none), sorted by field (runs a job)
         */
        public Map<String, Long> quarantinedByField() {
            Map<String, Long> out = new TreeMap<>();
            for (Row r : quarantine.groupBy(FIELD).count().collectAsList()) {
                out.put(r.isNullAt(0) ? UNKNOWN_FIELD : r.getString(0), r.getLong(1));
            }
            return out;
        }

        /** Releases the persisted pass. */
        public void unpersist() {
            tagged.unpersist();
        }
    }

    /**
     * Maps and validates a DataFrame with the default column names.
     *
     * @param input the raw rows
     * @return valid events and the quarantine
     * @throws BadInputException when a required column is missing
     */
    public static Result read(Dataset<Row> input) {
        return read(input, ColumnMapping.defaults());
    }

    /**
     * Maps and validates a DataFrame. Lazy: nothing runs until the events, the quarantine or a
     * count is used; the validating pass is persisted (memory and disk) so that both outputs
     * and the counts read it once.
     *
     * @param input the raw rows
     * @param mapping which input column feeds which event field
     * @return valid events and the quarantine
     * @throws BadInputException when an argument is null or a required column is missing
     */
    public static Result read(Dataset<Row> input, ColumnMapping mapping) {
        if (input == null || mapping == null) {
            throw new BadInputException("spark events: 'input' and 'mapping' are required");
        }
        int[] col = resolve(input.columns(), mapping);
        Dataset<Row> tagged = input.mapPartitions(new Validate(col), Encoders.row(TAGGED))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> events = inOrder(tagged.filter(functions.col(OK)));
        Dataset<Row> quarantine = tagged.filter(functions.not(functions.col(OK))).select(RAW, FIELD, REASON);
        return new Result(events, quarantine, tagged);
    }

    /** Input column index per {@link Field} ordinal, -1 when absent. */
    static int[] resolve(String[] columns, ColumnMapping mapping) {
        int[] col = new int[Field.values().length];
        for (Field f : Field.values()) {
            String want = mapping.column(f).trim().toLowerCase(Locale.ROOT);
            col[f.ordinal()] = -1;
            for (int i = 0; i < columns.length; i++) {
                if (columns[i].trim().toLowerCase(Locale.ROOT).equals(want)) {
                    col[f.ordinal()] = i;
                    break;
                }
            }
            if (col[f.ordinal()] < 0 && f.required()) {
                throw new BadInputException("spark events: required column '" + mapping.column(f) + "' (" + f
                        + ") is missing: the DataFrame has " + Arrays.toString(columns)
                        + "; map it with ColumnMapping.with(Field." + f + ", \"your_column\")");
            }
        }
        return col;
    }

    /** Validates rows one partition at a time; only the column indices travel in the closure. */
    private static final class Validate implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final int[] col;

        Validate(int[] col) {
            this.col = col.clone();
        }

        @Override
        public Iterator<Row> call(Iterator<Row> in) {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return in.hasNext();
                }

                @Override
                public Row next() {
                    return tag(in.next(), col);
                }
            };
        }
    }

    private static Row tag(Row r, int[] col) {
        Object[] out = new Object[N + 4];
        try {
            BehaviorEvent e = toEvent(r, col);
            Object[] ev = values(e);
            System.arraycopy(ev, 0, out, 0, N);
            out[N] = true;
        } catch (BadInputException x) {
            out[N] = false;
            out[N + 1] = json(r);
            out[N + 2] = x.field() == null ? UNKNOWN_FIELD : x.field();
            out[N + 3] = x.field() == null ? x.getMessage() : x.reason();
        }
        return RowFactory.create(out);
    }

    private static String json(Row r) {
        try {
            return r.json();
        } catch (RuntimeException e) {
            return String.valueOf(r);
        }
    }

    private static BehaviorEvent toEvent(Row r, int[] col) {
        String user = text(r, col, Field.USER_ID);
        if (user == null) {
            throw new BadInputException(null, -1, "userId", "required, the cell is empty");
        }
        String item = text(r, col, Field.ITEM_ID);
        String typeText = text(r, col, Field.EVENT_TYPE);
        EventType type = EventType.parseOrNull(typeText);
        if (type == null) {
            throw new BadInputException(null, -1, "type", "expected one of " + Arrays.toString(EventType.values())
                    + " or an alias (pv, cart, buy, fav, ...), was " + (typeText == null ? "empty" : EventRules.snippet(typeText)));
        }
        long ts = timestamp(r, col[Field.TIMESTAMP.ordinal()]);
        BehaviorEvent.Builder b = BehaviorEvent.builder(user, item, type, ts)
                .session(text(r, col, Field.SESSION_ID))
                .query(text(r, col, Field.QUERY))
                .reviewText(text(r, col, Field.REVIEW_TEXT));
        Double rating = number(r, col, Field.RATING, "rating");
        if (rating != null) {
            b.rating(rating);
        }
        Long dwell = integer(r, col, Field.DWELL_MS, "dwellMillis");
        if (dwell != null) {
            EventRules.require(EventRules.checkDwellMillis("dwellMillis", dwell));
            b.dwellMillis(dwell);
        }
        Long qty = integer(r, col, Field.QUANTITY, "quantity");
        if (qty != null) {
            EventRules.require(EventRules.checkQuantity("quantity", qty));
            b.quantity((int) (long) qty);
        }
        Double price = number(r, col, Field.PRICE, "price");
        if (price != null) {
            b.price(price);
        }
        return b.build();
    }

    private static Object cell(Row r, int i) {
        return i < 0 || r.isNullAt(i) ? null : r.get(i);
    }

    private static String text(Row r, int[] col, Field f) {
        Object v = cell(r, col[f.ordinal()]);
        if (v == null) {
            return null;
        }
        String s = v instanceof BigDecimal d ? d.toPlainString() : v.toString();
        return s.isBlank() ? null : s.trim();
    }

    private static Double number(Row r, int[] col, Field f, String field) {
        Object v = cell(r, col[f.ordinal()]);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        String s = v.toString().trim();
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new BadInputException(null, -1, field, "expected a number, was " + EventRules.snippet(s));
        }
    }

    private static Long integer(Row r, int[] col, Field f, String field) {
        Object v = cell(r, col[f.ordinal()]);
        if (v == null) {
            return null;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        String s = v instanceof BigDecimal d ? d.toPlainString() : v.toString().trim();
        if (s.isEmpty()) {
            return null;
        }
        try {
            return v instanceof Number n && !(v instanceof BigDecimal) ? integral(n.doubleValue(), s, field) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            try {
                return integral(new BigDecimal(s).doubleValue(), s, field);
            } catch (NumberFormatException e2) {
                throw new BadInputException(null, -1, field, "expected an integer, was " + EventRules.snippet(s));
            }
        }
    }

    private static long integral(double d, String s, String field) {
        if (d != Math.rint(d) || Double.isInfinite(d)) {
            throw new BadInputException(null, -1, field, "expected an integer, was " + EventRules.snippet(s));
        }
        return (long) d;
    }

    private static long timestamp(Row r, int i) {
        Object v = cell(r, i);
        if (v == null) {
            throw new BadInputException(null, -1, "timestamp", "expected epoch milliseconds or an ISO-8601 instant, "
                    + "the cell is empty");
        }
        if (v instanceof Timestamp t) {
            return t.getTime();
        }
        if (v instanceof Instant t) {
            return t.toEpochMilli();
        }
        if (v instanceof Date d) {
            return d.toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
        if (v instanceof LocalDateTime d) {
            return d.toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        if (v instanceof Long || v instanceof Integer) {
            return ((Number) v).longValue();
        }
        String s = v instanceof BigDecimal d ? d.toPlainString() : v.toString().trim();
        try {
            if (v instanceof Number n && !(v instanceof BigDecimal)) {
                return Math.round(n.doubleValue());
            }
            if (!s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Long.parseLong(s);
            }
            if (!s.isEmpty() && s.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+')) {
                return Math.round(Double.parseDouble(s));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        long ms = s.isEmpty() ? Long.MIN_VALUE : EventRules.parseIsoMillis(s);
        if (ms == Long.MIN_VALUE) {
            throw new BadInputException(null, -1, "timestamp", "expected epoch milliseconds or an ISO-8601 instant "
                    + "(2026-11-22T10:00:00Z), was " + (s.isEmpty() ? "empty" : EventRules.snippet(s)));
        }
        return ms;
    }

    /**
     * @param events a DataFrame with the columns of {@link #EVENT_SCHEMA} (any order, extra columns allowed)
     * @return those columns in {@link #EVENT_SCHEMA}'s order, as the functions that read rows by position need
     */
    public static Dataset<Row> inOrder(Dataset<Row> events) {
        return events.select(Arrays.stream(EVENT_SCHEMA.fieldNames()).map(functions::col)
                .toArray(org.apache.spark.sql.Column[]::new));
    }

    /**
     * @param e an event
     * @return its values in {@link #EVENT_SCHEMA} order
     */
    static Object[] values(BehaviorEvent e) {
        return new Object[] {e.userId(), e.itemId(), e.type().name(), e.timestampMillis(), e.sessionId().orElse(null),
            e.query().orElse(null), e.rating().isPresent() ? e.rating().getAsDouble() : null,
            e.dwellMillis().isPresent() ? e.dwellMillis().getAsLong() : null,
            e.quantity().isPresent() ? e.quantity().getAsInt() : null,
            e.price().isPresent() ? e.price().getAsDouble() : null, e.reviewText().orElse(null)};
    }

    /**
     * @param e an event
     * @return a row of {@link #EVENT_SCHEMA}
     */
    public static Row toRow(BehaviorEvent e) {
        return RowFactory.create(values(e));
    }

    /**
     * The event of a row of {@link #EVENT_SCHEMA}, read by position (Spark hands rows to
     * functions without their schema): select the columns in that order first.
     *
     * @param r the row
     * @return the event
     * @throws BadInputException when the row is not a valid event
     */
    public static BehaviorEvent toEvent(Row r) {
        BehaviorEvent.Builder b = BehaviorEvent.builder(r.getString(0), r.getString(1), EventType.valueOf(r.getString(2)),
                r.getLong(3)).session(r.getString(4)).query(r.getString(5)).reviewText(r.getString(10));
        if (!r.isNullAt(6)) {
            b.rating(r.getDouble(6));
        }
        if (!r.isNullAt(7)) {
            b.dwellMillis(r.getLong(7));
        }
        if (!r.isNullAt(8)) {
            b.quantity(r.getInt(8));
        }
        if (!r.isNullAt(9)) {
            b.price(r.getDouble(9));
        }
        return b.build();
    }

    /**
     * The events of rows of {@link #EVENT_SCHEMA}.
     *
     * @param rows the rows
     * @return the events, in the rows' order
     */
    public static List<BehaviorEvent> toEvents(Iterable<Row> rows) {
        List<BehaviorEvent> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(toEvent(r));
        }
        return out;
    }
}
