package org.persona4j.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;

/**
 * Session files as VIEW events. Two layouts, recognised from the header:
 * <ul>
 * <li>session-rec: {@code SessionId ItemId Time} (tab or space separated, runs of spaces count as
 * one; {@code Time} in seconds
 * with a fraction; an optional {@code UserId} column);</li>
 * <li>Diginetica: {@code session_id;user_id;item_id;timeframe;eventdate}, time = {@code eventdate}
 * (midnight UTC) plus {@code timeframe} milliseconds.</li>
 * </ul>
 * Each event carries its session id. The user id is the file's user id when given; when the file has
 * no user column the session id doubles as the user id, and when the user cell is empty or
 * {@code NA} the user id is {@code session:<session id>} (so an anonymous session never merges
 * with a registered user that happens to share the number).
 */
final class SessionsReader extends AbstractEventReader {
    private final byte delimiter;
    private int columns;
    private int cSession;
    private int cItem;
    private int cUser;
    private int cTime;
    private int cFrame;
    private int cDate;
    private byte[] lastDate = new byte[0];
    private String lastAnonSession;
    private String lastAnonUser;
    private long lastDateMillis;

    private SessionsReader(Path file, ReadOptions options, byte delimiter) {
        super(file, options, delimiter, delimiter == ';' || delimiter == ',');
        this.delimiter = delimiter;
        if (delimiter == ' ') {
            rr.collapseEmptyFields();
        }
    }

    static SessionsReader open(Path file, ReadOptions options) {
        String first = Inputs.firstLine(file);
        byte d = first.indexOf(';') >= 0 ? (byte) ';' : first.indexOf('\t') >= 0 ? (byte) '\t'
                : first.indexOf(',') >= 0 ? (byte) ',' : (byte) ' ';
        return new SessionsReader(file, options, d);
    }

    @Override
    protected String expectedLines() {
        return "session lines SessionId ItemId Time, or session_id;user_id;item_id;timeframe;eventdate, under their header";
    }

    @Override
    protected long readHeader() throws IOException {
        String expected = "a header SessionId ItemId Time (tab or space separated) or session_id;user_id;item_id;timeframe;eventdate";
        if (!nextRaw()) {
            throw headerError(1, null, "empty file: expected " + expected);
        }
        Header h = new Header(rr);
        columns = h.size();
        cSession = h.find("SessionId", "session_id", "sessionId");
        cItem = h.find("ItemId", "item_id", "itemId");
        cUser = h.find("UserId", "user_id", "userId");
        cTime = h.find("Time", "timestamp");
        cFrame = h.find("timeframe");
        cDate = h.find("eventdate");
        if (cSession < 0) {
            throw headerError(1, "SessionId", "session column missing from the header " + h + ": expected " + expected);
        }
        if (cItem < 0) {
            throw headerError(1, "ItemId", "item column missing from the header " + h + ": expected " + expected);
        }
        if (cTime < 0 && (cFrame < 0 || cDate < 0)) {
            throw headerError(1, "Time", "time column missing from the header " + h
                    + ": expected Time (seconds), or timeframe and eventdate");
        }
        return rr.linesDone();
    }

    @Override
    protected BehaviorEvent parse(RecordReader r) {
        if (r.fieldCount() != columns) {
            throw new RowError(null, "wrong number of columns", "expected " + columns + " columns separated by '"
                    + (delimiter == '\t' ? "\\t" : String.valueOf((char) delimiter)) + "' as in the header, found " + r.fieldCount());
        }
        byte[] b = r.buf;
        String session = Readers.id(r, cSession, ids, "session_id");
        String item = Readers.id(r, cItem, itemIds, "item_id");
        String user = session;
        if (cUser >= 0) {
            int s = r.start(cUser);
            int e = r.end(cUser);
            boolean na = Fields.isBlank(b, s, e) || (e - s == 2 && b[s] == 'N' && b[s + 1] == 'A');
            if (na) {
                if (session != lastAnonSession) {
                    lastAnonSession = session;
                    lastAnonUser = "session:" + session;
                }
                user = lastAnonUser;
            } else {
                user = Readers.id(r, cUser, ids, "user_id");
            }
        }
        long ts;
        if (cTime >= 0) {
            ts = Fields.secondsToMillis(b, r.start(cTime), r.end(cTime), "Time");
        } else {
            long frame = Fields.parseLong(b, r.start(cFrame), r.end(cFrame), "timeframe");
            if (frame < 0) {
                throw new RowError("timeframe", "out of range", "expected milliseconds >= 0, was " + frame);
            }
            ts = Fields.checkTime(date(b, r.start(cDate), r.end(cDate)) + Math.min(frame, Fields.MAX_MILLIS), b, r.start(cFrame),
                    r.end(cFrame), "timeframe");
        }
        return BehaviorEvent.builder(user, item, EventType.VIEW, ts).session(session).build();
    }

    private long date(byte[] b, int s, int e) {
        if (Arrays.equals(lastDate, 0, lastDate.length, b, s, e)) {
            return lastDateMillis;
        }
        String t = new String(b, s, e - s, StandardCharsets.UTF_8).trim();
        long v;
        try {
            LocalDate d = LocalDate.parse(t);
            if (d.getYear() < 1970 || d.getYear() > 9999) {
                throw new RowError("eventdate", "bad date", "expected a date yyyy-MM-dd from 1970 to 9999, was " + Fields.show(b, s, e));
            }
            v = d.toEpochDay() * 86_400_000L;
        } catch (DateTimeParseException x) {
            throw new RowError("eventdate", "bad date", "expected a date yyyy-MM-dd, was " + Fields.show(b, s, e));
        }
        if (v < 0) {
            throw new RowError("eventdate", "negative timestamp", "expected a date on or after 1970-01-01, was " + Fields.show(b, s, e));
        }
        lastDate = Arrays.copyOfRange(b, s, e);
        lastDateMillis = v;
        return v;
    }
}
