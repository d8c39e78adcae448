package org.persona4j.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.ZipException;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventSource;
import org.persona4j.core.Progress;
import org.persona4j.core.ProgressListener;
import org.persona4j.core.ReadReport;

/**
 * The streaming skeleton every format shares: reads records one by one, hands each to
 * {@link #parse}, and routes bad ones to strict failure or lenient counting. Subclasses read their
 * header in {@link #readHeader}. Not thread-safe.
 *
 * <p>Rules common to every format (strict: {@link BadInputException} naming file and line;
 * lenient: the line is skipped and counted in the {@link ReadReport}):
 * <ul>
 * <li>a line that is not valid UTF-8 is bad ("invalid UTF-8"); a header that is not is always fatal;</li>
 * <li>an input without a single data line (empty, blank lines only, or a header only) is an error
 *     in strict mode; in lenient mode it is logged at WARN and counted under "empty file";</li>
 * <li>a last line without a line break is taken for a cut-off line when it does not parse, or when
 *     its last field is shorter than that field was in every earlier good line (a cut timestamp
 *     such as {@code 8812} after lines ending in {@code 881250949}): "truncated last line". A
 *     complete last line without a line break is read as usual;</li>
 * <li>lenient mode fails when more than {@link ReadOptions#maxBadShare()} of at least
 *     {@link ReadOptions#BAD_SHARE_MIN_LINES} data lines are bad.</li>
 * </ul>
 * Field values are checked by {@link org.persona4j.core.EventRules}, the same rules the HTTP
 * service and {@link BehaviorEvent.Builder#build()} apply.
 */
abstract class AbstractEventReader implements EventSource {
    private static final int PROGRESS_EVERY = 1 << 18;

    /** The file name for messages. */
    protected final String source;
    /** The record splitter. */
    protected final RecordReader rr;
    /** Shared ids (users and items; kept separate so each table stays small and cache-friendly). */
    protected final Interner ids = new Interner(4_000_000);
    /** Item ids. */
    protected final Interner itemIds = new Interner(4_000_000);
    /** Recently seen session ids (bounded: sessions are many and short-lived). */
    protected final Interner sessionIds = Interner.recent(1 << 14);
    /** Events a record produced beyond the first (S3-Rec lines). */
    protected final ArrayDeque<BehaviorEvent> queue = new ArrayDeque<>();
    /** Bad-record handling. */
    protected final Problems problems;

    private final Inputs.Counting counting;
    private final long totalBytes;
    private final ProgressListener progress;
    private final long startNanos = System.nanoTime();
    private final String task;
    private long headerLines;
    private long events;
    private long dataRecords;
    private int minLastField = Integer.MAX_VALUE;
    private BehaviorEvent next;
    private boolean headerDone;
    private boolean done;
    private boolean closed;

    AbstractEventReader(Path file, ReadOptions options, byte delimiter, boolean quoting) {
        this.source = file.toString();
        Inputs.Counting[] c = new Inputs.Counting[1];
        this.rr = new RecordReader(Inputs.open(file, c), source, delimiter, quoting);
        this.counting = c[0];
        this.totalBytes = Inputs.size(file);
        this.problems = new Problems(options);
        this.progress = options.progress();
        this.task = "read " + file.getFileName();
    }

    /**
     * Reads the header, if the format has one, with {@link #nextRaw()}.
     *
     * @return header lines consumed
     */
    protected abstract long readHeader() throws IOException;

    /**
     * Turns the current record into an event (or null when it produced only queued events, or none).
     *
     * @throws RowError for a bad record
     */
    protected abstract BehaviorEvent parse(RecordReader r);

    /**
     * What a data line of this format looks like, for messages ("lines user_id,item_id,...").
     *
     * @return the description
     */
    protected abstract String expectedLines();

    /**
     * @return the next raw record, for headers: false at the end of the input
     * @throws BadInputException when the record is malformed CSV or not UTF-8 (a header must be whole)
     */
    protected final boolean nextRaw() throws IOException {
        if (!rr.next()) {
            return false;
        }
        if (rr.syntaxError() != null) {
            throw headerError(rr.line(), null, "malformed header: " + Problems.safe(rr.syntaxError()));
        }
        if (rr.encodingError() != null) {
            throw headerError(rr.line(), null, "header: " + rr.encodingError());
        }
        return true;
    }

    /** Raises a header problem: always fatal, the file cannot be read without its header. */
    protected final BadInputException headerError(long line, String field, String reason) {
        return new BadInputException(source, line, field, reason);
    }

    /** Reads and checks the header now, so a bad header fails at open. */
    final void start() {
        if (headerDone) {
            return;
        }
        headerDone = true;
        try {
            headerLines = readHeader();
        } catch (IOException e) {
            done = true;
            close();
            throw new UncheckedIOException("cannot read " + source, e);
        } catch (RuntimeException e) {
            done = true;
            close();
            throw e;
        }
    }

    private BehaviorEvent advance() throws IOException {
        start();
        if (!queue.isEmpty()) {
            return queue.poll();
        }
        while (rr.next()) {
            if (rr.isBlankLine()) {
                problems.blank("");
                continue;
            }
            dataRecords++;
            try {
                String syntax = rr.syntaxError();
                if (syntax != null) {
                    throw new RowError(null, "malformed CSV", syntax);
                }
                String encoding = rr.encodingError();
                if (encoding != null) {
                    throw new RowError(null, "invalid UTF-8", encoding);
                }
                boolean last = !rr.terminated();
                if (last) {
                    checkComplete();
                }
                BehaviorEvent e;
                try {
                    e = parse(rr);
                } catch (RowError x) {
                    if (last) {
                        throw new RowError(x.field, "truncated last line", x.detail
                                + " (the last line has no line break: was the file cut off?)");
                    }
                    throw x;
                }
                if (!last) {
                    minLastField = Math.min(minLastField, lastFieldLength());
                }
                if (e == null) {
                    e = queue.poll();
                }
                if (e != null) {
                    return e;
                }
            } catch (RowError x) {
                queue.clear();
                problems.bad(source, rr.line(), x, "");
                problems.checkShare(source, rr.line(), dataRecords, expectedLines());
            } catch (BadInputException x) {
                if (x.line() > 0) {
                    throw x;
                }
                queue.clear();
                problems.bad(source, rr.line(), new RowError(x.field(), "invalid value", x.reason()), "");
                problems.checkShare(source, rr.line(), dataRecords, expectedLines());
            }
        }
        if (dataRecords == 0) {
            problems.empty(source, (headerLines > 0 ? "no data lines after the header" : "file is empty")
                    + ": expected " + expectedLines());
        } else {
            problems.checkShare(source, rr.linesDone(), dataRecords, expectedLines());
        }
        return null;
    }

    /** @return the byte length of the current record's last field */
    private int lastFieldLength() {
        int i = rr.fieldCount() - 1;
        return rr.end(i) - rr.start(i);
    }

    /**
     * The current record is the last one and has no line break: refuse it when its last field is
     * shorter than the same field was in every earlier good line (a value cut mid-field).
     */
    private void checkComplete() {
        if (minLastField == Integer.MAX_VALUE || rr.fieldCount() == 0) {
            return;
        }
        int len = lastFieldLength();
        if (len < minLastField) {
            int i = rr.fieldCount() - 1;
            throw new RowError(null, "truncated last line", "the last line has no line break and its last field "
                    + Fields.show(rr.buf, rr.start(i), rr.end(i)) + " is " + len + " bytes, shorter than in every earlier line"
                    + " (at least " + minLastField + "): expected a complete line; was the file cut off?");
        }
    }

    @Override
    public final boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (done) {
            return false;
        }
        try {
            next = advance();
        } catch (ZipException | EOFException e) {
            done = true;
            throw new BadInputException(source, rr.linesDone() + 1, null, "corrupt gzip data: " + e.getMessage(), e);
        } catch (IOException e) {
            done = true;
            throw new UncheckedIOException("cannot read " + source, e);
        } catch (RuntimeException e) {
            done = true;
            throw e;
        }
        if (next == null) {
            done = true;
            report(true);
            close();
            return false;
        }
        return true;
    }

    @Override
    public final BehaviorEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more events in " + source);
        }
        BehaviorEvent e = next;
        next = null;
        if ((++events & (PROGRESS_EVERY - 1)) == 0) {
            report(false);
        }
        return e;
    }

    private void report(boolean finished) {
        if (progress == ProgressListener.NONE) {
            return;
        }
        long done = counting == null ? 0 : counting.count;
        long total = totalBytes > 0 ? totalBytes : -1;
        progress.onProgress(new Progress(task, finished && total > 0 ? total : done, total, "bytes",
                System.nanoTime() - startNanos, Map.of()));
    }

    @Override
    public final ReadReport report() {
        return new ReadReport(source, Math.max(0, rr.linesDone() - headerLines), events, problems.counts());
    }

    /** @return the skip counts so far (live) */
    final Map<String, Long> skipCounts() {
        return problems.counts();
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        done = true;
        try {
            rr.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + source, e);
        }
    }
}
