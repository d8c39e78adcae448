package org.persona4j.features.clean;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the cleaner did: events in and kept, events dropped by reason, events kept but flagged or
 * imputed by field, events reordered, and the bot-like users removed. Dropped events add up:
 * {@code input == kept + droppedTotal()}.
 *
 * @param input events given (including nulls)
 * @param kept events returned
 * @param dropped dropped events by reason ("exact duplicate", "near duplicate", "bot user",
 *        "future timestamp", "timestamp before minimum", "out of order", "null event", "missing price", ...)
 * @param flagged kept events with a missing value by field ("item", "session", ...)
 * @param imputed kept events with an imputed value by field ("price", "quantity", "session", ...)
 * @param reordered kept events that arrived out of order and were put in their place
 * @param botUsers the ids of users removed as bot-like (sorted)
 */
public record CleaningReport(long input, long kept, Map<String, Long> dropped, Map<String, Long> flagged,
                             Map<String, Long> imputed, long reordered, List<String> botUsers) {
    /** Copies. */
    public CleaningReport {
        dropped = Collections.unmodifiableMap(new LinkedHashMap<>(dropped));
        flagged = Collections.unmodifiableMap(new LinkedHashMap<>(flagged));
        imputed = Collections.unmodifiableMap(new LinkedHashMap<>(imputed));
        botUsers = List.copyOf(botUsers);
    }

    /** @return all dropped events */
    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * @param reason a reason
     * @return how many events were dropped for it (0 when none)
     */
    public long dropped(String reason) {
        return dropped.getOrDefault(reason, 0L);
    }

    /** @return a readable multi-line summary */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("cleaning: %,d events in, %,d kept, %,d dropped, %,d reordered, %d bot users%n",
                input, kept, droppedTotal(), reordered, botUsers.size()));
        dropped.forEach((k, v) -> sb.append(String.format("  dropped  %-26s %,12d%n", k, v)));
        flagged.forEach((k, v) -> sb.append(String.format("  flagged  %-26s %,12d%n", "missing " + k, v)));
        imputed.forEach((k, v) -> sb.append(String.format("  imputed  %-26s %,12d%n", k, v)));
        return sb.toString();
    }
}
