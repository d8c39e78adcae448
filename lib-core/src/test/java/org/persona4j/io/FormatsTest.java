package org.persona4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.persona4j.io.EventsCsvReaderTest.readAll;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventSource;
import org.persona4j.core.EventType;
import org.persona4j.core.Item;
import org.persona4j.core.ReadReport;

/** Every non-CSV format on small fixtures: good lines, bad lines, strict and lenient. */
class FormatsTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static ReadReport lenientReport(DataFormat f, Path p, int expectedEvents) {
        try (EventSource s = Datasets.open(f, p, ReadOptions.lenient())) {
            assertEquals(expectedEvents, readAll(s).size());
            return s.report();
        }
    }

    @Test
    void taobao() throws IOException {
        Path f = write("UserBehavior.csv", "1,2268318,2520377,pv,1511544070\r\n1,2333346,2520771,buy,1511561733\n"
                + "2,42,7,cart,1511561734\n3,43,7,fav,1511561735\n");
        List<BehaviorEvent> ev = readAll(Datasets.open(DataFormat.TAOBAO, dir));
        assertEquals(List.of(EventType.VIEW, EventType.PURCHASE, EventType.ADD_TO_CART, EventType.FAVORITE),
                ev.stream().map(BehaviorEvent::type).toList());
        assertEquals(BehaviorEvent.of("1", "2268318", EventType.VIEW, 1_511_544_070_000L), ev.get(0));
        Dataset d = Datasets.load(DataFormat.TAOBAO, f);
        assertEquals(List.of("2520377"), d.catalog().item("2268318").orElseThrow().categoryPath());

        Path bad = write("bad.csv", "1,2,3,pv,1511544070\n1,2,3,teleport,1511544070\n1,2,3,pv\n1,2,3,pv,-7\n1,2,3,pv,12.5\n");
        BadInputException e = assertThrows(BadInputException.class, () -> readAll(Datasets.open(DataFormat.TAOBAO, bad)));
        assertEquals(2, e.line());
        assertEquals("behavior", e.field());
        ReadReport r = lenientReport(DataFormat.TAOBAO, bad, 1);
        assertEquals(Map.of("behavior: unknown event type", 1L, "wrong number of columns", 1L,
                "timestamp: negative timestamp", 1L, "timestamp: not an integer", 1L), r.skipped());
        assertEquals(5, r.linesRead());
    }

    @Test
    void retailRocket() throws IOException {
        Path f = write("events.csv", "timestamp,visitorid,event,itemid,transactionid\n"
                + "1433221332117,257597,view,355908,\n1433224214164,992329,addtocart,248676,\n"
                + "1433221999827,111016,transaction,5411,4000\n");
        List<BehaviorEvent> ev = readAll(Datasets.open(DataFormat.RETAILROCKET, f));
        assertEquals(BehaviorEvent.of("257597", "355908", EventType.VIEW, 1_433_221_332_117L), ev.get(0));
        assertEquals(EventType.ADD_TO_CART, ev.get(1).type());
        assertEquals(EventType.PURCHASE, ev.get(2).type());

        Path bad = write("rr.csv", "timestamp,visitorid,event,itemid,transactionid\n1,2,view,3,\nsoon,2,view,3,\n1,,view,3,\n");
        BadInputException e = assertThrows(BadInputException.class, () -> readAll(Datasets.open(DataFormat.RETAILROCKET, bad)));
        assertEquals(3, e.line());
        assertEquals("timestamp", e.field());
        assertEquals(Map.of("timestamp: not an integer", 1L, "visitorid: empty", 1L),
                lenientReport(DataFormat.RETAILROCKET, bad, 1).skipped());
        Path noHeader = write("nh.csv", "1,2,view,3,\n");
        BadInputException h = assertThrows(BadInputException.class, () -> Datasets.open(DataFormat.RETAILROCKET, noHeader));
        assertEquals(1, h.line());
    }

    @Test
    void movieLensThreeLayouts() throws IOException {
        BehaviorEvent expected = BehaviorEvent.builder("196", "242", EventType.RATE, 881_250_949_000L).rating(3).build();
        Path udata = write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n");
        assertEquals(expected, readAll(Datasets.open(DataFormat.MOVIELENS, udata)).get(0));
        Path dat = write("ratings.dat", "196::242::3::881250949\n1::1193::5::978300760\n");
        assertEquals(expected, readAll(Datasets.open(DataFormat.MOVIELENS, dat)).get(0));
        Path csv = write("ratings.csv", "userId,movieId,rating,timestamp\n196,242,3.0,881250949\n1,31,2.5,1260759144\n");
        List<BehaviorEvent> ev = readAll(Datasets.open(DataFormat.MOVIELENS, csv));
        assertEquals(expected, ev.get(0));
        assertEquals(2.5, ev.get(1).ratingOrNaN());

        Path bad = write("bad.data", "196\t242\t3\t881250949\n196\t242\tgood\t881250949\n196\t242\t3\n196\t242\t-1\t881250949\n");
        BadInputException e = assertThrows(BadInputException.class, () -> readAll(Datasets.open(DataFormat.MOVIELENS, bad)));
        assertEquals(2, e.line());
        assertEquals("rating", e.field());
        assertEquals(Map.of("rating: not a number", 1L, "wrong number of columns", 1L, "rating: out of range", 1L),
                lenientReport(DataFormat.MOVIELENS, bad, 1).skipped());
        Path badDat = write("b.dat", "1::2::3::4\n1:2::3::4\n");
        assertEquals(Map.of("wrong number of columns", 1L), lenientReport(DataFormat.MOVIELENS, badDat, 1).skipped());
    }

    @Test
    void recBoleWithSideFiles() throws IOException {
        write("shop.inter", "user_id:token\titem_id:token\trating:float\ttimestamp:float\n1\t10\t4\t100.5\n2\t11\t\t200\n");
        write("shop.user", "user_id:token\tage:token\tgender:token\toccupation:token\tzip_code:token\n1\t30\tF\tnurse\t12345\n");
        write("shop.item", "item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq\n"
                + "10\tToy Story\t1995\tAnimation Comedy\n11\tHeat\t1995\t\n");
        Dataset d = Datasets.load(DataFormat.RECBOLE, dir);
        assertEquals(dir.getFileName().toString(), d.name());
        assertEquals(BehaviorEvent.builder("1", "10", EventType.RATE, 100_500).rating(4).build(), d.events().get(0));
        assertTrue(d.events().get(1).rating().isEmpty());
        assertEquals("12345", d.users().get("1").region());
        assertEquals(30, d.users().get("1").age());
        Item toy = d.catalog().item("10").orElseThrow();
        assertEquals("Toy Story", toy.title());
        assertEquals(List.of("Animation"), toy.categoryPath());
        assertEquals(Map.of("release_year", "1995", "class", "Animation Comedy"), toy.attributes());
        assertNull(d.catalog().item("11").orElseThrow().topCategory());

        Path untyped = write("u.inter", "user_id\titem_id\n1\t2\n");
        BadInputException e = assertThrows(BadInputException.class, () -> Datasets.open(DataFormat.RECBOLE, untyped));
        assertEquals(1, e.line());
        assertTrue(e.reason().contains("name:type"), e.reason());
        Path sessions = write("s.inter", "session_id:token\titem_id:token\n7\t1\n7\t2\n8\t1\t9\n");
        BadInputException w = assertThrows(BadInputException.class, () -> readAll(Datasets.open(DataFormat.RECBOLE, sessions)));
        assertEquals(4, w.line());
        try (EventSource s = Datasets.open(DataFormat.RECBOLE, sessions, ReadOptions.lenient())) {
            List<BehaviorEvent> ev = readAll(s);
            assertEquals(2, ev.size());
            assertEquals("7", ev.get(0).userId());
            assertEquals("7", ev.get(0).sessionId().orElseThrow());
            assertEquals(EventType.VIEW, ev.get(0).type());
            assertTrue(ev.get(1).timestampMillis() > ev.get(0).timestampMillis());
            assertEquals(Map.of("wrong number of columns", 1L), s.report().skipped());
        }
    }

    @Test
    void s3RecWithAttributes() throws IOException {
        write("Toy.txt", "1 1 2 3\n2 4 1\n3  5\t6 \n");
        write("Toy_item2attributes.json", "{\"1\": [7, 8, 9], \"2\": [8], \"4\": [10, 8, 9]}");
        Dataset d = Datasets.load(DataFormat.S3REC, dir);
        assertEquals(7, d.events().size());
        assertEquals(BehaviorEvent.of("1", "1", EventType.PURCHASE, 0), d.events().get(0));
        for (int i = 1; i < d.events().size(); i++) {
            assertTrue(d.events().get(i).timestampMillis() > d.events().get(i - 1).timestampMillis());
        }
        assertEquals(List.of("5", "6"), d.events().subList(5, 7).stream().map(BehaviorEvent::itemId).toList());
        Item i1 = d.catalog().item("1").orElseThrow();
        assertEquals("7 8 9", i1.attributes().get("attributes"));
        assertEquals("7", i1.brand());
        assertEquals(List.of("8", "9"), i1.categoryPath());
        assertNull(d.catalog().item("2").orElseThrow().brand());
        assertEquals(3, d.catalog().size());

        Path bad = write("bad.txt", "1 2 3\n4\n5 6\n");
        BadInputException e = assertThrows(BadInputException.class, () -> readAll(Datasets.open(DataFormat.S3REC, bad)));
        assertEquals(2, e.line());
        assertEquals(Map.of("no items", 1L), lenientReport(DataFormat.S3REC, bad, 3).skipped());
        write("Broken_item2attributes.json", "{\"1\": [7, 8");
        write("Broken.txt", "1 1\n");
        BadInputException j = assertThrows(BadInputException.class,
                () -> Datasets.load(DataFormat.S3REC, dir.resolve("Broken.txt")));
        assertTrue(j.getMessage().contains("malformed JSON"), j.getMessage());
    }

    @Test
    void sessionRecTabAndSpace() throws IOException {
        Path tab = write("train.tsv", "SessionId\tItemId\tTime\n1\t214536502\t1396839069.277\n1\t214536500\t1396839249.868\n");
        List<BehaviorEvent> ev = readAll(Datasets.open(DataFormat.SESSIONS, tab));
        assertEquals(BehaviorEvent.builder("1", "214536502", EventType.VIEW, 1_396_839_069_277L).session("1").build(), ev.get(0));
        Path space = write("train.txt", "SessionId  ItemId Time \n9   5 10.5\n");
        assertEquals(BehaviorEvent.builder("9", "5", EventType.VIEW, 10_500).session("9").build(),
                readAll(Datasets.open(DataFormat.SESSIONS, space)).get(0));
        Path bad = write("bad.tsv", "SessionId\tItemId\tTime\n1\t2\tnoon\n1\t2\n");
        BadInputException e = assertThrows(BadInputException.class, () -> readAll(Datasets.open(DataFormat.SESSIONS, bad)));
        assertEquals(2, e.line());
        assertEquals("Time", e.field());
        assertEquals(Map.of("Time: bad timestamp", 1L, "wrong number of columns", 1L),
                lenientReport(DataFormat.SESSIONS, bad, 0).skipped());
    }

    @Test
    void diginetica() throws IOException {
        Path f = write("views.csv", "session_id;user_id;item_id;timeframe;eventdate\n1;NA;81766;526309;2016-05-09\n"
                + "48;2;24764;8863;2016-04-09\n60;;22128;22704;2016-05-09\n");
        List<BehaviorEvent> ev = readAll(Datasets.open(DataFormat.SESSIONS, f));
        long may9 = LocalDate.of(2016, 5, 9).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        assertEquals(BehaviorEvent.builder("session:1", "81766", EventType.VIEW, may9 + 526_309).session("1").build(), ev.get(0));
        assertEquals("2", ev.get(1).userId());
        assertEquals("48", ev.get(1).sessionId().orElseThrow());
        assertEquals("session:60", ev.get(2).userId());
        Path bad = write("bad.csv", "session_id;user_id;item_id;timeframe;eventdate\n1;NA;5;10;2016-13-01\n1;NA;5;x;2016-01-01\n"
                + "1;NA;5;10;2016-01-01\n");
        BadInputException e = assertThrows(BadInputException.class, () -> readAll(Datasets.open(DataFormat.SESSIONS, bad)));
        assertEquals("eventdate", e.field());
        assertEquals(Map.of("eventdate: bad date", 1L, "timeframe: not an integer", 1L),
                lenientReport(DataFormat.SESSIONS, bad, 1).skipped());
    }

    @Test
    void formatNamesAndFolderResolution() throws IOException {
        for (DataFormat f : DataFormat.values()) {
            assertEquals(f, DataFormat.parse(f.cliName()));
            assertEquals(f, DataFormat.parse(f.name()));
        }
        BadInputException e = assertThrows(BadInputException.class, () -> DataFormat.parse("parquet"));
        assertTrue(e.getMessage().contains("events-csv, taobao, retailrocket, movielens, recbole, s3rec, sessions"), e.getMessage());
        write("a.inter", "user_id:token\titem_id:token\n");
        write("b.inter", "user_id:token\titem_id:token\n");
        BadInputException two = assertThrows(BadInputException.class, () -> Datasets.open(DataFormat.RECBOLE, dir));
        assertTrue(two.getMessage().contains("several"), two.getMessage());
        assertThrows(BadInputException.class, () -> ColumnMapping.parse("user=x"));
        assertThrows(BadInputException.class, () -> ColumnMapping.defaults().with(ColumnMapping.Field.USER_ID, "item_id"));
        assertThrows(BadInputException.class, () -> ReadOptions.lenient().withMaxErrors(-2));
        assertThrows(BadInputException.class, () -> Datasets.open(null, dir));
        assertThrows(BadInputException.class, () -> Datasets.load(DataFormat.S3REC, null));
    }
}
