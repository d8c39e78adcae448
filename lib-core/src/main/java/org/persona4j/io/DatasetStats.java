package org.persona4j.io;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;

/**
 * Summary figures of a set of events: distinct users, items and sessions, events per type, the time
 * span and quantiles of events per user. Immutable; {@link #toString()} is a readable table. Build
 * with {@link #of(Iterable)} or, for a stream too large to hold, feed an {@link Accumulator}.
 */
public final class DatasetStats {
    private final String name;
    private final long events;
    private final int users;
    private final int items;
    private final int sessions;
    private final Map<EventType, Long> perType;
    private final long firstMillis;
    private final long lastMillis;
    private final int[] perUserQuantiles;
    private static final double[] QUANTILES = {0, 0.25, 0.5, 0.75, 0.9, 0.99, 1};

    private DatasetStats(Accumulator a) {
        this.name = a.name;
        this.events = a.events;
        this.users = a.perUser.size();
        this.items = a.items.size();
        this.sessions = a.sessions.size();
        Map<EventType, Long> m = new EnumMap<>(EventType.class);
        for (EventType t : EventType.values()) {
            if (a.perType[t.ordinal()] > 0) {
                m.put(t, a.perType[t.ordinal()]);
            }
        }
        this.perType = Collections.unmodifiableMap(m);
        this.firstMillis = a.first;
        this.lastMillis = a.last;
        int[] counts = new int[a.perUser.size()];
        int k = 0;
        for (int[] c : a.perUser.values()) {
            counts[k++] = c[0];
        }
        Arrays.sort(counts);
        perUserQuantiles = new int[QUANTILES.length];
        for (int q = 0; q < QUANTILES.length; q++) {
            perUserQuantiles[q] = counts.length == 0 ? 0 : counts[(int) Math.min(counts.length - 1, Math.floor(QUANTILES[q] * (counts.length - 1) + 0.5))];
        }
    }

    /**
     * @param events the events
     * @return their statistics
     */
    public static DatasetStats of(Iterable<BehaviorEvent> events) {
        return of("events", events);
    }

    /**
     * @param name a name for the table's title
     * @param events the events
     * @return their statistics
     */
    public static DatasetStats of(String name, Iterable<BehaviorEvent> events) {
        Accumulator a = new Accumulator(name);
        for (BehaviorEvent e : events) {
            a.accept(e);
        }
        return a.finish();
    }

    /**
     * @param dataset a loaded data set
     * @return its statistics
     */
    public static DatasetStats of(Dataset dataset) {
        return of(dataset.name(), dataset.events());
    }

    /** Collects statistics one event at a time (memory grows with distinct users, items and sessions). Not thread-safe. */
    public static final class Accumulator implements java.util.function.Consumer<BehaviorEvent> {
        private final String name;
        private long events;
        private final Map<String, int[]> perUser = new HashMap<>();
        private final Set<String> items = new HashSet<>();
        private final Set<String> sessions = new HashSet<>();
        private final long[] perType = new long[EventType.count()];
        private long first = Long.MAX_VALUE;
        private long last = Long.MIN_VALUE;

        /** @param name a name for the table's title */
        public Accumulator(String name) {
            this.name = name;
        }

        @Override
        public void accept(BehaviorEvent e) {
            events++;
            perUser.computeIfAbsent(e.userId(), k -> new int[1])[0]++;
            if (e.itemId() != null) {
                items.add(e.itemId());
            }
            e.sessionId().ifPresent(sessions::add);
            perType[e.type().ordinal()]++;
            first = Math.min(first, e.timestampMillis());
            last = Math.max(last, e.timestampMillis());
        }

        /** @return the statistics so far */
        public DatasetStats finish() {
            return new DatasetStats(this);
        }
    }

    /** @return the name in the title */
    public String name() {
        return name;
    }

    /** @return number of events */
    public long events() {
        return events;
    }

    /** @return distinct users */
    public int users() {
        return users;
    }

    /** @return distinct items */
    public int items() {
        return items;
    }

    /** @return distinct session ids (0 when events carry none) */
    public int sessions() {
        return sessions;
    }

    /** @return events per type, only types that occur, in enum order */
    public Map<EventType, Long> perType() {
        return perType;
    }

    /** @return the earliest timestamp, or null when there are no events */
    public Instant first() {
        return events == 0 ? null : Instant.ofEpochMilli(firstMillis);
    }

    /** @return the latest timestamp, or null when there are no events */
    public Instant last() {
        return events == 0 ? null : Instant.ofEpochMilli(lastMillis);
    }

    /**
     * @param q one of 0, 0.25, 0.5, 0.75, 0.9, 0.99, 1
     * @return events per user at that quantile (nearest rank)
     */
    public int eventsPerUserQuantile(double q) {
        for (int i = 0; i < QUANTILES.length; i++) {
            if (QUANTILES[i] == q) {
                return perUserQuantiles[i];
            }
        }
        throw new org.persona4j.core.BadInputException("quantile must be one of " + Arrays.toString(QUANTILES) + ", was " + q);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        String f = "  %-20s %,15d%n";
        sb.append(String.format(Locale.ROOT, "dataset %s%n", name));
        sb.append(String.format(Locale.ROOT, f, "events", events));
        sb.append(String.format(Locale.ROOT, f, "users", users));
        sb.append(String.format(Locale.ROOT, f, "items", items));
        if (sessions > 0) {
            sb.append(String.format(Locale.ROOT, f, "sessions", sessions));
        }
        for (Map.Entry<EventType, Long> e : perType.entrySet()) {
            sb.append(String.format(Locale.ROOT, "  %-20s %,15d  %5.1f%%%n", "  " + e.getKey(), e.getValue(), 100.0 * e.getValue() / events));
        }
        if (events > 0) {
            sb.append(String.format(Locale.ROOT, "  %-20s %s .. %s (%.1f days)%n", "time span", first(), last(),
                    (lastMillis - firstMillis) / 86_400_000.0));
            sb.append(String.format(Locale.ROOT, "  %-20s min %d | p25 %d | median %d | p75 %d | p90 %d | p99 %d | max %d | mean %.2f%n",
                    "events per user", perUserQuantiles[0], perUserQuantiles[1], perUserQuantiles[2], perUserQuantiles[3],
                    perUserQuantiles[4], perUserQuantiles[5], perUserQuantiles[6], users == 0 ? 0.0 : (double) events / users));
        }
        return sb.toString();
    }
}
