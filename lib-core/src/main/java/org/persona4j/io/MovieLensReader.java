package org.persona4j.io;

import java.io.IOException;
import java.nio.file.Path;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventRules;
import org.persona4j.core.EventType;

/**
 * MovieLens ratings as RATE events: {@code u.data} (tab: user item rating timestamp),
 * {@code ratings.dat} ({@code user::item::rating::timestamp}) or {@code ratings.csv} (header
 * {@code userId,movieId,rating,timestamp}); the layout is recognised from the first line.
 */
final class MovieLensReader extends AbstractEventReader {
    private enum Layout { TAB, DOUBLE_COLON, CSV }

    private final Layout layout;

    private MovieLensReader(Path file, ReadOptions options, Layout layout) {
        super(file, options, layout == Layout.TAB ? (byte) '\t' : layout == Layout.DOUBLE_COLON ? (byte) ':' : (byte) ',',
                layout == Layout.CSV);
        this.layout = layout;
    }

    static MovieLensReader open(Path file, ReadOptions options) {
        String first = Inputs.firstLine(file);
        Layout l = first.contains("::") ? Layout.DOUBLE_COLON : first.indexOf('\t') >= 0 ? Layout.TAB
                : first.indexOf(',') >= 0 ? Layout.CSV : Layout.TAB;
        return new MovieLensReader(file, options, l);
    }

    @Override
    protected String expectedLines() {
        return "MovieLens ratings: lines user item rating timestamp (tab-separated u.data, user::item::rating::timestamp"
                + " in ratings.dat, or ratings.csv with the header userId,movieId,rating,timestamp)";
    }

    @Override
    protected long readHeader() throws IOException {
        if (layout != Layout.CSV) {
            return 0;
        }
        if (!nextRaw()) {
            return rr.linesDone();
        }
        Header h = new Header(rr);
        if (h.find("userId") != 0 || h.find("movieId") != 1 || h.find("rating") != 2 || h.find("timestamp") != 3) {
            throw headerError(1, null, "expected the header userId,movieId,rating,timestamp, found " + h);
        }
        return rr.linesDone();
    }

    @Override
    protected BehaviorEvent parse(RecordReader r) {
        int u;
        int it;
        int ra;
        int t;
        if (layout == Layout.DOUBLE_COLON) {
            if (r.fieldCount() != 7 || !r.isEmpty(1) || !r.isEmpty(3) || !r.isEmpty(5)) {
                throw new RowError(null, "wrong number of columns", "expected user::item::rating::timestamp");
            }
            u = 0;
            it = 2;
            ra = 4;
            t = 6;
        } else {
            if (r.fieldCount() != 4) {
                throw new RowError(null, "wrong number of columns", "expected 4 columns (user item rating timestamp), found "
                        + r.fieldCount());
            }
            u = 0;
            it = 1;
            ra = 2;
            t = 3;
        }
        byte[] b = r.buf;
        String user = Readers.id(r, u, ids, "user");
        String item = Readers.id(r, it, itemIds, "item");
        double rating = Fields.parseDouble(b, r.start(ra), r.end(ra), "rating");
        Fields.require(EventRules.checkRating("rating", rating));
        long ts = Fields.secondsToMillis(b, r.start(t), r.end(t), "timestamp");
        return BehaviorEvent.builder(user, item, EventType.RATE, ts).rating(rating).build();
    }
}
