package org.persona4j.io;

import java.io.IOException;
import java.nio.file.Path;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;

/** RetailRocket {@code events.csv}: header {@code timestamp,visitorid,event,itemid,transactionid}, milliseconds. */
final class RetailRocketReader extends AbstractEventReader {
    private final Fields.TypeCache types = new Fields.TypeCache();
    private int cTime;
    private int cUser;
    private int cEvent;
    private int cItem;
    private int columns;

    RetailRocketReader(Path file, ReadOptions options) {
        super(file, options, (byte) ',', true);
    }

    @Override
    protected String expectedLines() {
        return "RetailRocket lines timestamp,visitorid,event,itemid,transactionid under their header";
    }

    @Override
    protected long readHeader() throws IOException {
        if (!nextRaw()) {
            throw headerError(1, null, "empty file: expected the header timestamp,visitorid,event,itemid,transactionid");
        }
        Header h = new Header(rr);
        columns = h.size();
        cTime = h.find("timestamp");
        cUser = h.find("visitorid");
        cEvent = h.find("event");
        cItem = h.find("itemid");
        String[] names = {"timestamp", "visitorid", "event", "itemid"};
        int[] idx = {cTime, cUser, cEvent, cItem};
        for (int k = 0; k < names.length; k++) {
            if (idx[k] < 0) {
                throw headerError(1, names[k], "column missing from the header " + h
                        + ": expected timestamp,visitorid,event,itemid,transactionid");
            }
        }
        return rr.linesDone();
    }

    @Override
    protected BehaviorEvent parse(RecordReader r) {
        if (r.fieldCount() != columns) {
            throw new RowError(null, "wrong number of columns", "expected " + columns + " columns as in the header, found " + r.fieldCount());
        }
        byte[] b = r.buf;
        long ts = Fields.parseLong(b, r.start(cTime), r.end(cTime), "timestamp");
        ts = Fields.checkTime(ts, b, r.start(cTime), r.end(cTime), "timestamp");
        String user = Readers.id(r, cUser, ids, "visitorid");
        EventType type = types.parse(b, r.start(cEvent), r.end(cEvent), "event");
        String item = Readers.id(r, cItem, itemIds, "itemid");
        return BehaviorEvent.of(user, item, type, ts);
    }
}
