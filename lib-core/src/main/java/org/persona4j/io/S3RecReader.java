package org.persona4j.io;

import java.io.IOException;
import java.nio.file.Path;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;

/**
 * S3-Rec sequence file: one line per user, {@code user item1 item2 ...} separated by spaces (or
 * tabs), in time order. Every item becomes a PURCHASE event; timestamps are synthetic, one second
 * apart and increasing through the whole file, so file order and time order agree.
 *
 * <p>A line is all or nothing: it must be valid UTF-8, and every token a valid id (no control
 * characters such as NUL, at most the id length limit); otherwise the whole line is bad (strict:
 * an error; lenient: skipped and counted, none of its events kept). Binary garbage therefore
 * yields skips, not events, and lenient reading fails once more than
 * {@link ReadOptions#maxBadShare()} of the lines are bad.
 */
final class S3RecReader extends AbstractEventReader {
    private long clock;

    S3RecReader(Path file, ReadOptions options) {
        super(file, options, (byte) ' ', false);
    }

    @Override
    protected String expectedLines() {
        return "S3-Rec lines: a user id followed by item ids, separated by spaces";
    }

    @Override
    protected long readHeader() throws IOException {
        return 0;
    }

    @Override
    protected BehaviorEvent parse(RecordReader r) {
        byte[] b = r.buf;
        String user = null;
        BehaviorEvent first = null;
        long t = clock;
        int n = r.fieldCount();
        for (int i = 0; i < n; i++) {
            int s = r.start(i);
            int e = r.end(i);
            // tolerate tabs and repeated spaces
            int p = s;
            while (p < e) {
                while (p < e && (b[p] == '\t' || b[p] == ' ')) {
                    p++;
                }
                int q = p;
                while (q < e && b[q] != '\t' && b[q] != ' ') {
                    q++;
                }
                if (q > p) {
                    if (user == null) {
                        user = Readers.checked(ids.intern(b, p, q), "user");
                    } else {
                        String tok = Readers.checked(itemIds.intern(b, p, q), "item");
                        BehaviorEvent ev = BehaviorEvent.of(user, tok, EventType.PURCHASE, t);
                        t += 1000;
                        if (first == null) {
                            first = ev;
                        } else {
                            queue.add(ev);
                        }
                    }
                }
                p = q;
            }
        }
        if (first == null) {
            queue.clear();
            throw new RowError(null, "no items", "expected a user id followed by at least one item id");
        }
        clock = t;
        return first;
    }
}
