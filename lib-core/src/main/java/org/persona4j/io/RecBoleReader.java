package org.persona4j.io;

import java.io.IOException;
import java.nio.file.Path;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventRules;
import org.persona4j.core.EventType;

/**
 * RecBole {@code .inter}: tab-separated, typed header. Uses {@code user_id} (or {@code session_id}),
 * {@code item_id}, {@code rating}, {@code timestamp} (seconds) and an event type column
 * ({@code event_type}, {@code behavior}, {@code type}) when present. Without an event type column
 * rows are RATE events when there is a rating column, VIEW events otherwise; without a timestamp
 * column rows get increasing synthetic timestamps (one second apart, in file order).
 */
final class RecBoleReader extends AbstractEventReader {
    private final Fields.TypeCache types = new Fields.TypeCache();
    private RecBoleHeader h;
    private int cUser;
    private int cSession;
    private int cItem;
    private int cRating;
    private int cTime;
    private int cType;
    private long synthetic;

    RecBoleReader(Path file, ReadOptions options) {
        super(file, options, (byte) '\t', false);
    }

    @Override
    protected String expectedLines() {
        return "RecBole .inter lines: tab-separated values under a typed header such as user_id:token\\titem_id:token";
    }

    @Override
    protected long readHeader() throws IOException {
        if (!nextRaw()) {
            throw headerError(1, null, "empty file: expected a typed header such as user_id:token\\titem_id:token (tab-separated)");
        }
        h = new RecBoleHeader(rr, source);
        cUser = h.find("user_id");
        cSession = h.find("session_id");
        cItem = h.find("item_id");
        cRating = h.find("rating");
        cTime = h.find("timestamp");
        cType = h.find("event_type", "behavior", "type");
        if (cUser < 0 && cSession < 0) {
            throw headerError(1, "user_id", "column missing from the header " + Header.show(h.names) + ": expected user_id:token or session_id:token");
        }
        if (cItem < 0) {
            throw headerError(1, "item_id", "column missing from the header " + Header.show(h.names) + ": expected item_id:token");
        }
        return rr.linesDone();
    }

    @Override
    protected BehaviorEvent parse(RecordReader r) {
        if (r.fieldCount() != h.size()) {
            throw new RowError(null, "wrong number of columns", "expected " + h.size() + " tab-separated columns as in the header, found "
                    + r.fieldCount());
        }
        byte[] b = r.buf;
        String session = cSession >= 0 ? Readers.id(r, cSession, ids, "session_id") : null;
        String user = cUser >= 0 ? Readers.id(r, cUser, ids, "user_id") : session;
        String item = Readers.id(r, cItem, itemIds, "item_id");
        long ts;
        if (cTime >= 0) {
            ts = Fields.secondsToMillis(b, r.start(cTime), r.end(cTime), "timestamp");
        } else {
            ts = synthetic;
            synthetic += 1000;
        }
        EventType type;
        if (cType >= 0) {
            type = types.parse(b, r.start(cType), r.end(cType), h.names.get(cType));
        } else {
            type = cRating >= 0 ? EventType.RATE : EventType.VIEW;
        }
        BehaviorEvent.Builder eb = BehaviorEvent.builder(user, item, type, ts);
        if (session != null) {
            eb.session(session);
        }
        if (cRating >= 0 && !Fields.isBlank(b, r.start(cRating), r.end(cRating))) {
            double v = Fields.parseDouble(b, r.start(cRating), r.end(cRating), "rating");
            Fields.require(EventRules.checkRating("rating", v));
            eb.rating(v);
        }
        return eb.build();
    }
}
