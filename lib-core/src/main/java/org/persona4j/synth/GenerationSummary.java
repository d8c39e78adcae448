package org.persona4j.synth;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.persona4j.core.EventType;

/**
 * What {@link ShopGenerator#writeTo} wrote.
 *
 * @param users users written (bots included)
 * @param botUsers users that are bots (persona {@code bot})
 * @param items items written
 * @param personas planted personas
 * @param sessions sessions simulated
 * @param events valid event rows in events.csv (duplicates included, malformed rows excluded)
 * @param eventsPerType valid event rows per type
 * @param duplicateEvents rows that exactly repeat the valid row before them (noise)
 * @param malformedRows invalid rows inserted into events.csv (noise)
 * @param malformedPerKind invalid rows per kind ({@code bad_timestamp}, {@code unknown_type}, ...)
 * @param files the files written
 * @param bytesWritten bytes in all files
 * @param elapsedNanos wall time of the whole write
 */
public record GenerationSummary(int users, int botUsers, int items, int personas, long sessions, long events,
                                Map<EventType, Long> eventsPerType, long duplicateEvents, long malformedRows,
                                Map<String, Long> malformedPerKind, List<Path> files, long bytesWritten,
                                long elapsedNanos) {
    /**
     * Copies the maps and lists.
     *
     * @param users users written
     * @param botUsers bot users
     * @param items items written
     * @param personas planted personas
     * @param sessions sessions simulated
     * @param events valid event rows
     * @param eventsPerType valid event rows per type
     * @param duplicateEvents duplicated rows
     * @param malformedRows malformed rows
     * @param malformedPerKind malformed rows per kind
     * @param files files written
     * @param bytesWritten bytes in all files
     * @param elapsedNanos wall time
     */
    public GenerationSummary {
        eventsPerType = Collections.unmodifiableMap(new EnumMap<>(eventsPerType));
        malformedPerKind = Collections.unmodifiableMap(new LinkedHashMap<>(malformedPerKind));
        files = List.copyOf(files);
    }

    /** @return valid events written per second of wall time */
    public double eventsPerSecond() {
        return elapsedNanos <= 0 ? 0 : events * 1e9 / elapsedNanos;
    }

    /** @return a readable multi-line report */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "users      %,d (bots %,d)%n", users, botUsers));
        sb.append(String.format(Locale.ROOT, "items      %,d%n", items));
        sb.append(String.format(Locale.ROOT, "personas   %,d%n", personas));
        sb.append(String.format(Locale.ROOT, "sessions   %,d%n", sessions));
        sb.append(String.format(Locale.ROOT, "events     %,d%n", events));
        for (EventType t : EventType.values()) {
            long n = eventsPerType.getOrDefault(t, 0L);
            sb.append(String.format(Locale.ROOT, "  %-17s %,12d  %5.1f%%%n", t, n, events == 0 ? 0.0 : 100.0 * n / events));
        }
        sb.append(String.format(Locale.ROOT, "duplicates %,d%n", duplicateEvents));
        sb.append(String.format(Locale.ROOT, "malformed  %,d %s%n", malformedRows, malformedPerKind));
        sb.append(String.format(Locale.ROOT, "written    %,d bytes in %.1f s (%,.0f events/s)%n", bytesWritten,
                elapsedNanos / 1e9, eventsPerSecond()));
        for (Path f : files) {
            sb.append("  ").append(f).append(System.lineSeparator());
        }
        return sb.toString();
    }
}
