package org.persona4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.store.StoreCorruptedException;

/** The event journal's file format, recovery (torn tail, corruption), group commit and truncation. */
class EventJournalTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    /** Collects replayed records as "seq:kind:user:item". */
    static final class Recording implements EventJournal.Sink {
        final List<String> records = new ArrayList<>();
        final List<BehaviorEvent> events = new ArrayList<>();

        @Override
        public void event(long seq, BehaviorEvent event) {
            records.add(seq + ":E:" + event.userId() + ":" + event.itemId());
            events.add(event);
        }

        @Override
        public void forget(long seq, String userId) {
            records.add(seq + ":F:" + userId);
        }
    }

    private static BehaviorEvent ev(String user, int i) {
        return BehaviorEvent.builder(user, "item-" + i, EventType.ADD_TO_CART, T0 + i).session("s" + (i % 3))
                .quantity(1 + i % 4).price(9.5 + i).dwellMillis(i).build();
    }

    private EventJournal open(long segmentBytes, Recording sink) {
        return EventJournal.open(dir, JournalDurability.SYNC, segmentBytes, sink);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(EventJournal.SUFFIX)).sorted().toList();
        }
    }

    @Test
    void recordsComeBackInOrderWithEveryFieldAndSequenceNumbersContinue() {
        List<BehaviorEvent> written = new ArrayList<>();
        try (EventJournal j = open(EventJournal.DEFAULT_SEGMENT_BYTES, new Recording())) {
            for (int i = 1; i <= 3; i++) {
                BehaviorEvent e = ev("u" + i, i);
                written.add(e);
                j.awaitDurable(j.appendEvent(e));
            }
            j.awaitDurable(j.appendForget("u2"));
            assertEquals(4, j.appended());
        }
        Recording r = new Recording();
        try (EventJournal j = open(EventJournal.DEFAULT_SEGMENT_BYTES, r)) {
            long s0 = Long.parseLong(r.records.get(0).split(":")[0]);
            assertTrue(s0 > 1_000_000_000_000_000L, "a new journal numbers from the clock: " + s0);
            assertEquals(List.of(s0 + ":E:u1:item-1", (s0 + 1) + ":E:u2:item-2", (s0 + 2) + ":E:u3:item-3", (s0 + 3) + ":F:u2"),
                    r.records);
            for (int i = 0; i < 3; i++) {
                BehaviorEvent a = written.get(i);
                BehaviorEvent b = r.events.get(i);
                assertEquals(a.timestampMillis(), b.timestampMillis());
                assertEquals(a.sessionId(), b.sessionId());
                assertEquals(a.quantity(), b.quantity());
                assertEquals(a.priceOrNaN(), b.priceOrNaN());
                assertEquals(a.dwellMillisOrMinus1(), b.dwellMillisOrMinus1());
                assertEquals(a.type(), b.type());
            }
            assertEquals(s0 + 4, j.appendEvent(ev("u9", 9)), "numbering goes on after the replayed records");
        }
    }

    @Test
    void oneWriteCoversEveryRecordBufferedBeforeIt() {
        try (EventJournal j = open(EventJournal.DEFAULT_SEGMENT_BYTES, new Recording())) {
            long a = j.appendEvent(ev("a", 1));
            long b = j.appendEvent(ev("b", 2));
            long c = j.appendEvent(ev("c", 3));
            j.awaitDurable(c);
            assertEquals(1, j.commits(), "one write (and fsync) for the three records");
            j.awaitDurable(a);
            j.awaitDurable(b);
            assertEquals(1, j.commits(), "records already covered need no write of their own");
        }
    }

    @Test
    void aTornTailIsCutOffAndTheRecordsBeforeItSurvive() throws IOException {
        long s0;
        try (EventJournal j = open(EventJournal.DEFAULT_SEGMENT_BYTES, new Recording())) {
            s0 = j.appendEvent(ev("u", 1));
            j.awaitDurable(s0);
            for (int i = 2; i <= 5; i++) {
                j.awaitDurable(j.appendEvent(ev("u", i)));
            }
        }
        Path seg = segments().get(0);
        long size = Files.size(seg);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(size - 7); // the last record cut in the middle, as a crash mid-write leaves it
        }
        Recording r = new Recording();
        try (EventJournal j = open(EventJournal.DEFAULT_SEGMENT_BYTES, r)) {
            assertEquals(4, r.records.size(), r.records.toString());
            assertEquals(s0 + 4, j.appendEvent(ev("u", 6)), "the cut record's number is given out again");
            j.awaitDurable(s0 + 4);
        }
        Recording again = new Recording();
        try (EventJournal j = open(EventJournal.DEFAULT_SEGMENT_BYTES, again)) {
            assertEquals(5, again.records.size());
            assertEquals((s0 + 4) + ":E:u:item-6", again.records.get(4));
        }
    }

    @Test
    void garbageAfterTheLastRecordIsATornTailToo() throws IOException {
        try (EventJournal j = open(EventJournal.DEFAULT_SEGMENT_BYTES, new Recording())) {
            j.awaitDurable(j.appendEvent(ev("u", 1)));
        }
        Path seg = segments().get(0);
        Files.write(seg, new byte[] {0, 0, 0, 40, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 2, 1, 'x', 'y'}, StandardOpenOption.APPEND);
        Recording r = new Recording();
        try (EventJournal j = open(EventJournal.DEFAULT_SEGMENT_BYTES, r)) {
            assertEquals(1, r.records.size());
            assertTrue(r.records.get(0).endsWith(":E:u:item-1"), r.records.toString());
        }
    }

    @Test
    void corruptionInAClosedSegmentIsRefusedWithFileAndOffset() throws IOException {
        try (EventJournal j = open(256, new Recording())) {
            for (int i = 1; i <= 40; i++) {
                j.awaitDurable(j.appendEvent(ev("user-" + i, i)));
            }
        }
        List<Path> segs = segments();
        assertTrue(segs.size() >= 3, "small segments roll: " + segs);
        Path first = segs.get(0);
        byte[] bytes = Files.readAllBytes(first);
        bytes[bytes.length - 3] ^= 0x5A; // inside the last record's payload
        Files.write(first, bytes);
        StoreCorruptedException e = assertThrows(StoreCorruptedException.class, () -> open(256, new Recording()));
        assertTrue(e.getMessage().contains(first.getFileName().toString()) && e.getMessage().contains("at byte")
                && e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void aMissingSegmentIsAGapInTheNumbersAndRefused() throws IOException {
        try (EventJournal j = open(256, new Recording())) {
            for (int i = 1; i <= 40; i++) {
                j.awaitDurable(j.appendEvent(ev("user-" + i, i)));
            }
        }
        List<Path> segs = segments();
        Files.delete(segs.get(1));
        StoreCorruptedException e = assertThrows(StoreCorruptedException.class, () -> open(256, new Recording()));
        assertTrue(e.getMessage().contains("sequence number"), e.getMessage());
    }

    @Test
    void truncationDeletesOnlySegmentsWhollyBelowTheWatermarkAndNumberingNeverRestarts() throws IOException {
        long s0;
        try (EventJournal j = open(256, new Recording())) {
            s0 = j.appendEvent(ev("user-1", 1));
            for (int i = 2; i <= 40; i++) {
                j.awaitDurable(j.appendEvent(ev("user-" + i, i)));
            }
            long before = j.retainedBytes();
            int n = j.truncateBelow(s0 + 19, false);
            assertTrue(n >= 1, "some segment lies below record 20");
            assertTrue(j.retainedBytes() < before);
        }
        Recording r = new Recording();
        try (EventJournal j = open(256, r)) {
            long firstSeq = Long.parseLong(r.records.get(0).split(":")[0]);
            assertTrue(firstSeq > s0 && firstSeq <= s0 + 19, "replay starts in the segment holding record 20: " + r.records.get(0));
            assertEquals((s0 + 39) + ":E:user-40:item-40", r.records.get(r.records.size() - 1));
            j.truncateBelow(s0 + 40, true);
        }
        Recording none = new Recording();
        try (EventJournal j = open(256, none)) {
            assertEquals(List.of(), none.records, "everything gone, the current segment included");
            assertEquals(s0 + 40, j.appendEvent(ev("x", 1)), "an emptied journal goes on numbering where it was");
        }
    }

    @Test
    void aBufferedJournalWritesTheSameBytes() throws IOException {
        try (EventJournal j = EventJournal.open(dir, JournalDurability.BUFFERED, 1 << 20, new Recording())) {
            j.awaitDurable(j.appendEvent(ev("u", 1)));
        }
        byte[] buffered = Files.readAllBytes(segments().get(0));
        Path other = dir.resolve("sync");
        try (EventJournal j = EventJournal.open(other, JournalDurability.SYNC, 1 << 20, new Recording())) {
            j.awaitDurable(j.appendEvent(ev("u", 1)));
        }
        byte[] synced;
        try (Stream<Path> s = Files.list(other)) {
            synced = Files.readAllBytes(s.findFirst().orElseThrow());
        }
        // Sequence numbers start from the clock for a fresh journal: mask the first record's sequence number
        // (length, checksum, sequence number, kind, payload) and compare everything else.
        assertEquals(buffered.length, synced.length);
        int at = EventJournal.HEADER.length() + 8;
        java.util.Arrays.fill(buffered, at, at + 8, (byte) 0);
        java.util.Arrays.fill(synced, at, at + 8, (byte) 0);
        assertArrayEquals(buffered, synced);
    }
}
