package org.persona4j.features.clean;

import java.util.EnumMap;
import java.util.Map;
import org.persona4j.core.BadInputException;

/**
 * Settings of the {@link EventCleaner}, validated at construction.
 *
 * @param nowMillis the reference "now" for future timestamps (epoch ms); events later than
 *        {@code nowMillis + maxFutureSkewMillis} are dropped
 * @param maxFutureSkewMillis tolerated clock skew, {@code >= 0}
 * @param minTimestampMillis events earlier than this are dropped as out of range, {@code >= 0}
 * @param nearDuplicateWindowMillis events with the same user, item and type within this window of a
 *        kept one are near duplicates, {@code >= 0} (0 disables near-duplicate removal)
 * @param botWindowMillis the sliding window of the bot rule, {@code > 0}
 * @param botMaxEventsPerWindow a user with more events than this in any window is bot-like and all
 *        their events are dropped, {@code >= 1}
 * @param outOfOrder what to do with out-of-order events
 * @param missing the policy per field (fields not listed use {@link #defaultPolicy})
 */
public record CleaningConfig(long nowMillis, long maxFutureSkewMillis, long minTimestampMillis,
                             long nearDuplicateWindowMillis, long botWindowMillis, int botMaxEventsPerWindow,
                             OutOfOrderPolicy outOfOrder, Map<MissingField, MissingPolicy> missing) {

    /** 2000-01-01T00:00:00Z, the default lower bound of plausible timestamps. */
    public static final long YEAR_2000 = 946_684_800_000L;

    /** Validates and copies. @throws BadInputException naming the bad field and value */
    public CleaningConfig {
        if (nowMillis < 0) {
            throw new BadInputException("cleaning config: 'nowMillis' must be >= 0, was " + nowMillis);
        }
        if (maxFutureSkewMillis < 0) {
            throw new BadInputException("cleaning config: 'maxFutureSkewMillis' must be >= 0, was " + maxFutureSkewMillis);
        }
        if (minTimestampMillis < 0) {
            throw new BadInputException("cleaning config: 'minTimestampMillis' must be >= 0, was " + minTimestampMillis);
        }
        if (nearDuplicateWindowMillis < 0) {
            throw new BadInputException("cleaning config: 'nearDuplicateWindowMillis' must be >= 0, was " + nearDuplicateWindowMillis);
        }
        if (botWindowMillis <= 0) {
            throw new BadInputException("cleaning config: 'botWindowMillis' must be > 0, was " + botWindowMillis);
        }
        if (botMaxEventsPerWindow < 1) {
            throw new BadInputException("cleaning config: 'botMaxEventsPerWindow' must be >= 1, was " + botMaxEventsPerWindow);
        }
        if (outOfOrder == null) {
            throw new BadInputException("cleaning config: 'outOfOrder' is required");
        }
        EnumMap<MissingField, MissingPolicy> m = new EnumMap<>(MissingField.class);
        for (MissingField f : MissingField.values()) {
            m.put(f, defaultPolicy(f));
        }
        if (missing != null) {
            missing.forEach((k, v) -> {
                if (k == null || v == null) {
                    throw new BadInputException("cleaning config: 'missing' has a null key or value");
                }
                m.put(k, v);
            });
        }
        missing = java.util.Collections.unmodifiableMap(m);
    }

    /**
     * @param f a field
     * @return its default policy: IMPUTE for price and quantity, DROP for a search without query, FLAG otherwise
     */
    public static MissingPolicy defaultPolicy(MissingField f) {
        switch (f) {
            case PRICE:
            case QUANTITY:
                return MissingPolicy.IMPUTE;
            case QUERY:
                return MissingPolicy.DROP;
            default:
                return MissingPolicy.FLAG;
        }
    }

    /**
     * Defaults: 5 minutes of skew, year 2000 lower bound, 1 s near-duplicate window, more than
     * 120 events in 60 s is a bot, out-of-order events are sorted, default missing-value policies.
     *
     * @param nowMillis the reference now (pass the end of the data for historical files)
     * @return the config
     */
    public static CleaningConfig defaults(long nowMillis) {
        return new CleaningConfig(nowMillis, 300_000L, YEAR_2000, 1_000L, 60_000L, 120, OutOfOrderPolicy.SORT, Map.of());
    }

    /**
     * @param f a field
     * @return its policy
     */
    public MissingPolicy policy(MissingField f) {
        return missing.get(f);
    }

    /**
     * @param f a field
     * @param p its policy
     * @return a copy with it
     */
    public CleaningConfig withPolicy(MissingField f, MissingPolicy p) {
        Map<MissingField, MissingPolicy> m = new EnumMap<>(missing);
        m.put(f, p);
        return new CleaningConfig(nowMillis, maxFutureSkewMillis, minTimestampMillis, nearDuplicateWindowMillis,
                botWindowMillis, botMaxEventsPerWindow, outOfOrder, m);
    }

    /**
     * @param p the out-of-order policy
     * @return a copy with it
     */
    public CleaningConfig withOutOfOrder(OutOfOrderPolicy p) {
        return new CleaningConfig(nowMillis, maxFutureSkewMillis, minTimestampMillis, nearDuplicateWindowMillis,
                botWindowMillis, botMaxEventsPerWindow, p, missing);
    }

    /**
     * @param windowMillis the window
     * @param maxEvents the most events allowed in it
     * @return a copy with the bot rule
     */
    public CleaningConfig withBotRule(long windowMillis, int maxEvents) {
        return new CleaningConfig(nowMillis, maxFutureSkewMillis, minTimestampMillis, nearDuplicateWindowMillis,
                windowMillis, maxEvents, outOfOrder, missing);
    }

    /**
     * @param windowMillis the near-duplicate window
     * @return a copy with it
     */
    public CleaningConfig withNearDuplicateWindowMillis(long windowMillis) {
        return new CleaningConfig(nowMillis, maxFutureSkewMillis, minTimestampMillis, windowMillis,
                botWindowMillis, botMaxEventsPerWindow, outOfOrder, missing);
    }
}
