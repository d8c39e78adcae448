package org.persona4j.engine;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Ids;
import org.persona4j.core.PersonaException;
import org.persona4j.io.FormatHeader;
import org.persona4j.store.StoreCorruptedException;
import org.persona4j.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's write-ahead event journal: every accepted event (and every {@code forget}) is
 * appended here, and written — fsynced with {@link JournalDurability#SYNC} — before the engine
 * applies it and the call returns. The write-behind later stores the users' state; segments whose
 * records are all covered by stored state are deleted ({@link #truncateBelow}). On start the
 * engine replays what is left ({@link #open}), so an acknowledged event survives {@code kill -9}.
 *
 * <p><b>Group commit.</b> Appending only copies the record into a shared buffer under a short
 * lock. {@link #awaitDurable} then writes: the first caller to take the I/O lock writes (and
 * fsyncs) everything buffered so far, and the callers whose records that batch covered return
 * without an I/O of their own. One fsync thus serves every caller that arrived during the previous
 * one.
 *
 * <p><b>Files.</b> Segments {@code events-<first sequence number>.p4wal} in one folder, each
 * starting with the header {@code "P4WL" | version} and holding records
 * {@code payload length (int) | CRC-32C of kind and payload (int) | sequence number (long) | kind
 * (byte) | payload}. An event's payload is its (pseudonymised) user id ({@code writeUTF}) and the
 * event as {@link EventLogCodec#writeEvent} writes it; a forget's is the user id. Sequence numbers
 * rise by one from record to record across segments and never restart: an emptied journal keeps
 * an empty segment named after the next number, and a new journal starts from the clock
 * (milliseconds × 1000), so that the numbers stored with users' state stay below every new one. A
 * segment is closed and a new one started when it passes {@code segmentBytes}.
 *
 * <p><b>Recovery.</b> A record cut short or failing its checksum at the end of the last segment is
 * the torn tail of a write that was never acknowledged: it is cut off (logged at WARN). The same
 * anywhere else, or a gap in the sequence numbers, is corruption and refuses to open with a
 * {@link StoreCorruptedException} naming the file and offset.
 *
 * <p><b>Gate.</b> A caller holds {@link #enter()} from appending until it has applied the record
 * and marked its user pending; {@link #quiescentNextSeq()} waits for no caller to be inside, so
 * that every record below the number it returns is either applied and pending, or stored.
 * Thread-safe.
 */
final class EventJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventJournal.class);
    static final String PREFIX = "events-";
    static final String SUFFIX = ".p4wal";
    static final int VERSION = 1;
    static final FormatHeader HEADER = FormatHeader.compactBinary("P4WL event journal",
            new byte[] {'P', '4', 'W', 'L'}, VERSION, VERSION);
    static final byte KIND_EVENT = 1;
    static final byte KIND_FORGET = 2;
    /** Bytes before a record's payload: length, checksum, sequence number, kind. */
    static final int RECORD_HEADER = 4 + 4 + 8 + 1;
    /** The largest payload a record may carry (far above an event with ids of the maximum length). */
    static final int MAX_PAYLOAD = 1 << 20;
    /** Segment size after which a new segment is started, by default. */
    static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

    /** Receives the records found on {@link #open}, in sequence order. */
    interface Sink {
        /**
         * @param seq the record's sequence number
         * @param event the journaled event (its user id as journaled, i.e. pseudonymised)
         */
        void event(long seq, BehaviorEvent event);

        /**
         * @param seq the record's sequence number
         * @param userId the forgotten user
         */
        void forget(long seq, String userId);
    }

    /** A closed segment: its file, the sequence numbers it holds and its size. */
    private record Segment(Path path, long firstSeq, long lastSeq, long bytes) {
    }

    /** A byte buffer whose array can be written without a copy. */
    private static final class Buf extends ByteArrayOutputStream {
        Buf(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }

        void putInt(int v) {
            write(v >>> 24);
            write(v >>> 16);
            write(v >>> 8);
            write(v);
        }

        void putLong(long v) {
            putInt((int) (v >>> 32));
            putInt((int) v);
        }
    }

    private static final ThreadLocal<Buf> SCRATCH = ThreadLocal.withInitial(() -> new Buf(256));

    private final Path dir;
    private final JournalDurability durability;
    private final long segmentBytes;
    private final ReentrantLock bufLock = new ReentrantLock();
    private final ReentrantLock ioLock = new ReentrantLock();
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private final ArrayDeque<Segment> closedSegments = new ArrayDeque<>(); // guarded by ioLock
    private final LongAdder commits = new LongAdder();
    private final LongAdder appended = new LongAdder();
    private Buf pending = new Buf(64 * 1024); // guarded by bufLock
    private Buf spare = new Buf(64 * 1024); // guarded by ioLock
    private long lastSeq; // guarded by bufLock
    private volatile long durableSeq;
    private volatile long retainedBytes;
    private volatile Throwable failure;
    private FileChannel channel; // guarded by ioLock
    private Path currentPath;
    private long currentFirst;
    private long currentBytes;
    private boolean closed;

    private EventJournal(Path dir, JournalDurability durability, long segmentBytes) {
        this.dir = dir;
        this.durability = durability;
        this.segmentBytes = segmentBytes;
    }

    /**
     * Opens (creating when missing) the journal in {@code dir}, handing every record found there to
     * {@code sink} in order, and starts a new segment for appends.
     *
     * @param dir the journal's folder
     * @param durability what a completed {@link #awaitDurable} guarantees
     * @param segmentBytes size after which a segment is closed, > 0
     * @param sink receives the records already in the journal
     * @return the open journal
     * @throws StoreCorruptedException when a segment is corrupt (other than a torn tail)
     * @throws StoreException when the folder cannot be read or written
     */
    static EventJournal open(Path dir, JournalDurability durability, long segmentBytes, Sink sink) {
        EventJournal j = new EventJournal(dir, durability, segmentBytes);
        try {
            Files.createDirectories(dir);
            List<Path> files = segmentsIn(dir);
            long expect = -1;
            long total = 0;
            // numbering never restarts: an emptied journal keeps an empty segment named after the
            // next number; a journal with no segment at all (new, or deleted by hand) starts from
            // the clock, above any number an earlier journal in this folder can have reached
            long floor = files.isEmpty() ? System.currentTimeMillis() * 1000L : 0L;
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                floor = Math.max(floor, firstSeqOf(f) - 1);
                long[] range = j.replaySegment(f, i == files.size() - 1, expect, sink);
                if (range == null) {
                    Files.deleteIfExists(f); // no records (an emptied journal, or created just before a crash)
                    continue;
                }
                expect = range[1] + 1;
                total += range[1] - range[0] + 1;
                long size = Files.size(f);
                j.closedSegments.add(new Segment(f, range[0], range[1], size));
                j.retainedBytes += size;
            }
            j.lastSeq = Math.max(floor, expect - 1);
            j.durableSeq = j.lastSeq;
            j.startSegment(j.lastSeq + 1);
            if (total > 0) {
                LOG.info("event journal {}: {} records in {} segments to replay", dir, total, j.closedSegments.size());
            }
            return j;
        } catch (IOException ex) {
            j.closeQuietly();
            throw new StoreException("event journal " + dir + ": cannot open: " + ex, ex);
        } catch (RuntimeException ex) {
            j.closeQuietly();
            throw ex;
        }
    }

    private static List<Path> segmentsIn(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(PREFIX) && n.endsWith(SUFFIX) && firstSeqOf(p) >= 0;
            }).forEach(out::add);
        }
        out.sort((a, b) -> Long.compare(firstSeqOf(a), firstSeqOf(b)));
        return out;
    }

    private static long firstSeqOf(Path p) {
        String n = p.getFileName().toString();
        try {
            return Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length()));
        } catch (NumberFormatException | IndexOutOfBoundsException ex) {
            return -1;
        }
    }

    /** @return {first, last} sequence number replayed, or null when the segment holds no record */
    private long[] replaySegment(Path f, boolean last, long expect, Sink sink) throws IOException {
        long first = -1;
        long prev = expect - 1;
        long offset;
        long fileSize = Files.size(f);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(f), 1 << 16);
             DataInputStream in = new DataInputStream(raw)) {
            if (fileSize < HEADER.length()) {
                if (!last) {
                    throw new StoreCorruptedException("event journal " + f + ": " + fileSize + " bytes, shorter than its header");
                }
                return null;
            }
            HEADER.read(in, "event journal " + f);
            offset = HEADER.length();
            byte[] payload = new byte[1024];
            CRC32C crc = new CRC32C();
            while (offset < fileSize) {
                String torn = null;
                int len;
                int sum;
                long seq;
                byte kind;
                if (fileSize - offset < RECORD_HEADER) {
                    torn = "a record header cut short";
                    len = 0;
                    sum = 0;
                    seq = 0;
                    kind = 0;
                } else {
                    len = in.readInt();
                    sum = in.readInt();
                    seq = in.readLong();
                    kind = in.readByte();
                    if (len < 0 || len > MAX_PAYLOAD) {
                        torn = "a record length of " + len + " bytes";
                    } else if (fileSize - offset - RECORD_HEADER < len) {
                        torn = "a record cut short";
                    } else {
                        if (payload.length < len) {
                            payload = new byte[Math.max(len, payload.length * 2)];
                        }
                        in.readFully(payload, 0, len);
                        crc.reset();
                        crc.update(kind);
                        crc.update(payload, 0, len);
                        if ((int) crc.getValue() != sum) {
                            torn = "a checksum mismatch";
                        } else if (kind != KIND_EVENT && kind != KIND_FORGET) {
                            torn = "an unknown record kind " + kind;
                        }
                    }
                }
                if (torn != null) {
                    if (!last) {
                        throw new StoreCorruptedException("event journal " + f + " at byte " + offset + ": " + torn
                                + " in a closed segment");
                    }
                    LOG.warn("event journal {}: {} at byte {}: cutting off the torn tail of {} bytes (never acknowledged)",
                            f, torn, offset, fileSize - offset);
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        ch.truncate(offset);
                        ch.force(true);
                    }
                    break;
                }
                if (prev >= 0 && seq != prev + 1) {
                    throw new StoreCorruptedException("event journal " + f + " at byte " + offset + ": sequence number "
                            + seq + " where " + (prev + 1) + " was expected");
                }
                if (first < 0) {
                    first = seq;
                }
                prev = seq;
                deliver(f, offset, seq, kind, payload, len, sink);
                offset += RECORD_HEADER + len;
            }
        }
        return first < 0 ? null : new long[] {first, prev};
    }

    private static void deliver(Path f, long offset, long seq, byte kind, byte[] payload, int len, Sink sink) {
        String where = "event journal " + f + " at byte " + offset;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload, 0, len))) {
            String user = in.readUTF();
            if (kind == KIND_FORGET) {
                sink.forget(seq, user);
            } else {
                sink.event(seq, EventLogCodec.readEvent(in, user, where));
            }
            if (in.available() != 0) {
                throw new StoreCorruptedException(where + ": " + in.available() + " trailing bytes in a record");
            }
        } catch (EOFException ex) {
            throw new StoreCorruptedException(where + ": record payload truncated", ex);
        } catch (IOException ex) {
            throw new StoreCorruptedException(where + ": unreadable record: " + ex, ex);
        } catch (BadInputException ex) {
            throw new StoreCorruptedException(where + ": invalid event: " + ex.getMessage(), ex);
        }
    }

    private void startSegment(long firstSeq) throws IOException {
        Path p = dir.resolve(String.format("%s%020d%s", PREFIX, firstSeq, SUFFIX));
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            ByteBuffer header = ByteBuffer.wrap(HEADER.toBytes(VERSION));
            while (header.hasRemaining()) {
                ch.write(header);
            }
            if (durability == JournalDurability.SYNC) {
                ch.force(true);
                syncDirectory();
            }
        } catch (IOException ex) {
            ch.close();
            throw ex;
        }
        channel = ch;
        currentPath = p;
        currentFirst = firstSeq;
        currentBytes = HEADER.length();
        retainedBytes += currentBytes;
    }

    /** Makes the new file's directory entry durable (a no-op where the platform cannot). */
    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ex) {
            LOG.debug("event journal: cannot fsync the folder {}: {}", dir, ex.toString());
        }
    }

    // ------------------------------------------------------------------ appending

    /** Enters the gate: hold it from {@link #appendEvent} until the record is applied. */
    void enter() {
        gate.readLock().lock();
    }

    /** Leaves the gate. */
    void exit() {
        gate.readLock().unlock();
    }

    /**
     * Waits until no caller is inside the gate and returns the next sequence number to be given
     * out: every record below it is then applied (and its user pending) or stored.
     *
     * @return the next sequence number
     */
    long quiescentNextSeq() {
        gate.writeLock().lock();
        try {
            bufLock.lock();
            try {
                return lastSeq + 1;
            } finally {
                bufLock.unlock();
            }
        } finally {
            gate.writeLock().unlock();
        }
    }

    /**
     * Buffers an event (not yet written: call {@link #awaitDurable}).
     *
     * @param event the event, its user id already pseudonymised
     * @return its sequence number
     * @throws BadInputException when an id is too long to journal
     * @throws StoreException when the journal failed earlier or is closed
     */
    long appendEvent(BehaviorEvent event) {
        Buf scratch = SCRATCH.get();
        scratch.reset();
        try {
            DataOutputStream out = new DataOutputStream(scratch);
            out.writeUTF(event.userId());
            EventLogCodec.writeEvent(out, event);
            out.flush();
        } catch (UTFDataFormatException ex) {
            throw new BadInputException("event journal: an id is too long to store (" + ex.getMessage()
                    + "); ids are limited to " + Ids.maxIdBytes() + " UTF-8 bytes");
        } catch (IOException ex) {
            throw new StoreException("event journal: cannot encode an event: " + ex, ex);
        }
        return append(KIND_EVENT, scratch);
    }

    /**
     * Buffers a forget record (not yet written: call {@link #awaitDurable}).
     *
     * @param userId the (pseudonymised) user
     * @return its sequence number
     */
    long appendForget(String userId) {
        Buf scratch = SCRATCH.get();
        scratch.reset();
        try {
            DataOutputStream out = new DataOutputStream(scratch);
            out.writeUTF(userId);
            out.flush();
        } catch (UTFDataFormatException ex) {
            throw new BadInputException("event journal: a user id is too long to store (" + ex.getMessage() + ")");
        } catch (IOException ex) {
            throw new StoreException("event journal: cannot encode a forget: " + ex, ex);
        }
        return append(KIND_FORGET, scratch);
    }

    private long append(byte kind, Buf payload) {
        int len = payload.size();
        if (len > MAX_PAYLOAD) {
            throw new BadInputException("event journal: a record of " + len + " bytes is over the limit of " + MAX_PAYLOAD);
        }
        CRC32C crc = new CRC32C();
        crc.update(kind);
        crc.update(payload.array(), 0, len);
        int sum = (int) crc.getValue();
        bufLock.lock();
        try {
            checkUsable();
            long seq = ++lastSeq;
            pending.putInt(len);
            pending.putInt(sum);
            pending.putLong(seq);
            pending.write(kind);
            pending.write(payload.array(), 0, len);
            appended.increment();
            return seq;
        } finally {
            bufLock.unlock();
        }
    }

    private void checkUsable() {
        if (closed) {
            throw new StoreException("event journal " + dir + " is closed");
        }
        Throwable f = failure;
        if (f != null) {
            throw new StoreException("event journal " + dir + " failed earlier and takes no more records: " + f, f);
        }
    }

    /**
     * Returns once the record {@code seq} is written (and, with {@link JournalDurability#SYNC},
     * fsynced). The caller that takes the I/O lock writes everything buffered so far.
     *
     * @param seq a sequence number from {@link #appendEvent} or {@link #appendForget}
     * @throws StoreException when the write fails (the journal then takes no more records)
     */
    void awaitDurable(long seq) {
        if (durableSeq >= seq) {
            return;
        }
        ioLock.lock();
        try {
            if (durableSeq >= seq) {
                return;
            }
            Buf batch;
            long upto;
            bufLock.lock();
            try {
                checkUsable();
                batch = pending;
                pending = spare;
                upto = lastSeq;
            } finally {
                bufLock.unlock();
            }
            spare = batch;
            try {
                ByteBuffer bb = ByteBuffer.wrap(batch.array(), 0, batch.size());
                while (bb.hasRemaining()) {
                    channel.write(bb);
                }
                if (durability == JournalDurability.SYNC) {
                    channel.force(false);
                }
            } catch (IOException | RuntimeException ex) {
                failure = ex;
                throw new StoreException("event journal: writing " + currentPath + " failed: " + ex, ex);
            }
            currentBytes += batch.size();
            retainedBytes += batch.size();
            batch.reset();
            durableSeq = upto;
            commits.increment();
            if (currentBytes >= segmentBytes) {
                roll(upto);
            }
        } finally {
            ioLock.unlock();
        }
    }

    /** Closes the current segment (holding records up to {@code upto}) and starts the next. Under ioLock. */
    private void roll(long upto) {
        try {
            channel.close();
            closedSegments.add(new Segment(currentPath, currentFirst, upto, currentBytes));
            channel = null;
            startSegment(upto + 1);
        } catch (IOException ex) {
            failure = ex;
            throw new StoreException("event journal: starting a new segment in " + dir + " failed: " + ex, ex);
        }
    }

    /**
     * Writes what is buffered and closes the current segment now (when it holds records), so that
     * it can be deleted as soon as the store covers it: after a forget, the forgotten user's
     * journaled events then go with the next truncation instead of waiting for the segment to fill.
     */
    void rollNow() {
        ioLock.lock();
        try {
            if (closed || failure != null) {
                return;
            }
            long upto;
            bufLock.lock();
            try {
                upto = lastSeq;
            } finally {
                bufLock.unlock();
            }
            awaitDurable(upto);
            if (durableSeq >= currentFirst) {
                roll(durableSeq);
            }
        } finally {
            ioLock.unlock();
        }
    }

    // ------------------------------------------------------------------ truncation

    /**
     * @param watermark every record below it is stored
     * @return whether some closed segment lies wholly below the watermark
     */
    boolean hasClosedBelow(long watermark) {
        ioLock.lock();
        try {
            Segment s = closedSegments.peekFirst();
            return s != null && s.lastSeq() < watermark;
        } finally {
            ioLock.unlock();
        }
    }

    /**
     * Deletes the closed segments whose records all lie below {@code watermark}; with
     * {@code includeCurrent}, also the current segment when it does (a new one is started). The
     * caller has made the store's writes durable first.
     *
     * @param watermark every record below it is stored
     * @param includeCurrent whether the current segment may go too
     * @return segments deleted
     */
    int truncateBelow(long watermark, boolean includeCurrent) {
        ioLock.lock();
        try {
            if (includeCurrent && failure == null && !closed && durableSeq >= currentFirst && durableSeq < watermark) {
                bufLock.lock();
                boolean empty;
                try {
                    empty = pending.size() == 0;
                } finally {
                    bufLock.unlock();
                }
                if (empty) {
                    roll(durableSeq);
                }
            }
            int n = 0;
            while (!closedSegments.isEmpty() && closedSegments.peekFirst().lastSeq() < watermark) {
                Segment s = closedSegments.pollFirst();
                try {
                    Files.deleteIfExists(s.path());
                } catch (IOException ex) {
                    LOG.warn("event journal: cannot delete {}: {}", s.path(), ex.toString());
                }
                retainedBytes -= s.bytes();
                n++;
            }
            return n;
        } finally {
            ioLock.unlock();
        }
    }

    /** @return bytes the journal holds on disk (closed segments and the current one) */
    long retainedBytes() {
        return retainedBytes;
    }

    /** @return records appended since open */
    long appended() {
        return appended.sum();
    }

    /** @return writes (with fsync under SYNC) done; appended / commits is the group-commit factor */
    long commits() {
        return commits.sum();
    }

    /** @return the journal's folder */
    Path directory() {
        return dir;
    }

    /** @return the durability of acknowledged records */
    JournalDurability durability() {
        return durability;
    }

    /**
     * Writes what is buffered and closes the current segment. Records stay on disk until truncated:
     * the next {@link #open} replays them.
     */
    @Override
    public void close() {
        ioLock.lock();
        try {
            if (closed) {
                return;
            }
            long upto;
            bufLock.lock();
            try {
                upto = lastSeq;
            } finally {
                bufLock.unlock();
            }
            if (failure == null && upto > durableSeq) {
                try {
                    awaitDurable(upto);
                } catch (PersonaException ex) {
                    LOG.error("event journal: final write failed: {}", ex.getMessage());
                }
            }
            bufLock.lock();
            try {
                closed = true;
            } finally {
                bufLock.unlock();
            }
            closeQuietly();
        } finally {
            ioLock.unlock();
        }
    }

    private void closeQuietly() {
        if (channel != null) {
            try {
                if (durability == JournalDurability.SYNC && failure == null) {
                    channel.force(true);
                }
                channel.close();
            } catch (IOException ex) {
                LOG.warn("event journal: closing {} failed: {}", currentPath, ex.toString());
            }
            channel = null;
        }
    }
}
