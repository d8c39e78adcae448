package org.persona4j.io;

import java.io.IOException;
import java.nio.file.Path;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventRules;
import org.persona4j.core.EventType;
import org.persona4j.io.ColumnMapping.Field;

/** {@code events-csv}: RFC 4180 CSV with a header, columns found through the {@link ColumnMapping}. */
final class EventsCsvReader extends AbstractEventReader {
    private final ColumnMapping mapping;
    private final boolean seconds;
    private final Fields.TypeCache types = new Fields.TypeCache();
    private final int[] col = new int[Field.values().length];
    private final String[] name = new String[Field.values().length];
    private int columns;

    EventsCsvReader(Path file, ReadOptions options) {
        super(file, options, (byte) ',', true);
        this.mapping = options.columnMapping();
        this.seconds = options.epochSeconds();
    }

    @Override
    protected String expectedLines() {
        return "events-csv lines with the columns of the header (user_id,item_id,event_type,timestamp,...)";
    }

    @Override
    protected long readHeader() throws IOException {
        if (!nextRaw()) {
            throw headerError(1, null, "empty file: expected a header line with the columns "
                    + String.join(",", requiredColumns()));
        }
        if (rr.syntaxError() != null) {
            throw headerError(1, null, "malformed header: " + rr.syntaxError());
        }
        Header h = new Header(rr);
        columns = h.size();
        for (Field f : Field.values()) {
            String c = mapping.column(f);
            name[f.ordinal()] = c;
            col[f.ordinal()] = h.find(c);
            if (f.required() && col[f.ordinal()] < 0) {
                throw headerError(1, c, "required column missing from the header " + h
                        + " (expected the columns " + String.join(",", requiredColumns())
                        + "; rename through the column mapping if the file uses other names)");
            }
        }
        return rr.linesDone();
    }

    private java.util.List<String> requiredColumns() {
        java.util.List<String> r = new java.util.ArrayList<>();
        for (Field f : Field.values()) {
            if (f.required()) {
                r.add(mapping.column(f));
            }
        }
        return r;
    }

    @Override
    protected BehaviorEvent parse(RecordReader r) {
        if (r.fieldCount() != columns) {
            throw new RowError(null, "wrong number of columns", "expected " + columns + " columns as in the header, found "
                    + r.fieldCount() + " (unquoted comma?)");
        }
        byte[] b = r.buf;
        int i = col[Field.USER_ID.ordinal()];
        if (Fields.isBlank(b, r.start(i), r.end(i))) {
            throw new RowError(name[Field.USER_ID.ordinal()], "empty", "expected a user id, the cell is empty");
        }
        String user = Readers.checked(r.escaped(i) ? r.string(i) : ids.intern(b, r.start(i), r.end(i)), name[Field.USER_ID.ordinal()]);
        i = col[Field.EVENT_TYPE.ordinal()];
        EventType type = types.parse(b, r.start(i), r.end(i), name[Field.EVENT_TYPE.ordinal()]);
        i = col[Field.ITEM_ID.ordinal()];
        String item;
        if (Fields.isBlank(b, r.start(i), r.end(i))) {
            if (type != EventType.SEARCH) {
                throw new RowError(name[Field.ITEM_ID.ordinal()], "empty", "expected an item id (only SEARCH rows may omit it), the cell is empty");
            }
            item = null;
        } else {
            item = Readers.checked(r.escaped(i) ? r.string(i) : itemIds.intern(b, r.start(i), r.end(i)), name[Field.ITEM_ID.ordinal()]);
        }
        i = col[Field.TIMESTAMP.ordinal()];
        long ts = Fields.epochOrIso(b, r.start(i), r.end(i), name[Field.TIMESTAMP.ordinal()], seconds);
        BehaviorEvent.Builder eb = BehaviorEvent.builder(user, item, type, ts);
        i = col[Field.SESSION_ID.ordinal()];
        if (i >= 0 && !r.isEmpty(i)) {
            eb.session(Readers.checked(r.escaped(i) ? r.string(i) : sessionIds.intern(b, r.start(i), r.end(i)),
                    name[Field.SESSION_ID.ordinal()]));
        }
        i = col[Field.QUERY.ordinal()];
        if (i >= 0 && !r.isEmpty(i)) {
            eb.query(r.string(i));
        }
        i = col[Field.RATING.ordinal()];
        if (i >= 0 && !Fields.isBlank(b, r.start(i), r.end(i))) {
            double v = Fields.parseDouble(b, r.start(i), r.end(i), name[Field.RATING.ordinal()]);
            Fields.require(EventRules.checkRating(name[Field.RATING.ordinal()], v));
            eb.rating(v);
        }
        i = col[Field.DWELL_MS.ordinal()];
        if (i >= 0 && !Fields.isBlank(b, r.start(i), r.end(i))) {
            long v = Fields.parseLong(b, r.start(i), r.end(i), name[Field.DWELL_MS.ordinal()]);
            Fields.require(EventRules.checkDwellMillis(name[Field.DWELL_MS.ordinal()], v));
            eb.dwellMillis(v);
        }
        i = col[Field.QUANTITY.ordinal()];
        if (i >= 0 && !Fields.isBlank(b, r.start(i), r.end(i))) {
            long v = Fields.parseLong(b, r.start(i), r.end(i), name[Field.QUANTITY.ordinal()]);
            Fields.require(EventRules.checkQuantity(name[Field.QUANTITY.ordinal()], v));
            eb.quantity((int) v);
        }
        i = col[Field.PRICE.ordinal()];
        if (i >= 0 && !Fields.isBlank(b, r.start(i), r.end(i))) {
            double v = Fields.parseDouble(b, r.start(i), r.end(i), name[Field.PRICE.ordinal()]);
            Fields.require(EventRules.checkPrice(name[Field.PRICE.ordinal()], v));
            eb.price(v);
        }
        i = col[Field.REVIEW_TEXT.ordinal()];
        if (i >= 0 && !r.isEmpty(i)) {
            eb.reviewText(r.string(i));
        }
        return eb.build();
    }
}
