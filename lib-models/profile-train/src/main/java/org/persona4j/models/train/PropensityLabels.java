package org.persona4j.models.train;

import java.util.List;
import java.util.Map;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;

/**
 * The targets of the purchase and churn heads, per cut point of a user's time-ordered history: the
 * cut after event {@code k} is labelled with
 * <ul>
 *   <li>purchase: 1 when an event after {@code k} is a purchase at most {@code H} after event
 *       {@code k}'s time ({@link ProfileModelConfig.Targets#purchaseHorizonDays()}), else 0;</li>
 *   <li>churn: 1 when no event after {@code k} lies within {@code N} of event {@code k}'s time
 *       ({@link ProfileModelConfig.Targets#churnHorizonDays()}), else 0.</li>
 * </ul>
 * Censoring: the user's events are observed up to an end ({@code observedUntil}, exclusive: the data's
 * last timestamp plus one, or the time of the user's first event held out for validation). A cut
 * whose horizon {@code t_k + H} is not before that end is {@link #CENSORED}, whatever happened
 * before the end: labelling only the outcomes seen early (positives) would bias the labels near
 * the end of the data towards purchases.
 *
 * <p>Without usable time (every timestamp of the data equal), the purchase label is "a purchase
 * among the next {@link ProfileModelConfig.Targets#horizonEvents()} events", censored when fewer
 * events follow in the observed history, and every churn label is censored (churn has no meaning
 * without time).
 */
final class PropensityLabels {
    /** The label of a censored cut (masked out of the loss and the validation). */
    static final float CENSORED = -1f;

    private final ProfileModelConfig.Targets targets;
    private final boolean timed;
    private final long dataEnd;
    private final Map<String, Long> heldOutFrom;
    private final java.util.Set<String> unlabelled;

    /**
     * @param targets the horizons
     * @param timed whether the events carry usable time
     * @param dataEnd the last timestamp of the data
     * @param heldOutFrom per user, the time of the first event hidden from the labels (held out for
     *     validation); users absent are observed until {@code dataEnd}
     * @param unlabelled users whose cuts are all censored (the heads' validation users)
     */
    PropensityLabels(ProfileModelConfig.Targets targets, boolean timed, long dataEnd, Map<String, Long> heldOutFrom,
                     java.util.Set<String> unlabelled) {
        this.targets = targets;
        this.timed = timed;
        this.dataEnd = dataEnd;
        this.heldOutFrom = heldOutFrom;
        this.unlabelled = unlabelled;
    }

    /** @return whether the user's labels are withheld from training */
    boolean withheld(String userId) {
        return unlabelled.contains(userId);
    }

    /** @return whether the events carry usable time (otherwise the event-count fallback is used) */
    boolean timed() {
        return timed;
    }

    /**
     * @param events all events
     * @return whether their timestamps span more than an instant
     */
    static boolean timed(List<BehaviorEvent> events) {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (BehaviorEvent e : events) {
            lo = Math.min(lo, e.timestampMillis());
            hi = Math.max(hi, e.timestampMillis());
        }
        return hi > lo;
    }

    /**
     * Labels every cut of a user's observed history.
     *
     * @param userId the user (for the held-out time)
     * @param h the observed events, time-ordered
     * @return {@code [purchase, churn]}, each one label per event (the cut after it): 1, 0 or {@link #CENSORED}
     */
    float[][] label(String userId, List<BehaviorEvent> h) {
        Long held = heldOutFrom.get(userId);
        long until = held != null ? held : (dataEnd == Long.MAX_VALUE ? dataEnd : dataEnd + 1);
        int n = h.size();
        long[] t = new long[n];
        boolean[] buy = new boolean[n];
        for (int k = 0; k < n; k++) {
            t[k] = h.get(k).timestampMillis();
            buy[k] = h.get(k).type() == EventType.PURCHASE;
        }
        return label(t, buy, until, timed, targets);
    }

    /**
     * The labels of one history (see the class comment).
     *
     * @param t the event times, ascending
     * @param buy whether each event is a purchase
     * @param until the end of observation, exclusive
     * @param timed whether to use time (otherwise event counts)
     * @param targets the horizons
     * @return {@code [purchase, churn]}, one label per event
     */
    static float[][] label(long[] t, boolean[] buy, long until, boolean timed, ProfileModelConfig.Targets targets) {
        int n = t.length;
        float[] purchase = new float[n];
        float[] churn = new float[n];
        if (!timed) {
            int k0 = targets.horizonEvents();
            int nextBuy = -1;
            for (int k = n - 1; k >= 0; k--) {
                purchase[k] = k + k0 > n - 1 ? CENSORED : (nextBuy >= 0 && nextBuy <= k + k0 ? 1f : 0f);
                churn[k] = CENSORED;
                if (buy[k]) {
                    nextBuy = k;
                }
            }
            return new float[][] {purchase, churn};
        }
        long hp = targets.purchaseHorizonMillis();
        long hc = targets.churnHorizonMillis();
        int nextBuy = -1;
        for (int k = n - 1; k >= 0; k--) {
            purchase[k] = !before(t[k], hp, until) ? CENSORED : (nextBuy >= 0 && t[nextBuy] - t[k] <= hp ? 1f : 0f);
            churn[k] = !before(t[k], hc, until) ? CENSORED : (k + 1 < n && t[k + 1] - t[k] <= hc ? 0f : 1f);
            if (buy[k]) {
                nextBuy = k;
            }
        }
        return new float[][] {purchase, churn};
    }

    /** Whether {@code t + horizon < until}, without overflow. */
    private static boolean before(long t, long horizon, long until) {
        return t < until - horizon;
    }
}
