package org.persona4j.core;

import java.util.Map;

/**
 * What a reader saw: lines read, events produced, and records skipped (lenient mode) counted by
 * reason. Nothing is dropped without being counted here.
 *
 * @param source the file or input description
 * @param linesRead physical data lines read (header excluded)
 * @param eventsRead events produced
 * @param skipped skipped records by reason ("bad timestamp", "unknown event type", ...)
 */
public record ReadReport(String source, long linesRead, long eventsRead, Map<String, Long> skipped) {
    /** Copies. */
    public ReadReport {
        skipped = Checks.copyOrdered("skipped", skipped);
    }

    /** @return total skipped records */
    public long skippedTotal() {
        long s = 0;
        for (long v : skipped.values()) {
            s += v;
        }
        return s;
    }

    /** @return a one-line summary for logs */
    public String summary() {
        return source + ": " + linesRead + " lines, " + eventsRead + " events, " + skippedTotal() + " skipped"
                + (skipped.isEmpty() ? "" : " " + skipped);
    }
}
