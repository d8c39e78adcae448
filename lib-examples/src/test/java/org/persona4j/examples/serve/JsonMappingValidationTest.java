package org.persona4j.examples.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventSource;
import org.persona4j.core.EventType;
import org.persona4j.io.DataFormat;
import org.persona4j.io.Datasets;
import org.persona4j.io.ReadOptions;

/**
 * Issue 23, point 4: the HTTP body goes through the same rules ({@link org.persona4j.core.EventRules})
 * as the file readers; each refusal names where (the body index), the field and what was expected.
 */
class JsonMappingValidationTest {
    private final JsonMapping json = new JsonMapping();

    @TempDir
    Path dir;

    private JsonNode node(String text) throws IOException {
        return json.mapper().readTree(text);
    }

    private BehaviorEvent event(String extra) throws IOException {
        return json.event(node("{\"userId\": \"u1\", \"itemId\": \"i1\", \"type\": \"PURCHASE\"" + extra + "}"), "body[3]");
    }

    private BadInputException refused(String extra, String field, String expected) {
        BadInputException e = assertThrows(BadInputException.class, () -> event(extra), extra);
        assertEquals("body[3]", e.source(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith("body[3]: field '" + field + "': "), e.getMessage());
        assertTrue(e.reason().contains(expected), extra + " -> " + e.getMessage());
        return e;
    }

    @Test
    void timestampsOutsideTheRangeAreRefused() throws IOException {
        refused(", \"timestamp\": 9223372036854775807", "timestamp", "9999-12-31");
        refused(", \"timestamp\": \"+10000-01-01T00:00:00Z\"", "timestamp", "9999-12-31");
        refused(", \"timestamp\": 99999999999999999999999", "timestamp", "9999-12-31");
        refused(", \"timestamp\": -1", "timestamp", "1970-01-01");
        refused(", \"timestamp\": 1e999", "timestamp", "finite");
        refused(", \"timestamp\": \"yesterday\"", "timestamp", "ISO-8601");
        refused(", \"timestamp\": true", "timestamp", "ISO-8601");
        refused("", "timestamp", "required");
        assertEquals(Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli(),
                event(", \"timestamp\": \"9999-12-31T23:59:59.999Z\"").timestampMillis());
        assertEquals(Instant.parse("2026-11-22T10:00:00Z").toEpochMilli(),
                event(", \"timestamp\": \"2026-11-22T18:00:00+08:00\"").timestampMillis());
        assertEquals(1_763_805_600_000L, event(", \"timestamp\": 1763805600000").timestampMillis());
    }

    @Test
    void quantityIsCheckedExactlyNeverCast() throws IOException {
        for (String q : new String[] {"1e20", "0.5", "4294967297", "0", "-1", "2147483648"}) {
            refused(", \"timestamp\": 1, \"quantity\": " + q, "quantity", "a whole number from 1 to 2147483647");
        }
        refused(", \"timestamp\": 1, \"quantity\": \"2\"", "quantity", "a number");
        assertEquals(2, event(", \"timestamp\": 1, \"quantity\": 2").quantity().getAsInt());
        assertEquals(2, event(", \"timestamp\": 1, \"quantity\": 2.0").quantity().getAsInt());
    }

    @Test
    void dwellIsWholeNonNegativeMilliseconds() throws IOException {
        for (String d : new String[] {"-1", "1.5", "1e300", "99999999999999999999999"}) {
            refused(", \"timestamp\": 1, \"dwellMs\": " + d, "dwellMs", "whole milliseconds from 0 to");
        }
        assertEquals(0, event(", \"timestamp\": 1, \"dwellMs\": 0").dwellMillis().getAsLong());
    }

    @Test
    void ratingAndPriceMustBeFiniteAndNonNegative() throws IOException {
        refused(", \"timestamp\": 1, \"price\": -1", "price", ">= 0");
        refused(", \"timestamp\": 1, \"price\": 1e999", "price", "finite");
        refused(", \"timestamp\": 1, \"rating\": -0.5", "rating", ">= 0");
        refused(", \"timestamp\": 1, \"rating\": 1e400", "rating", "finite");
        assertEquals(9.5, event(", \"timestamp\": 1, \"price\": 9.5").price().getAsDouble());
    }

    @Test
    void idsWithControlCharactersAndEchoedInputAreEscapedAndCut() throws IOException {
        BadInputException e = refused(", \"timestamp\": 1, \"sessionId\": \"s\\u001b[2J\"", "sessionId", "control");
        assertFalse(e.getMessage().chars().anyMatch(c -> c < 0x20), e.getMessage());
        String longType = "x".repeat(1 << 20);
        BadInputException t = assertThrows(BadInputException.class, () -> json.event(node(
                "{\"userId\": \"u1\", \"type\": \"" + longType + "\\u001b\", \"timestamp\": 1}"), "body"));
        assertEquals("type", t.field());
        assertTrue(t.getMessage().length() < 500, "message of " + t.getMessage().length() + " chars");
        String longName = "x".repeat(40_000); // Jackson itself refuses names over 50,000 characters
        BadInputException f = assertThrows(BadInputException.class, () -> json.event(node(
                "{\"userId\": \"u1\", \"type\": \"VIEW\", \"timestamp\": 1, \"" + longName + "\\u001b\": 1}"), "body"));
        assertTrue(f.getMessage().length() < 800 && f.getMessage().contains("unknown field"), f.getMessage().substring(0, 200));
        assertFalse(f.getMessage().chars().anyMatch(c -> c < 0x20));
    }

    /** The same values, as an events-csv row and as a JSON event: refused by both, for the same field. */
    @Test
    void httpAndFileReadersRefuseTheSameValues() throws IOException {
        String header = "user_id,item_id,event_type,timestamp,dwell_ms,quantity,price\n";
        String[][] cases = {
            // csv timestamp, dwell, quantity, price | json fragment | field (csv column / JSON field)
            {"9223372036854775807", "", "", "", "\"timestamp\": 9223372036854775807", "timestamp", "timestamp"},
            {"+10000-01-01T00:00:00Z", "", "", "", "\"timestamp\": \"+10000-01-01T00:00:00Z\"", "timestamp", "timestamp"},
            {"99999999999999999999999", "", "", "", "\"timestamp\": 99999999999999999999999", "timestamp", "timestamp"},
            {"1", "", "4294967297", "", "\"timestamp\": 1, \"quantity\": 4294967297", "quantity", "quantity"},
            {"1", "", "0.5", "", "\"timestamp\": 1, \"quantity\": 0.5", "quantity", "quantity"},
            {"1", "", "1e20", "", "\"timestamp\": 1, \"quantity\": 1e20", "quantity", "quantity"},
            {"1", "-1", "", "", "\"timestamp\": 1, \"dwellMs\": -1", "dwell_ms", "dwellMs"},
            {"1", "", "", "-2", "\"timestamp\": 1, \"price\": -2", "price", "price"},
        };
        for (String[] c : cases) {
            Path f = dir.resolve("events.csv");
            Files.writeString(f, header + "u1,i1,PURCHASE," + c[0] + "," + c[1] + "," + c[2] + "," + c[3] + "\n", StandardCharsets.UTF_8);
            BadInputException file = assertThrows(BadInputException.class, () -> {
                try (EventSource s = Datasets.open(DataFormat.EVENTS_CSV, f, ReadOptions.strict())) {
                    List<BehaviorEvent> all = new ArrayList<>();
                    s.forEachRemaining(all::add);
                }
            }, c[4]);
            assertEquals(c[5], file.field(), file.getMessage());
            BadInputException http = assertThrows(BadInputException.class, () -> event(", " + c[4]), c[4]);
            assertEquals(c[6], http.field(), http.getMessage());
        }
        // and both accept the edge of the range
        assertEquals(EventType.PURCHASE, event(", \"timestamp\": 253402300799999, \"quantity\": 2147483647").type());
    }
}
