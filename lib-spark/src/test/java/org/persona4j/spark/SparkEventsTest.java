package org.persona4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.io.ColumnMapping;

class SparkEventsTest {
    private static final StructType RAW = new StructType()
            .add("visitor", DataTypes.StringType).add("item_id", DataTypes.StringType)
            .add("event_type", DataTypes.StringType).add("timestamp", DataTypes.StringType)
            .add("session_id", DataTypes.StringType).add("price", DataTypes.DoubleType)
            .add("quantity", DataTypes.IntegerType).add("extra", DataTypes.StringType);

    private static Dataset<Row> input(SparkSession spark) {
        List<Row> rows = List.of(
                RowFactory.create("u1", "i1", "view", "1700000000000", "s1", null, null, "x"),
                RowFactory.create("u1", "i1", "buy", "2023-11-14T22:13:21Z", "s1", 12.5, 2, null),
                RowFactory.create("u2", null, "search", "1700000002000", null, null, null, null),
                RowFactory.create("u2", "i2", "cart", " 1700000003000 ", "", 3.0, null, null),
                RowFactory.create("u3", "i3", "teleport", "1700000004000", null, null, null, null), // bad type
                RowFactory.create("u3", "i3", "purchase", "1700000005000", null, -1.0, 1, null),   // negative price
                RowFactory.create(null, "i4", "view", "1700000006000", null, null, null, null),     // missing user
                RowFactory.create("u4", "i4", "view", "yesterday", null, null, null, null),         // bad timestamp
                RowFactory.create("u4", null, "view", "1700000007000", null, null, null, null),     // view without item
                RowFactory.create("u5", "i5", "purchase", "1700000008000", null, 9.0, -3, null));   // negative quantity
        return spark.createDataFrame(rows, RAW).repartition(2);
    }

    @Test
    void validRowsBecomeEventsAndBadRowsAreQuarantinedWithTheReason() {
        SparkSession spark = LocalSpark.get();
        SparkEvents.Result r = SparkEvents.read(input(spark), ColumnMapping.defaults().with(ColumnMapping.Field.USER_ID, "Visitor"));
        try {
            assertEquals(4, r.validCount());
            assertEquals(6, r.quarantinedCount());
            assertEquals(Map.of("itemId", 1L, "price", 1L, "quantity", 1L, "timestamp", 1L, "type", 1L, "userId", 1L),
                    r.quarantinedByField());

            List<BehaviorEvent> events = new ArrayList<>(SparkEvents.toEvents(r.events().collectAsList()));
            events.sort(Comparator.comparingLong(BehaviorEvent::timestampMillis));
            assertEquals(BehaviorEvent.builder("u1", "i1", EventType.VIEW, 1_700_000_000_000L).session("s1").build(), events.get(0));
            assertEquals(BehaviorEvent.builder("u1", "i1", EventType.PURCHASE, 1_700_000_001_000L).session("s1").price(12.5)
                    .quantity(2).build(), events.get(1));
            assertEquals(BehaviorEvent.of("u2", null, EventType.SEARCH, 1_700_000_002_000L), events.get(2));
            assertEquals(BehaviorEvent.builder("u2", "i2", EventType.ADD_TO_CART, 1_700_000_003_000L).price(3.0).build(),
                    events.get(3));
            assertNull(events.get(3).sessionId().orElse(null), "a blank session is none");

            Map<String, Row> byField = new java.util.HashMap<>();
            for (Row q : r.quarantine().collectAsList()) {
                byField.put(q.getString(1), q);
            }
            assertTrue(byField.get("type").getString(2).contains("\"teleport\""), byField.get("type").getString(2));
            assertTrue(byField.get("price").getString(2).contains("-1.0"), byField.get("price").getString(2));
            assertTrue(byField.get("timestamp").getString(2).contains("yesterday"), byField.get("timestamp").getString(2));
            assertTrue(byField.get("quantity").getString(2).contains("-3"), byField.get("quantity").getString(2));
            String raw = byField.get("userId").getString(0);
            assertTrue(raw.contains("\"visitor\":null") && raw.contains("\"item_id\":\"i4\""), raw);
        } finally {
            r.unpersist();
        }
    }

    @Test
    void typedColumnsAreReadToo() {
        SparkSession spark = LocalSpark.get();
        StructType typed = new StructType().add("user_id", DataTypes.LongType).add("item_id", DataTypes.IntegerType)
                .add("event_type", DataTypes.StringType).add("timestamp", DataTypes.TimestampType)
                .add("rating", DataTypes.StringType);
        Dataset<Row> df = spark.createDataFrame(List.of(
                RowFactory.create(7L, 3, "RATE", java.sql.Timestamp.from(java.time.Instant.ofEpochMilli(1_700_000_000_123L)), "4.5"),
                RowFactory.create(8L, 4, "RATE", java.sql.Timestamp.from(java.time.Instant.ofEpochMilli(1_700_000_000_124L)), "lots")),
                typed);
        SparkEvents.Result r = SparkEvents.read(df);
        try {
            List<Row> ok = r.events().collectAsList();
            assertEquals(1, ok.size());
            assertEquals(BehaviorEvent.builder("7", "3", EventType.RATE, 1_700_000_000_123L).rating(4.5).build(),
                    SparkEvents.toEvent(ok.get(0)));
            assertEquals(Map.of("rating", 1L), r.quarantinedByField());
        } finally {
            r.unpersist();
        }
    }

    @Test
    void aMissingRequiredColumnFailsOnTheDriverNamingIt() {
        SparkSession spark = LocalSpark.get();
        Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create("u", "i")),
                new StructType().add("user_id", DataTypes.StringType).add("item_id", DataTypes.StringType));
        BadInputException e = assertThrows(BadInputException.class, () -> SparkEvents.read(df));
        assertTrue(e.getMessage().contains("'event_type'"), e.getMessage());
    }
}
