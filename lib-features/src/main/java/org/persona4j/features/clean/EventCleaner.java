package org.persona4j.features.clean;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.EventType;
import org.persona4j.core.Item;

/**
 * Cleans a batch of events. Steps, in order, each counting what it removes:
 * <ol>
 * <li>null events ("null event");</li>
 * <li>timestamps later than {@code now + skew} ("future timestamp") or earlier than the minimum
 *     ("timestamp before minimum"; negative timestamps cannot occur: {@link BehaviorEvent}
 *     rejects them at construction, and readers count them);</li>
 * <li>out-of-order events per user (older than an earlier event of the same user in the input):
 *     sorted into place and counted, or dropped ("out of order");</li>
 * <li>bot-like users: more than {@code botMaxEventsPerWindow} events in any sliding window of
 *     {@code botWindowMillis}; all their events go ("bot user");</li>
 * <li>exact duplicates of a kept event ("exact duplicate");</li>
 * <li>near duplicates: same user, item and type within {@code nearDuplicateWindowMillis} after a
 *     kept event ("near duplicate");</li>
 * <li>missing values per {@link MissingField} and {@link MissingPolicy} ("missing price", ...).</li>
 * </ol>
 * Stateless and thread-safe; the catalogue is only read.
 */
public final class EventCleaner {
    private static final long SESSION_GAP_MS = 30 * 60_000L;

    private final CleaningConfig config;
    private final Catalog catalog;

    /**
     * @param config the settings
     * @param catalog the catalogue, for unknown items, missing categories and price imputation
     */
    public EventCleaner(CleaningConfig config, Catalog catalog) {
        if (config == null || catalog == null) {
            throw new BadInputException("event cleaner: 'config' and 'catalog' are required");
        }
        this.config = config;
        this.catalog = catalog;
    }

    private static final class Counts {
        final Map<String, Long> dropped = new LinkedHashMap<>();
        final Map<String, Long> flagged = new LinkedHashMap<>();
        final Map<String, Long> imputed = new LinkedHashMap<>();

        void drop(String reason) {
            dropped.merge(reason, 1L, Long::sum);
        }
    }

    /**
     * @param input events in any order; null elements are counted and dropped
     * @return the kept events sorted by time, and the report
     * @throws BadInputException when {@code input} itself is null
     */
    public CleaningResult clean(List<BehaviorEvent> input) {
        if (input == null) {
            throw new BadInputException("event cleaner: input list must not be null");
        }
        Counts c = new Counts();
        long maxTs = config.nowMillis() + config.maxFutureSkewMillis();
        // 1-3: validity and per-user grouping with order checks
        Map<String, List<long[]>> byUser = new LinkedHashMap<>(); // [index, ts]
        long reordered = 0;
        Map<String, Long> lastSeen = new HashMap<>();
        boolean[] gone = new boolean[input.size()];
        for (int i = 0; i < input.size(); i++) {
            BehaviorEvent e = input.get(i);
            if (e == null) {
                c.drop("null event");
                gone[i] = true;
                continue;
            }
            long ts = e.timestampMillis();
            if (ts > maxTs) {
                c.drop("future timestamp");
                gone[i] = true;
                continue;
            }
            if (ts < config.minTimestampMillis()) {
                c.drop("timestamp before minimum");
                gone[i] = true;
                continue;
            }
            Long prev = lastSeen.get(e.userId());
            if (prev != null && ts < prev) {
                if (config.outOfOrder() == OutOfOrderPolicy.DROP) {
                    c.drop("out of order");
                    gone[i] = true;
                    continue;
                }
                reordered++;
            } else {
                lastSeen.put(e.userId(), ts);
            }
            byUser.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(new long[] {i, ts});
        }
        // 4-7 per user
        List<long[]> kept = new ArrayList<>(); // [index, ts] of kept events
        Map<Integer, BehaviorEvent> replaced = new HashMap<>();
        Set<String> bots = new TreeSet<>();
        double medianDwell = medianDwell(input);
        for (Map.Entry<String, List<long[]>> ue : byUser.entrySet()) {
            List<long[]> evs = ue.getValue();
            evs.sort((a, b) -> a[1] != b[1] ? Long.compare(a[1], b[1]) : Long.compare(a[0], b[0]));
            if (isBot(evs)) {
                bots.add(ue.getKey());
                for (int k = 0; k < evs.size(); k++) {
                    c.drop("bot user");
                }
                continue;
            }
            Set<BehaviorEvent> exact = new HashSet<>();
            Map<String, Long> lastKeptByKey = new HashMap<>();
            long lastTs = Long.MIN_VALUE;
            int session = 0;
            for (long[] x : evs) {
                BehaviorEvent e = input.get((int) x[0]);
                if (!exact.add(e)) {
                    c.drop("exact duplicate");
                    continue;
                }
                if (config.nearDuplicateWindowMillis() > 0) {
                    String key = e.type().ordinal() + "\u0001" + e.itemId();
                    Long lk = lastKeptByKey.get(key);
                    if (lk != null && e.timestampMillis() - lk <= config.nearDuplicateWindowMillis()) {
                        c.drop("near duplicate");
                        continue;
                    }
                    lastKeptByKey.put(key, e.timestampMillis());
                }
                if (lastTs != Long.MIN_VALUE && e.timestampMillis() - lastTs > SESSION_GAP_MS) {
                    session++;
                }
                lastTs = e.timestampMillis();
                BehaviorEvent fixed = missingValues(e, c, session, medianDwell);
                if (fixed == null) {
                    continue;
                }
                if (fixed != e) {
                    replaced.put((int) x[0], fixed);
                }
                kept.add(x);
            }
        }
        kept.sort((a, b) -> a[1] != b[1] ? Long.compare(a[1], b[1]) : Long.compare(a[0], b[0]));
        List<BehaviorEvent> out = new ArrayList<>(kept.size());
        for (long[] x : kept) {
            BehaviorEvent r = replaced.get((int) x[0]);
            out.add(r != null ? r : input.get((int) x[0]));
        }
        CleaningReport report = new CleaningReport(input.size(), out.size(), c.dropped, c.flagged, c.imputed, reordered,
                new ArrayList<>(bots));
        return new CleaningResult(out, report);
    }

    private boolean isBot(List<long[]> sorted) {
        int max = config.botMaxEventsPerWindow();
        if (sorted.size() <= max) {
            return false;
        }
        int lo = 0;
        for (int hi = 0; hi < sorted.size(); hi++) {
            while (sorted.get(hi)[1] - sorted.get(lo)[1] >= config.botWindowMillis()) {
                lo++;
            }
            if (hi - lo + 1 > max) {
                return true;
            }
        }
        return false;
    }

    private static double medianDwell(List<BehaviorEvent> input) {
        long[] d = input.stream().filter(e -> e != null && e.dwellMillisOrMinus1() >= 0)
                .mapToLong(BehaviorEvent::dwellMillisOrMinus1).toArray();
        if (d.length == 0) {
            return -1;
        }
        Arrays.sort(d);
        return d[d.length / 2];
    }

    /** @return the event (possibly rebuilt with imputed values), or null when dropped */
    private BehaviorEvent missingValues(BehaviorEvent e, Counts c, int session, double medianDwell) {
        EventType t = e.type();
        BehaviorEvent.Builder b = null;
        Optional<Item> item = e.itemId() == null ? Optional.empty() : catalog.item(e.itemId());
        boolean trade = t == EventType.PURCHASE || t == EventType.ADD_TO_CART;
        // the order of checks is fixed so the counts are deterministic; DROP stops at the first hit
        if (e.itemId() != null && item.isEmpty() && !apply(MissingField.ITEM, c, false)) {
            return null;
        }
        if (item.isPresent() && item.get().categoryPath().isEmpty() && !apply(MissingField.CATEGORY, c, false)) {
            return null;
        }
        if (t == EventType.SEARCH && e.query().isEmpty() && !apply(MissingField.QUERY, c, false)) {
            return null;
        }
        if (trade && Double.isNaN(e.priceOrNaN())) {
            boolean can = item.isPresent() && !Double.isNaN(item.get().price());
            if (!apply(MissingField.PRICE, c, can)) {
                return null;
            }
            if (can && config.policy(MissingField.PRICE) == MissingPolicy.IMPUTE) {
                b = e.toBuilder().price(item.get().price());
            }
        }
        if (trade && e.quantity().isEmpty()) {
            if (!apply(MissingField.QUANTITY, c, true)) {
                return null;
            }
            if (config.policy(MissingField.QUANTITY) == MissingPolicy.IMPUTE) {
                b = (b == null ? e.toBuilder() : b).quantity(1);
            }
        }
        if (t == EventType.VIEW && e.dwellMillisOrMinus1() < 0) {
            boolean can = medianDwell >= 0;
            if (!apply(MissingField.DWELL, c, can)) {
                return null;
            }
            if (can && config.policy(MissingField.DWELL) == MissingPolicy.IMPUTE) {
                b = (b == null ? e.toBuilder() : b).dwellMillis((long) medianDwell);
            }
        }
        if (e.sessionId().isEmpty()) {
            if (!apply(MissingField.SESSION, c, true)) {
                return null;
            }
            if (config.policy(MissingField.SESSION) == MissingPolicy.IMPUTE) {
                b = (b == null ? e.toBuilder() : b).session(e.userId() + "#" + session);
            }
        }
        return b == null ? e : b.build();
    }

    /**
     * Counts per policy;
     * @return false when the event is to be dropped.
     */
    private boolean apply(MissingField f, Counts c, boolean imputable) {
        MissingPolicy p = config.policy(f);
        if (p == MissingPolicy.DROP) {
            c.drop("missing " + f.label());
            return false;
        }
        if (p == MissingPolicy.IMPUTE && imputable) {
            c.imputed.merge(f.label(), 1L, Long::sum);
        } else {
            c.flagged.merge(f.label(), 1L, Long::sum);
        }
        return true;
    }

    /** @return the settings */
    public CleaningConfig config() {
        return config;
    }
}
