package org.persona4j.eval.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.EventType;
import org.persona4j.core.Item;

/**
 * The users of a data set cut at one time, with their labels.
 *
 * <p>{@link #temporal temporal}: at the cutoff T a user's history is their events at or before T;
 * "purchased" is whether they have a PURCHASE in {@code (T, T + H]}; "churned" is whether they
 * have no event at all in {@code (T, T + N]}; the next category is the category of their first event
 * after T whose item the catalogue gives a category. Users without an event at or before T are
 * skipped and counted. {@link #leaveLastOut leave-last-out} (for data without real timestamps): the
 * history is every event but the last, whose item's category is the next category; purchase and
 * churn are not measured.
 *
 * @param protocol "temporal" or "leave-last-out"
 * @param cutoffMillis T for the temporal protocol, -1 for leave-last-out (a case's own cutoff may be earlier:
 *     {@link ProfileCase#cutoffMillis()})
 * @param cases one per user with a history, in user-id order
 * @param users users in the data
 * @param skippedNoHistory users skipped because they have no event at or before T (temporal) or
 *     fewer than two events (leave-last-out)
 * @param binaryLabels whether the purchase and churn labels are defined (temporal only)
 */
public record ProfileSplit(String protocol, long cutoffMillis, List<ProfileCase> cases, int users, int skippedNoHistory,
                           boolean binaryLabels) {
    private static final long DAY_MS = 86_400_000L;

    /** Copies the cases. */
    public ProfileSplit {
        cases = List.copyOf(cases);
    }

    /**
     * Groups events by user, each user's events in time order (stable for equal times).
     *
     * @param events events in any order
     * @return histories by user id, in user-id order
     */
    public static Map<String, List<BehaviorEvent>> byUser(List<BehaviorEvent> events) {
        if (events == null) {
            throw new BadInputException("profile split: 'events' is required");
        }
        Map<String, List<BehaviorEvent>> m = new TreeMap<>();
        for (BehaviorEvent e : events) {
            m.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(e);
        }
        Comparator<BehaviorEvent> byTime = Comparator.comparingLong(BehaviorEvent::timestampMillis);
        for (List<BehaviorEvent> l : m.values()) {
            l.sort(byTime);
        }
        return m;
    }

    /**
     * The cutoff rule: T = the last event time minus {@code max(horizonDays, churnDays)} days, so that
     * both label windows lie inside the data.
     *
     * @param events the events
     * @param horizonDays the purchase horizon H in days, {@code >= 1}
     * @param churnDays the churn window N in days, {@code >= 1}
     * @return T in epoch milliseconds
     * @throws BadInputException when there are no events or they span no more than {@code max(H, N)} days
     */
    public static long chooseCutoff(List<BehaviorEvent> events, int horizonDays, int churnDays) {
        requireDays("horizonDays", horizonDays);
        requireDays("churnDays", churnDays);
        if (events == null || events.isEmpty()) {
            throw new BadInputException("profile split: no events to choose a cutoff from");
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (BehaviorEvent e : events) {
            min = Math.min(min, e.timestampMillis());
            max = Math.max(max, e.timestampMillis());
        }
        long t = max - Math.max(horizonDays, churnDays) * DAY_MS;
        if (t <= min) {
            throw new BadInputException(String.format("profile split: the events span %.1f days; the temporal protocol needs"
                    + " more than max(horizon %d, churn %d) days", (max - min) / (double) DAY_MS, horizonDays, churnDays));
        }
        return t;
    }

    /**
     * The temporal split at T.
     *
     * @param byUser histories by user, each in time order ({@link #byUser})
     * @param cutoffMillis T
     * @param horizonDays the purchase horizon H in days
     * @param churnDays the churn window N in days
     * @param catalog the catalogue giving items' categories
     * @param level the category level of the next-category label
     * @return the split
     */
    public static ProfileSplit temporal(Map<String, List<BehaviorEvent>> byUser, long cutoffMillis, int horizonDays,
                                        int churnDays, Catalog catalog, CategoryLevel level) {
        return temporal(byUser, cutoffMillis, horizonDays, churnDays, catalog, level, false);
    }

    /**
     * The temporal split at T, its label windows starting either at T or, with
     * {@code anchorAtLastEvent}, at each user's last event L at or before T: purchased = a PURCHASE in
     * {@code (L, L + H]}, churned = no event in {@code (L, L + N]}, and the case's cutoff is L (what a
     * profile updated at every event predicts right after that event). Since the user has no event in
     * {@code (L, T]}, those windows only look at events after T.
     *
     * @param byUser histories by user, each in time order ({@link #byUser})
     * @param cutoffMillis T
     * @param horizonDays the purchase horizon H in days
     * @param churnDays the churn window N in days
     * @param catalog the catalogue giving items' categories
     * @param level the category level of the next-category label
     * @param anchorAtLastEvent whether the label windows start at each user's last event instead of T
     * @return the split
     */
    public static ProfileSplit temporal(Map<String, List<BehaviorEvent>> byUser, long cutoffMillis, int horizonDays,
                                        int churnDays, Catalog catalog, CategoryLevel level, boolean anchorAtLastEvent) {
        requireDays("horizonDays", horizonDays);
        requireDays("churnDays", churnDays);
        require(byUser, catalog, level);
        Map<String, String> categoryCache = new LinkedHashMap<>();
        List<ProfileCase> cases = new ArrayList<>();
        int skipped = 0;
        for (Map.Entry<String, List<BehaviorEvent>> u : byUser.entrySet()) {
            List<BehaviorEvent> events = u.getValue();
            int n = 0;
            while (n < events.size() && events.get(n).timestampMillis() <= cutoffMillis) {
                n++;
            }
            if (n == 0) {
                skipped++;
                continue;
            }
            long base = anchorAtLastEvent ? events.get(n - 1).timestampMillis() : cutoffMillis;
            long purchaseEnd = base + horizonDays * DAY_MS;
            long churnEnd = base + churnDays * DAY_MS;
            boolean purchased = false;
            boolean active = false;
            String next = null;
            for (int i = n; i < events.size(); i++) {
                BehaviorEvent e = events.get(i);
                long t = e.timestampMillis();
                if (t <= purchaseEnd && e.type() == EventType.PURCHASE) {
                    purchased = true;
                }
                if (t <= churnEnd) {
                    active = true;
                }
                if (next == null) {
                    next = category(e.itemId(), catalog, level, categoryCache);
                }
            }
            cases.add(new ProfileCase(u.getKey(), base, events.subList(0, n), purchased, !active, next));
        }
        return new ProfileSplit(anchorAtLastEvent ? "temporal, windows from each user's last event" : "temporal", cutoffMillis,
                cases, byUser.size(), skipped, true);
    }

    /**
     * The leave-last-out split: each user's last event is held out; its item's category is the label.
     *
     * @param byUser histories by user, each in time order
     * @param catalog the catalogue giving items' categories
     * @param level the category level of the label
     * @return the split (purchase and churn labels undefined, false)
     */
    public static ProfileSplit leaveLastOut(Map<String, List<BehaviorEvent>> byUser, Catalog catalog, CategoryLevel level) {
        require(byUser, catalog, level);
        Map<String, String> categoryCache = new LinkedHashMap<>();
        List<ProfileCase> cases = new ArrayList<>();
        int skipped = 0;
        for (Map.Entry<String, List<BehaviorEvent>> u : byUser.entrySet()) {
            List<BehaviorEvent> events = u.getValue();
            if (events.size() < 2) {
                skipped++;
                continue;
            }
            BehaviorEvent last = events.get(events.size() - 1);
            List<BehaviorEvent> history = events.subList(0, events.size() - 1);
            cases.add(new ProfileCase(u.getKey(), history.get(history.size() - 1).timestampMillis(), history, false, false,
                    category(last.itemId(), catalog, level, categoryCache)));
        }
        return new ProfileSplit("leave-last-out", -1, cases, byUser.size(), skipped, false);
    }

    /** @return how many cases bought within the horizon */
    public int purchasers() {
        return (int) cases.stream().filter(ProfileCase::purchased).count();
    }

    /** @return how many cases churned */
    public int churners() {
        return (int) cases.stream().filter(ProfileCase::churned).count();
    }

    /** @return how many cases have a next category */
    public int withNextCategory() {
        return (int) cases.stream().filter(c -> c.nextCategory() != null).count();
    }

    private static String category(String itemId, Catalog catalog, CategoryLevel level, Map<String, String> cache) {
        if (itemId == null) {
            return null;
        }
        if (cache.containsKey(itemId)) {
            return cache.get(itemId);
        }
        Optional<Item> item = catalog.item(itemId);
        String c = item.map(level::of).orElse(null);
        cache.put(itemId, c);
        return c;
    }

    private static void require(Map<String, List<BehaviorEvent>> byUser, Catalog catalog, CategoryLevel level) {
        if (byUser == null || catalog == null || level == null) {
            throw new BadInputException("profile split: 'byUser', 'catalog' and 'level' are required");
        }
    }

    private static void requireDays(String name, int days) {
        if (days < 1) {
            throw new BadInputException("profile split: '" + name + "' expected >= 1 day, was " + days);
        }
    }
}
