package org.persona4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.persona4j.io.EventsCsvReaderTest.HEADER;
import static org.persona4j.io.EventsCsvReaderTest.readAll;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventSource;
import org.persona4j.core.ReadReport;

/**
 * Issue 23, points 4 and 5: the readers apply {@link org.persona4j.core.EventRules}, refuse
 * invalid UTF-8, empty inputs, cut-off last lines and garbage, recover from stray quotes, and echo
 * input only cut and escaped.
 */
class ReaderHardeningTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private Path write(String name, String content) throws IOException {
        return write(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private static BadInputException strictFails(DataFormat f, Path p) {
        return assertThrows(BadInputException.class, () -> readAll(Datasets.open(f, p, ReadOptions.strict())));
    }

    /** Reads leniently; returns the report, with the events' count checked. */
    private static ReadReport lenient(DataFormat f, Path p, int expectedEvents) {
        try (EventSource s = Datasets.open(f, p, ReadOptions.lenient())) {
            assertEquals(expectedEvents, readAll(s).size());
            return s.report();
        }
    }

    // ---- point 4: one set of rules ---------------------------------------------------------------

    @Test
    void eventsCsvRefusesOutOfRangeValuesNamingFieldLineAndExpectation() throws IOException {
        String[][] cases = {
            // column, value, what the message must hold
            {"timestamp", "9223372036854775807", "9999-12-31"},
            {"timestamp", "+10000-01-01T00:00:00Z", "9999-12-31"},
            {"timestamp", "99999999999999999999999", "9999-12-31"},
            {"quantity", "1e20", "integer"},
            {"quantity", "0.5", "integer"},
            {"quantity", "4294967297", "from 1 to 2147483647"},
            {"dwell_ms", "-1", "from 0 to"},
            {"dwell_ms", "1.5", "integer"},
            {"dwell_ms", "99999999999999999999", "at most 18 digits"},
            {"dwell_ms", "31536000001", "from 0 to"},
            {"price", "NaN", "finite"},
            {"price", "Infinity", "finite"},
            {"price", "-1", ">= 0"},
            {"rating", "NaN", "finite"},
            {"rating", "-0.5", ">= 0"},
        };
        List<String> cols = List.of(HEADER.split(","));
        for (String[] c : cases) {
            String[] row = "u1,i1,PURCHASE,1000,,,,,,,".split(",", -1);
            row[cols.indexOf(c[0])] = c[1];
            Path f = write("events.csv", HEADER + "\nu0,i0,VIEW,1,,,,,,,\n" + String.join(",", row) + "\n");
            BadInputException e = strictFails(DataFormat.EVENTS_CSV, f);
            String what = c[0] + "=" + c[1] + ": " + e.getMessage();
            assertEquals(3, e.line(), what);
            assertEquals(c[0], e.field(), what);
            assertTrue(e.getMessage().startsWith(f + ":3: field '" + c[0] + "': expected"), what);
            assertTrue(e.reason().contains(c[2]), what);
            assertEquals(1, lenient(DataFormat.EVENTS_CSV, f, 1).skippedTotal(), what);
        }
    }

    @Test
    void otherFormatsApplyTheSameTimestampRange() throws IOException {
        Path tb = write("UserBehavior.csv", "1,2,3,pv,1511544070\n1,2,3,pv,253402300800\n");
        assertEquals("timestamp", strictFails(DataFormat.TAOBAO, tb).field());
        Path rr = write("rr.csv", "timestamp,visitorid,event,itemid,transactionid\n1,2,view,3,\n99999999999999999999999,2,view,3,\n");
        BadInputException e = strictFails(DataFormat.RETAILROCKET, rr);
        assertEquals("timestamp", e.field());
        assertEquals(3, e.line());
        Path ml = write("u.data", "1\t2\t3\t881250949\n1\t2\t3\t9223372036854775807\n");
        assertEquals("timestamp", strictFails(DataFormat.MOVIELENS, ml).field());
    }

    // ---- point 5: readers ------------------------------------------------------------------------

    @Test
    void invalidUtf8IsRefusedSoDistinctIdsNeverMerge() throws IOException {
        byte[] latin1 = "caf\u00e9,1,2,pv,1511544070\ncaf\u00e8,1,2,pv,1511544071\nbob,1,2,pv,1511544072\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        Path f = write("UserBehavior.csv", latin1);
        BadInputException e = strictFails(DataFormat.TAOBAO, f);
        assertEquals(f.toString(), e.source());
        assertEquals(1, e.line());
        assertTrue(e.reason().contains("invalid UTF-8 at byte 4") && e.reason().contains("0xE9"), e.getMessage());
        ReadReport r = lenient(DataFormat.TAOBAO, f, 1);
        assertEquals(Map.of("invalid UTF-8", 2L), r.skipped());

        Path s3 = write("seq.txt", "caf\u00e9 1 2\ncaf\u00e8 3 4\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(1, strictFails(DataFormat.S3REC, s3).line());
        assertEquals(Map.of("invalid UTF-8", 2L), lenient(DataFormat.S3REC, s3, 0).skipped());

        // valid multi-byte UTF-8, and a truncated sequence at the very end of a line
        Path ok = write("UserBehavior.csv", "caf\u00e9,\u4e2d,2,pv,1511544070\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("caf\u00e9", readAll(Datasets.open(DataFormat.TAOBAO, ok)).get(0).userId());
        byte[] cut = {'u', ',', 'i', (byte) 0xE4, (byte) 0xB8, ',', '2', ',', 'p', 'v', ',', '1', '\n'};
        assertTrue(strictFails(DataFormat.TAOBAO, write("UserBehavior.csv", cut)).reason().contains("invalid UTF-8"));
    }

    @Test
    void invalidUtf8InAHeaderIsFatal() throws IOException {
        byte[] h = "user_id,item_id,event_type,timestamp\u00e9\nu1,i1,VIEW,1\n".getBytes(StandardCharsets.ISO_8859_1);
        Path f = write("events.csv", h);
        BadInputException e = assertThrows(BadInputException.class,
                () -> Datasets.open(DataFormat.EVENTS_CSV, f, ReadOptions.lenient()));
        assertEquals(1, e.line());
        assertTrue(e.reason().contains("invalid UTF-8"), e.getMessage());
    }

    @Test
    void emptyInputIsAnErrorInStrictModeAndCountedInLenientMode() throws IOException {
        for (DataFormat f : List.of(DataFormat.TAOBAO, DataFormat.MOVIELENS, DataFormat.S3REC)) {
            for (String content : List.of("", "\n\n", "\r\n")) {
                Path p = write(f == DataFormat.S3REC ? "seq.txt" : f == DataFormat.MOVIELENS ? "u.data" : "UserBehavior.csv", content);
                BadInputException e = strictFails(f, p);
                assertTrue(e.getMessage().startsWith(p + ": file is empty: expected "), e.getMessage());
                ReadReport r = lenient(f, p, 0);
                assertEquals(1L, r.skipped().get("empty file"), f + " " + r.summary());
            }
        }
        Path headerOnly = write("events.csv", HEADER + "\n");
        BadInputException e = strictFails(DataFormat.EVENTS_CSV, headerOnly);
        assertTrue(e.reason().startsWith("no data lines after the header: expected"), e.getMessage());
        assertEquals(Map.of("empty file", 1L), lenient(DataFormat.EVENTS_CSV, headerOnly, 0).skipped());
        assertEquals(Map.of("empty file", 1L), Datasets.load(DataFormat.S3REC, write("seq.txt", ""), ReadOptions.lenient())
                .report().skipped());
    }

    @Test
    void aCutOffLastLineIsRefusedAndACompleteOneWithoutLineBreakIsRead() throws IOException {
        record Case(DataFormat format, String name, String complete, String cut) { }
        List<Case> cases = List.of(
                new Case(DataFormat.MOVIELENS, "u.data", "1\t2\t3\t881250949\n4\t5\t3\t881250950", "1\t2\t3\t881250949\n4\t5\t3\t8812"),
                new Case(DataFormat.MOVIELENS, "ratings.dat", "1::2::3::881250949\n4::5::3::881250950",
                        "1::2::3::881250949\n4::5::3::88125"),
                new Case(DataFormat.RECBOLE, "x.inter", "user_id:token\titem_id:token\ttimestamp:float\n1\t2\t881250949\n4\t5\t881250950",
                        "user_id:token\titem_id:token\ttimestamp:float\n1\t2\t881250949\n4\t5\t88"),
                new Case(DataFormat.SESSIONS, "s.tsv", "SessionId\tItemId\tTime\n1\t2\t1396839069.1\n1\t3\t1396839070.5",
                        "SessionId\tItemId\tTime\n1\t2\t1396839069.1\n1\t3\t13968"),
                new Case(DataFormat.SESSIONS, "d.csv", "session_id;user_id;item_id;timeframe;eventdate\n1;NA;2;100;2016-05-01\n"
                        + "1;NA;3;200;2016-05-02", "session_id;user_id;item_id;timeframe;eventdate\n1;NA;2;100;2016-05-01\n1;NA;3;200;2016"),
                new Case(DataFormat.S3REC, "seq.txt", "1 20 30 40\n2 50 60 70", "1 20 30 40\n2 50 60 7"),
                new Case(DataFormat.S3REC, "seq.txt", "1 20 30 40\n2 50 60 70", "1 20 30 40\n2 50 60 "),
                new Case(DataFormat.TAOBAO, "UserBehavior.csv", "1,2,3,pv,1511544070\n1,2,3,pv,1511544071",
                        "1,2,3,pv,1511544070\n1,2,3,pv,15115"));
        for (Case c : cases) {
            Path ok = write(c.name(), c.complete());
            int n = readAll(Datasets.open(c.format(), ok)).size();
            assertTrue(n >= 2, c + " read " + n);
            Path cut = write(c.name(), c.cut());
            BadInputException e = strictFails(c.format(), cut);
            assertTrue(e.reason().contains("cut off"), c + ": " + e.getMessage());
            assertEquals(c.complete().split("\n").length, e.line(), c.toString());
            ReadReport r = lenient(c.format(), cut, c.format() == DataFormat.S3REC ? 3 : 1);
            assertEquals(Map.of("truncated last line", 1L), r.skipped(), c.toString());
        }
        // a single line without a line break has nothing to compare with: read as is
        assertEquals(1, readAll(Datasets.open(DataFormat.MOVIELENS, write("u.data", "1\t2\t3\t88"))).size());
    }

    @Test
    void s3recGarbageIsSkippedAndAMostlyGarbageFileRefusedEvenWhenLenient() throws IOException {
        Random rnd = new Random(23);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("1 10 11 12\n2 13 14\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 600; i++) {
            byte[] g = new byte[8 + rnd.nextInt(60)];
            rnd.nextBytes(g);
            out.writeBytes(g);
            out.write('\n');
        }
        Path f = write("seq.txt", out.toByteArray());
        assertTrue(strictFails(DataFormat.S3REC, f).line() >= 3);
        BadInputException e = assertThrows(BadInputException.class, () -> readAll(Datasets.open(DataFormat.S3REC, f,
                ReadOptions.lenient())));
        assertTrue(e.reason().contains("the lenient limit") && e.reason().contains("S3-Rec"), e.getMessage());
        assertFalse(e.getMessage().chars().anyMatch(c -> c < 0x20), e.getMessage());
        try (EventSource s = Datasets.open(DataFormat.S3REC, f, ReadOptions.lenient().withMaxBadShare(1.0))) {
            List<BehaviorEvent> ev = readAll(s);
            assertEquals(5, ev.size(), "only the two real lines: " + s.report().summary());
            assertEquals(s.report().linesRead() - 2, s.report().skippedTotal(), "every other line counted: " + s.report().summary());
        }
        // NUL and other control characters in otherwise valid UTF-8 tokens
        Path nul = write("seq.txt", "1 10 11\nu\u0000 12\n2 13 \u001b[2J\n");
        BadInputException n = strictFails(DataFormat.S3REC, nul);
        assertEquals(2, n.line());
        assertEquals("user", n.field());
        assertEquals(Map.of("user: control character", 1L, "item: control character", 1L), lenient(DataFormat.S3REC, nul, 2).skipped());
    }

    @Test
    void theBadShareRuleSparesSmallFilesAndCanBeTuned() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            sb.append("1,2,3,").append(i % 4 == 0 ? "pv" : "teleport").append(",1511544070\n");
        }
        Path f = write("UserBehavior.csv", sb.toString());
        BadInputException e = assertThrows(BadInputException.class, () -> readAll(Datasets.open(DataFormat.TAOBAO, f,
                ReadOptions.lenient())));
        assertTrue(e.reason().contains("of the first"), e.getMessage());
        assertEquals(50, lenientWith(f, ReadOptions.lenient().withMaxBadShare(0.8)));
        assertEquals(50, lenientWith(f, ReadOptions.lenient().withMaxBadShare(1.0)));
        assertThrows(BadInputException.class, () -> ReadOptions.lenient().withMaxBadShare(0));
        assertThrows(BadInputException.class, () -> ReadOptions.lenient().withMaxBadShare(1.5));
        // fewer than 100 data lines: never refused by the share, only counted
        Path small = write("UserBehavior.csv", "1,2,3,pv,1511544070\n1,2,3,x,1\n1,2,3,x,1\n1,2,3,x,1\n");
        assertEquals(3, lenient(DataFormat.TAOBAO, small, 1).skippedTotal());
    }

    private static int lenientWith(Path f, ReadOptions o) {
        return readAll(Datasets.open(DataFormat.TAOBAO, f, o)).size();
    }

    @Test
    void aHugeHeaderIsNotEchoedWhole() throws IOException {
        String huge = "x".repeat(10 << 20);
        Path f = write("events.csv", huge + "\nu1,i1,VIEW,1\n");
        BadInputException e = assertThrows(BadInputException.class, () -> Datasets.open(DataFormat.EVENTS_CSV, f));
        assertTrue(e.getMessage().length() < 1_000, "message of " + e.getMessage().length() + " chars");
        assertTrue(e.getMessage().contains("(10485760 chars)"), e.getMessage());
        Path rb = write("x.inter", huge + "\n1\n");
        BadInputException r = assertThrows(BadInputException.class, () -> Datasets.open(DataFormat.RECBOLE, rb));
        assertTrue(r.getMessage().length() < 1_000, "message of " + r.getMessage().length() + " chars");
        Path ss = write("s.tsv", huge + "\n1\n");
        assertTrue(assertThrows(BadInputException.class, () -> Datasets.open(DataFormat.SESSIONS, ss)).getMessage().length() < 1_000);
    }

    @Test
    void escapeSequencesFromTheInputNeverReachTheLogOrMessages() throws IOException {
        String esc = "\u001b]0;pwned\u0007\u001b[2J\u009b31m";
        Path f = write("UserBehavior.csv", "1,2,3,pv,1511544070\n1,2,3," + esc + ",1511544070\n" + "u" + esc + ",2,3,pv,1511544070\n"
                + "1,2,3,pv," + esc + "\n");
        BadInputException e = strictFails(DataFormat.TAOBAO, f);
        assertTrue(e.getMessage().contains("\\u001B]0;pwned\\u0007"), e.getMessage());
        PrintStream old = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            assertEquals(3, lenient(DataFormat.TAOBAO, f, 1).skippedTotal());
        } finally {
            System.setErr(old);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("skipped"), "expected the WARN lines on System.err: " + logged);
        assertFalse(logged.chars().anyMatch(c -> c == 0x1b || c == 0x07 || c == 0x9b), logged);
        // headers and RecBole header cells too
        Path rb = write("x.inter", "user_id:token\titem_id:" + esc + "\n1\t2\n");
        BadInputException h = assertThrows(BadInputException.class, () -> Datasets.open(DataFormat.RECBOLE, rb));
        assertFalse(h.getMessage().chars().anyMatch(c -> c == 0x1b || c == 0x07 || c == 0x9b), h.getMessage());
    }

    @Test
    void aStrayQuoteSkipsOnlyItsLineAndReadingGoesOn() throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append("\nu1,i1,VIEW,1,,,,,,,\nu2,\"i2,VIEW,2,,,,,,,\n");
        for (int i = 0; i < 7; i++) {
            sb.append("g").append(i).append(",i,VIEW,").append(10 + i).append(",,,,,,,\n");
        }
        Path f = write("events.csv", sb.toString());
        BadInputException e = strictFails(DataFormat.EVENTS_CSV, f);
        assertEquals(3, e.line());
        assertTrue(e.reason().contains("unclosed quote"), e.getMessage());
        ReadReport r = lenient(DataFormat.EVENTS_CSV, f, 8);
        assertEquals(Map.of("malformed CSV", 1L), r.skipped());
        assertEquals(9, r.linesRead());

        // the stray quote pairs with a later, legitimate quote: still only its own line is lost
        StringBuilder sb2 = new StringBuilder(HEADER).append("\nu1,i1,VIEW,1,,,,,,,\nu2,\"i2,VIEW,2,,,,,,,\n");
        for (int i = 0; i < 5; i++) {
            sb2.append("g").append(i).append(",i,VIEW,").append(10 + i).append(",,,,,,,\n");
        }
        sb2.append("u9,i9,REVIEW,99,,,,,,,\"nice, really\"\n");
        Path f2 = write("events.csv", sb2.toString());
        try (EventSource s = Datasets.open(DataFormat.EVENTS_CSV, f2, ReadOptions.lenient())) {
            List<BehaviorEvent> ev = readAll(s);
            assertEquals(7, ev.size(), s.report().summary());
            assertEquals("nice, really", ev.get(6).reviewText().orElseThrow());
            assertEquals(Map.of("malformed CSV", 1L), s.report().skipped());
        }

        // legitimate multi-line quoted cells are unaffected
        Path ok = write("events.csv", HEADER + "\nu1,i1,REVIEW,1,,,,,,,\"two\nlines\"\nu2,i2,VIEW,2,,,,,,,\n");
        assertEquals(2, readAll(Datasets.open(DataFormat.EVENTS_CSV, ok)).size());
    }

    @Test
    void aQuoteStillOpenAfterOneMebibyteIsTakenForAStrayQuote() throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append("\nu0,\"i0,VIEW,1,,,,,,,\n");
        int n = 0;
        while (sb.length() < RecordReader.MAX_QUOTED + (200 << 10)) {
            sb.append("u").append(n).append(",i,VIEW,").append(n + 2).append(",,,,,,,\n");
            n++;
        }
        Path f = write("events.csv", sb.toString());
        try (EventSource s = Datasets.open(DataFormat.EVENTS_CSV, f, ReadOptions.lenient())) {
            assertEquals(n, readAll(s).size());
            assertEquals(Map.of("malformed CSV", 1L), s.report().skipped());
        }
    }
}
