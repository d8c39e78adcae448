package org.persona4j.models.profile;

import org.persona4j.core.EventType;

/**
 * Counters of a user's activity that a state keeps beside the network's recurrent state, each
 * updated in O(1) per event and read as of any later time: event, purchase and add-to-cart counts,
 * the first, last and last-purchase times, and exponentially decayed event counts (half-lives 7 and
 * 30 days) and purchase count (30 days), which stand for "how active lately" without keeping a window of
 * events. They are the "wide" inputs of a {@link TimeAwareCalibration}.
 *
 * <p>Mutable: a state that owns its counters alone advances them in place; shared states copy them
 * first ({@link #copy()}). Not thread-safe.
 */
public final class ActivityCounters {
    static final double DAY_MS = 86_400_000.0;
    /** Decay times (half-life / ln 2) of the recent-activity counters, in milliseconds. */
    private static final double TAU_7 = 7 * DAY_MS / Math.log(2);
    private static final double TAU_30 = 30 * DAY_MS / Math.log(2);

    private long events;
    private long purchases;
    private long carts;
    private long firstMillis = -1;
    private long lastMillis = -1;
    private long lastPurchaseMillis = -1;
    /** Decayed counts as of {@link #lastMillis}. */
    private double recent7;
    private double recent30;
    private double recentPurchases30;

    /** @return an independent copy */
    public ActivityCounters copy() {
        ActivityCounters c = new ActivityCounters();
        c.events = events;
        c.purchases = purchases;
        c.carts = carts;
        c.firstMillis = firstMillis;
        c.lastMillis = lastMillis;
        c.lastPurchaseMillis = lastPurchaseMillis;
        c.recent7 = recent7;
        c.recent30 = recent30;
        c.recentPurchases30 = recentPurchases30;
        return c;
    }

    /**
     * Counts one event. An event older than the latest one counted is counted at the latest time
     * (no negative decay).
     *
     * @param timestampMillis the event's time
     * @param type its type
     */
    public void add(long timestampMillis, EventType type) {
        if (lastMillis >= 0 && timestampMillis > lastMillis) {
            double dt = timestampMillis - lastMillis;
            recent7 *= Math.exp(-dt / TAU_7);
            double d30 = Math.exp(-dt / TAU_30);
            recent30 *= d30;
            recentPurchases30 *= d30;
        }
        boolean buy = type == EventType.PURCHASE;
        recent7 += 1;
        recent30 += 1;
        recentPurchases30 += buy ? 1 : 0;
        events++;
        purchases += buy ? 1 : 0;
        carts += type == EventType.ADD_TO_CART ? 1 : 0;
        if (firstMillis < 0 || timestampMillis < firstMillis) {
            firstMillis = timestampMillis;
        }
        lastMillis = Math.max(lastMillis, timestampMillis);
        if (buy) {
            lastPurchaseMillis = Math.max(lastPurchaseMillis, timestampMillis);
        }
    }

    /** @return events counted */
    public long events() {
        return events;
    }

    /** @return purchases counted */
    public long purchases() {
        return purchases;
    }

    /** @return the latest event time counted, -1 before any */
    public long lastMillis() {
        return lastMillis;
    }

    /**
     * The inputs of a {@link TimeAwareCalibration}, in {@link TimeAwareCalibration#FEATURES} order.
     *
     * @param raw the head's raw output, in [0, 1]
     * @param asOfMillis the time they are for; before the last event counts as the last event
     * @return the inputs
     */
    public double[] inputs(double raw, long asOfMillis) {
        long at = lastMillis < 0 ? asOfMillis : Math.max(asOfMillis, lastMillis);
        double quiet = lastMillis < 0 ? 0 : at - lastMillis;
        double tenure = firstMillis < 0 ? 0 : at - firstMillis;
        // days since the last purchase; without one, the tenure (never bought in all that time)
        double sincePurchase = lastPurchaseMillis < 0 ? tenure : at - lastPurchaseMillis;
        double d7 = Math.exp(-quiet / TAU_7);
        double d30 = Math.exp(-quiet / TAU_30);
        return new double[] {PlattScaling.logit(raw), Math.log1p(quiet / DAY_MS), Math.log1p(events), Math.log1p(purchases),
                Math.log1p(carts), Math.log1p(tenure / DAY_MS), Math.log1p(recent7 * d7), Math.log1p(recent30 * d30),
                Math.log1p(recentPurchases30 * d30), Math.log1p(sincePurchase / DAY_MS), purchases / (carts + 1.0)};
    }
}
