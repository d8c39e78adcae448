package org.persona4j.io;

import java.nio.file.Path;
import java.util.Map;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;

/** Taobao UserBehavior: {@code user_id,item_id,category_id,behavior,timestamp}, no header, Unix seconds. */
final class TaobaoReader extends AbstractEventReader {
    private final Fields.TypeCache types = new Fields.TypeCache();
    private final Map<String, String> categories;

    /** @param categories receives item id to category id, or null */
    TaobaoReader(Path file, ReadOptions options, Map<String, String> categories) {
        super(file, options, (byte) ',', true);
        this.categories = categories;
    }

    @Override
    protected String expectedLines() {
        return "lines user_id,item_id,category_id,behavior,timestamp (Unix seconds), no header";
    }

    @Override
    protected long readHeader() {
        return 0;
    }

    @Override
    protected BehaviorEvent parse(RecordReader r) {
        if (r.fieldCount() != 5) {
            throw new RowError(null, "wrong number of columns",
                    "expected 5 columns user_id,item_id,category_id,behavior,timestamp, found " + r.fieldCount());
        }
        byte[] b = r.buf;
        String user = Readers.id(r, 0, ids, "user_id");
        String item = Readers.id(r, 1, itemIds, "item_id");
        EventType type = types.parse(b, r.start(3), r.end(3), "behavior");
        long secs = Fields.parseLong(b, r.start(4), r.end(4), "timestamp");
        long ts = Fields.checkTime(secs > Fields.MAX_MILLIS / 1000 ? Long.MAX_VALUE : secs * 1000, b, r.start(4), r.end(4), "timestamp");
        if (categories != null && !Fields.isBlank(b, r.start(2), r.end(2))) {
            categories.putIfAbsent(item, ids.intern(b, r.start(2), r.end(2)));
        }
        return BehaviorEvent.of(user, item, type, ts);
    }
}
