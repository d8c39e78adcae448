package org.persona4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventSource;
import org.persona4j.core.EventType;
import org.persona4j.core.Item;
import org.persona4j.core.ReadReport;
import org.persona4j.core.UserAttributes;

class EventsCsvReaderTest {
    static final String HEADER = "user_id,item_id,event_type,timestamp,session_id,query,rating,dwell_ms,quantity,price,review_text";

    @TempDir
    Path dir;

    static List<BehaviorEvent> readAll(EventSource s) {
        List<BehaviorEvent> out = new ArrayList<>();
        try (s) {
            s.forEachRemaining(out::add);
        }
        return out;
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void readsEveryFieldQuotedCellsCrlfBomIsoAndEmptyOptionals() throws IOException {
        String text = "\uFEFF" + HEADER + "\r\n"
                + "u1,i1,VIEW,1000,s1,,,2500,,,\r\n"
                + "u1,,search,2026-11-22T10:00:00Z,s1,\"red, long \"\"dress\"\"\",,,,,\r\n"
                + "u2,i2,cart,1700000000000,,,,,2,19.99,\r\n"
                + "u2,i2,REVIEW,2026-11-22T10:00:00.250Z,,,4.5,,,,\"Great,\nreally \"\"great\"\"\r\nbuy it\"\r\n"
                + "\"u,3\",\"i3\",Purchase,3000,,,,,1,0,\r\n";
        List<BehaviorEvent> ev = readAll(Datasets.open(DataFormat.EVENTS_CSV, write("events.csv", text)));
        assertEquals(5, ev.size());
        BehaviorEvent v = ev.get(0);
        assertEquals("u1", v.userId());
        assertEquals("i1", v.itemId());
        assertEquals(EventType.VIEW, v.type());
        assertEquals(1000, v.timestampMillis());
        assertEquals("s1", v.sessionId().orElseThrow());
        assertEquals(2500, v.dwellMillisOrMinus1());
        assertTrue(v.rating().isEmpty());
        assertTrue(v.price().isEmpty());
        assertTrue(v.quantity().isEmpty());
        BehaviorEvent s = ev.get(1);
        assertNull(s.itemId());
        assertEquals(EventType.SEARCH, s.type());
        assertEquals("red, long \"dress\"", s.query().orElseThrow());
        assertEquals(Instant.parse("2026-11-22T10:00:00Z").toEpochMilli(), s.timestampMillis());
        BehaviorEvent c = ev.get(2);
        assertEquals(EventType.ADD_TO_CART, c.type());
        assertEquals(2, c.quantityOrOne());
        assertEquals(19.99, c.priceOrNaN());
        BehaviorEvent r = ev.get(3);
        assertEquals(4.5, r.ratingOrNaN());
        assertEquals("Great,\nreally \"great\"\r\nbuy it", r.reviewText().orElseThrow());
        assertEquals(Instant.parse("2026-11-22T10:00:00.250Z").toEpochMilli(), r.timestampMillis());
        BehaviorEvent p = ev.get(4);
        assertEquals("u,3", p.userId());
        assertEquals("i3", p.itemId());
        assertEquals(0.0, p.priceOrNaN());
    }

    @Test
    void reportCountsPhysicalLinesAndEvents() throws IOException {
        String text = HEADER + "\n" + "u1,i1,VIEW,1,,,,,,,\"two\nlines\"\n" + "\n" + "u1,i2,VIEW,2,,,,,,,\n";
        try (EventSource s = Datasets.open(DataFormat.EVENTS_CSV, write("e.csv", text))) {
            assertEquals(0, s.report().eventsRead());
            readAll(s);
            ReadReport r = s.report();
            assertEquals(4, r.linesRead());
            assertEquals(2, r.eventsRead());
            assertEquals(Map.of("blank line", 1L), r.skipped());
        }
    }

    @Test
    void strictModeNamesFileLineColumnAndExpectation() throws IOException {
        Path f = write("events.csv", HEADER + "\nu1,i1,VIEW,1000,,,,,,,\nu1,i1,VIEW,yesterday,,,,,,,\nu1,i1,VIEW,1000,,,,,,,\n");
        try (EventSource s = Datasets.open(DataFormat.EVENTS_CSV, f)) {
            assertTrue(s.hasNext());
            s.next();
            BadInputException e = assertThrows(BadInputException.class, s::hasNext);
            assertEquals(f.toString(), e.source());
            assertEquals(3, e.line());
            assertEquals("timestamp", e.field());
            assertTrue(e.getMessage().contains("expected epoch milliseconds or an ISO-8601 instant"), e.getMessage());
            assertTrue(e.getMessage().contains("\"yesterday\""), e.getMessage());
            assertTrue(e.getMessage().startsWith(f + ":3: field 'timestamp': "), e.getMessage());
        }
    }

    @Test
    void strictLineNumbersCountLinesInsideQuotedCells() throws IOException {
        Path f = write("events.csv", HEADER + "\nu1,i1,VIEW,1000,,,,,,,\"a\nb\nc\"\nu1,i1,NOPE,1000,,,,,,,\n");
        BadInputException e = assertThrows(BadInputException.class, () -> readAll(Datasets.open(DataFormat.EVENTS_CSV, f)));
        assertEquals(5, e.line());
        assertEquals("event_type", e.field());
        assertTrue(e.reason().contains("\"NOPE\""), e.reason());
    }

    @Test
    void lenientSkipsAndCountsEveryBadLineByReason() throws IOException {
        String text = HEADER + "\n"
                + "u1,i1,VIEW,1000,,,,,,,\n"          // good
                + "u1,i1,VIEW,yesterday,,,,,,,\n"     // bad timestamp
                + "u1,i1,JUMP,1000,,,,,,,\n"          // unknown type
                + "u1,i1,JUMP,1000,,,,,,,\n"          // unknown type
                + ",i1,VIEW,1000,,,,,,,\n"            // empty user
                + "u1,,VIEW,1000,,,,,,,\n"            // empty item on VIEW
                + "u1,i1,VIEW,1000,,,,,,\n"           // 10 columns
                + "u1,i1,VIEW,1000,,,-1,,,,\n"        // negative rating
                + "u1,i1,VIEW,1000,,,,,0,,\n"         // quantity 0
                + "u1,i1,VIEW,1000,,,,,,abc,\n"       // price not a number
                + "u1,i1,VIEW,1000,,,,x,,,\n"         // dwell not an integer
                + "u1,i1,VIEW,-5,,,,,,,\n"            // negative timestamp
                + "u1,\"i1\"x,VIEW,1000,,,,,,,\n"     // text after closing quote
                + "\n"                                // blank
                + "u2,i2,BUY,2000,,,,,,,\n";          // good
        try (EventSource s = Datasets.open(DataFormat.EVENTS_CSV, write("e.csv", text), ReadOptions.lenient())) {
            List<BehaviorEvent> ev = readAll(s);
            assertEquals(2, ev.size());
            assertEquals(EventType.PURCHASE, ev.get(1).type());
            ReadReport r = s.report();
            assertEquals(15, r.linesRead());
            assertEquals(r.linesRead(), r.eventsRead() + r.skippedTotal());
            assertEquals(1L, r.skipped().get("timestamp: bad timestamp"));
            assertEquals(2L, r.skipped().get("event_type: unknown event type"));
            assertEquals(1L, r.skipped().get("user_id: empty"));
            assertEquals(1L, r.skipped().get("item_id: empty"));
            assertEquals(1L, r.skipped().get("wrong number of columns"));
            assertEquals(1L, r.skipped().get("rating: out of range"));
            assertEquals(1L, r.skipped().get("quantity: out of range"));
            assertEquals(1L, r.skipped().get("price: not a number"));
            assertEquals(1L, r.skipped().get("dwell_ms: not an integer"));
            assertEquals(1L, r.skipped().get("timestamp: negative timestamp"));
            assertEquals(1L, r.skipped().get("malformed CSV"));
            assertEquals(1L, r.skipped().get("blank line"));
            assertTrue(r.summary().contains("13 skipped"), r.summary());
        }
    }

    @Test
    void lenientCapRaisesPastMaxErrors() throws IOException {
        Path f = write("e.csv", HEADER + "\nu1,i1,X,1,,,,,,,\nu1,i1,X,1,,,,,,,\nu1,i1,X,1,,,,,,,\n");
        ReadOptions o = ReadOptions.lenient().withMaxErrors(2);
        BadInputException e = assertThrows(BadInputException.class, () -> readAll(Datasets.open(DataFormat.EVENTS_CSV, f, o)));
        assertEquals(4, e.line());
        assertTrue(e.reason().contains("more than 2 bad records"), e.reason());
    }

    @Test
    void unclosedQuoteIsAnErrorAtTheRecordStart() throws IOException {
        Path f = write("e.csv", HEADER + "\nu1,i1,VIEW,1,,,,,,,\nu1,i1,VIEW,1,,,,,,,\"never closed\nu2,i2,VIEW,2,,,,,,,\n");
        BadInputException e = assertThrows(BadInputException.class, () -> readAll(Datasets.open(DataFormat.EVENTS_CSV, f)));
        assertEquals(3, e.line());
        assertTrue(e.reason().contains("unclosed quote"), e.reason());
    }

    @Test
    void columnMappingRenamesAndReorders() throws IOException {
        Path f = write("e.csv", "ts,kind,visitor,product,extra\n2026-11-22T00:00:00Z,pv,v1,p1,ignored\n");
        ColumnMapping m = ColumnMapping.defaults().with(ColumnMapping.Field.TIMESTAMP, "ts")
                .with(ColumnMapping.Field.EVENT_TYPE, "kind").with(ColumnMapping.Field.USER_ID, "visitor")
                .with(ColumnMapping.Field.ITEM_ID, "PRODUCT");
        List<BehaviorEvent> ev = readAll(Datasets.open(DataFormat.EVENTS_CSV, f, ReadOptions.strict().withColumnMapping(m)));
        assertEquals(List.of(BehaviorEvent.of("v1", "p1", EventType.VIEW, Instant.parse("2026-11-22T00:00:00Z").toEpochMilli())), ev);
        assertEquals(m, ColumnMapping.parse("timestamp=ts, event_type=kind,user_id=visitor,item_id=PRODUCT"));
    }

    @Test
    void missingRequiredColumnFailsAtOpenEvenWhenLenient() throws IOException {
        Path f = write("e.csv", "user_id,item_id,timestamp\nu1,i1,1\n");
        BadInputException e = assertThrows(BadInputException.class,
                () -> Datasets.open(DataFormat.EVENTS_CSV, f, ReadOptions.lenient()));
        assertEquals(1, e.line());
        assertEquals("event_type", e.field());
        assertTrue(e.reason().contains("column mapping"), e.reason());
    }

    @Test
    void emptyFileAndMissingFileAreBadInput() throws IOException {
        Path empty = write("events.csv", "");
        assertThrows(BadInputException.class, () -> Datasets.open(DataFormat.EVENTS_CSV, empty));
        BadInputException e = assertThrows(BadInputException.class,
                () -> Datasets.open(DataFormat.EVENTS_CSV, dir.resolve("nope.csv")));
        assertTrue(e.getMessage().contains("file not found"), e.getMessage());
    }

    @Test
    void gzipIsReadTransparently() throws IOException {
        Path gz = dir.resolve("events.csv.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write((HEADER + "\nu1,i1,VIEW,5,,,,,,,\n").getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(List.of(BehaviorEvent.of("u1", "i1", EventType.VIEW, 5)), readAll(Datasets.open(DataFormat.EVENTS_CSV, dir)));
        Files.write(dir.resolve("bad.csv.gz"), new byte[] {1, 2, 3, 4});
        assertThrows(BadInputException.class, () -> Datasets.open(DataFormat.EVENTS_CSV, dir.resolve("bad.csv.gz")));
    }

    @Test
    void loadReadsItemsAndUsersSideFiles() throws IOException {
        write("events.csv", HEADER + "\nu1,i1,VIEW,1,,,,,,,\nu2,i2,PURCHASE,2,,,,,1,9.5,\n");
        write("items.csv", "item_id,category_path,brand,price,title,description,colour\n"
                + "i1,Beauty > Skin care > Serum,Acme,12.5,\"Serum, 30 ml\",\"A \"\"glow\"\" serum\",red\n"
                + "i2,Home,,,,,\n");
        write("users.csv", "user_id,age,gender,region,occupation\nu1,34,F,north,nurse\nu2,-1,,,\n");
        Dataset d = Datasets.load(DataFormat.EVENTS_CSV, dir);
        assertEquals(2, d.events().size());
        assertEquals(dir.getFileName().toString(), d.name());
        Item i1 = d.catalog().item("i1").orElseThrow();
        assertEquals(List.of("Beauty", "Skin care", "Serum"), i1.categoryPath());
        assertEquals("Acme", i1.brand());
        assertEquals(12.5, i1.price());
        assertEquals("Serum, 30 ml", i1.title());
        assertEquals("A \"glow\" serum", i1.description());
        assertEquals(Map.of("colour", "red"), i1.attributes());
        assertTrue(d.catalog().item("i2").orElseThrow().knownPrice().isEmpty());
        UserAttributes u1 = d.users().get("u1");
        assertEquals(34, u1.age());
        assertEquals("north", u1.region());
        assertFalse(d.users().get("u2").knownAge().isPresent());
    }

    @Test
    void badSideFileRowsAreStrictErrorsOrCountedUnderTheFileName() throws IOException {
        write("events.csv", HEADER + "\nu1,i1,VIEW,1,,,,,,,\n");
        write("items.csv", "item_id,category_path,brand,price,title,description\ni1,A,,-3,,\n");
        write("users.csv", "user_id,age,gender,region,occupation\nu1,200,,,\n");
        BadInputException e = assertThrows(BadInputException.class, () -> Datasets.load(DataFormat.EVENTS_CSV, dir));
        assertTrue(e.source().endsWith("items.csv"), e.getMessage());
        assertEquals(2, e.line());
        assertEquals("price", e.field());
        Dataset d = Datasets.load(DataFormat.EVENTS_CSV, dir, ReadOptions.lenient());
        assertEquals(1, d.events().size());
        assertEquals(Map.of("items.csv: price: out of range", 1L, "users.csv: age: out of range", 1L), d.report().skipped());
        assertEquals(0, d.catalog().size());
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    @Test
    void roundTripsRandomQuotedTextAcrossBufferBoundaries() throws IOException {
        long seed = Long.getLong("persona4j.test.seed", Long.getLong("persona4j.fuzz.seed", System.nanoTime()));
        System.out.println("roundTripsRandomQuotedTextAcrossBufferBoundaries seed " + seed);
        java.util.Random rnd = new java.util.Random(seed);
        String alphabet = "ab ,\"\n\r;\t\u00e9\u4e2d\ud83d\ude00xyz";
        List<BehaviorEvent> expected = new ArrayList<>();
        StringBuilder sb = new StringBuilder(HEADER).append(rnd.nextBoolean() ? "\r\n" : "\n");
        for (int i = 0; i < 3000; i++) {
            int len = rnd.nextInt(50) == 0 ? 70_000 + rnd.nextInt(10_000) : rnd.nextInt(40);
            StringBuilder t = new StringBuilder("x");
            while (t.length() < len) {
                int k = rnd.nextInt(alphabet.length());
                char c = alphabet.charAt(k);
                if (Character.isHighSurrogate(c)) {
                    t.append(c).append(alphabet.charAt(k + 1));
                } else if (!Character.isLowSurrogate(c)) {
                    t.append(c);
                }
            }
            String user = "u" + rnd.nextInt(100) + (rnd.nextBoolean() ? ",\"q\"" : "");
            BehaviorEvent e = BehaviorEvent.builder(user, "i" + i, EventType.REVIEW, i).reviewText(t.toString()).build();
            expected.add(e);
            sb.append(quote(user)).append(",i").append(i).append(",REVIEW,").append(i).append(",,,,,,,")
                    .append(quote(t.toString())).append(rnd.nextBoolean() ? "\r\n" : "\n");
        }
        Path f = write("events.csv", sb.toString());
        assertEquals(expected, readAll(Datasets.open(DataFormat.EVENTS_CSV, f)), "seed " + seed);
    }

    @Test
    void loneCarriageReturnsEndLinesToo() throws IOException {
        Path f = write("events.csv", HEADER + "\ru1,i1,VIEW,1,,,,,,,\ru1,i1,VIEW,x,,,,,,,\r");
        BadInputException e = assertThrows(BadInputException.class, () -> readAll(Datasets.open(DataFormat.EVENTS_CSV, f)));
        assertEquals(3, e.line());
    }

    @Test
    void progressReportsFileBytesAndFinishesAtTheTotal() throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < 300_000; i++) {
            sb.append("u").append(i % 97).append(",i").append(i % 1013).append(",VIEW,").append(i).append(",,,,,,,\n");
        }
        Path f = write("events.csv", sb.toString());
        List<org.persona4j.core.Progress> seen = new ArrayList<>();
        List<BehaviorEvent> ev = readAll(Datasets.open(DataFormat.EVENTS_CSV, f, ReadOptions.strict().withProgress(seen::add)));
        assertEquals(300_000, ev.size());
        assertTrue(seen.size() >= 2, "progress calls: " + seen.size());
        org.persona4j.core.Progress last = seen.get(seen.size() - 1);
        assertEquals(Files.size(f), last.total());
        assertEquals(last.total(), last.done());
        assertEquals("bytes", last.unit());
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i).done() >= seen.get(i - 1).done());
        }
    }

    @Test
    void epochSecondsOption() throws IOException {
        Path f = write("e.csv", "user_id,item_id,event_type,timestamp\nu1,i1,VIEW,1511544070\nu1,i1,VIEW,1511544070.25\n"
                + "u1,i1,VIEW,2026-11-22T10:00:00Z\nu1,i1,VIEW,-3\n");
        try (EventSource s = Datasets.open(DataFormat.EVENTS_CSV, f, ReadOptions.lenient().withEpochSeconds(true))) {
            List<BehaviorEvent> ev = readAll(s);
            assertEquals(1_511_544_070_000L, ev.get(0).timestampMillis());
            assertEquals(1_511_544_070_250L, ev.get(1).timestampMillis());
            assertEquals(Instant.parse("2026-11-22T10:00:00Z").toEpochMilli(), ev.get(2).timestampMillis());
            assertEquals(Map.of("timestamp: negative timestamp", 1L), s.report().skipped());
        }
        assertEquals(1_511_544_070L, readAll(Datasets.open(DataFormat.EVENTS_CSV, f, ReadOptions.lenient())).get(0).timestampMillis());
    }
}
