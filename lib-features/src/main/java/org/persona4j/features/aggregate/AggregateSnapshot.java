package org.persona4j.features.aggregate;

import java.util.List;
import org.persona4j.core.EventType;

/**
 * An immutable view of one user's aggregates evaluated at {@code asOfMillis}, with the derived
 * features (RFM, funnel ratios, price sensitivity, preferred hours, ...). The arrays are copies
 * owned by the snapshot; do not modify them.
 *
 * @param userId the user
 * @param asOfMillis the evaluation time of decayed values and recency
 * @param eventCount events folded in
 * @param typeCounts events per {@link EventType#ordinal()}
 * @param firstMillis earliest event time, -1 when none
 * @param lastMillis latest event time, -1 when none
 * @param lastPurchaseMillis latest purchase time, -1 when none
 * @param monetary sum of unit price times quantity over purchases with a known price
 * @param purchaseUnits sum of quantities over purchases
 * @param unknownItems events whose item the catalogue did not know
 * @param missingPrices purchases whose price was unknown (not in {@code monetary})
 * @param decayedActivity time-decayed event count at {@code asOfMillis} (events within about one decay time)
 * @param topCategories top-level category affinity, strongest first (at most K entries)
 * @param leafCategories leaf category (full path) affinity, strongest first
 * @param brands brand affinity, strongest first
 * @param hourCounts events per hour of day (0..23, configured zone)
 * @param dayCounts events per day of week (0 = Monday)
 * @param priceBandCounts item events per price band (band 0 = cheapest quantiles of the item's category)
 * @param meanPricePercentile mean price percentile of item events, NaN when no price known
 * @param meanPurchasePercentile mean price percentile of purchases, NaN when none
 * @param meanDwellSeconds mean dwell time in seconds (each dwell capped at 30 minutes), NaN when none recorded
 */
public record AggregateSnapshot(String userId, long asOfMillis, long eventCount, long[] typeCounts, long firstMillis,
                                long lastMillis, long lastPurchaseMillis, double monetary, long purchaseUnits,
                                long unknownItems, long missingPrices, double decayedActivity,
                                List<Affinity> topCategories, List<Affinity> leafCategories, List<Affinity> brands,
                                int[] hourCounts, int[] dayCounts, long[] priceBandCounts, double meanPricePercentile,
                                double meanPurchasePercentile, double meanDwellSeconds) {
    private static final double DAY_MS = 86_400_000.0;

    /** Copies the lists. */
    public AggregateSnapshot {
        topCategories = List.copyOf(topCategories);
        leafCategories = List.copyOf(leafCategories);
        brands = List.copyOf(brands);
    }

    /**
     * @param type an event type
     * @return how many events of it
     */
    public long count(EventType type) {
        return typeCounts[type.ordinal()];
    }

    /** @return days from the latest event to {@code asOfMillis} (0 when none or in the future) */
    public double recencyDays() {
        return lastMillis < 0 ? 0 : Math.max(0, (asOfMillis - lastMillis) / DAY_MS);
    }

    /** @return days from the latest purchase to {@code asOfMillis}, NaN when the user never bought */
    public double purchaseRecencyDays() {
        return lastPurchaseMillis < 0 ? Double.NaN : Math.max(0, (asOfMillis - lastPurchaseMillis) / DAY_MS);
    }

    /** @return the number of purchase events (RFM frequency) */
    public long frequency() {
        return count(EventType.PURCHASE);
    }

    /** @return views and clicks */
    public long views() {
        return count(EventType.VIEW) + count(EventType.CLICK);
    }

    /** @return cart additions per view or click, 0 when there were none */
    public double cartPerView() {
        long v = views();
        return v == 0 ? 0 : (double) count(EventType.ADD_TO_CART) / v;
    }

    /** @return purchases per cart addition, 0 when there were none */
    public double purchasePerCart() {
        long c = count(EventType.ADD_TO_CART);
        return c == 0 ? 0 : (double) count(EventType.PURCHASE) / c;
    }

    /** @return purchases per view or click, 0 when there were none */
    public double purchasePerView() {
        long v = views();
        return v == 0 ? 0 : (double) count(EventType.PURCHASE) / v;
    }

    /** @return days between the first and the last event */
    public double spanDays() {
        return eventCount == 0 ? 0 : (lastMillis - firstMillis) / DAY_MS;
    }

    /** @return events per day over the active span (the span counts at least one day) */
    public double eventsPerDay() {
        return eventCount / Math.max(1.0, spanDays());
    }

    /** @return mean hours between consecutive events, NaN with fewer than two events */
    public double meanGapHours() {
        return eventCount < 2 ? Double.NaN : (lastMillis - firstMillis) / 3_600_000.0 / (eventCount - 1);
    }

    /**
     * Price sensitivity in [0, 1]: one minus the mean price percentile (within the item's category)
     * of purchases, or of all item events when the user never bought a priced item.
     *
     * @return the sensitivity, NaN when no price is known
     */
    public double priceSensitivity() {
        double p = Double.isNaN(meanPurchasePercentile) ? meanPricePercentile : meanPurchasePercentile;
        return Double.isNaN(p) ? Double.NaN : 1 - p;
    }

    /** @return share of item events per price band, zeros when none */
    public double[] priceBandShares() {
        long n = 0;
        for (long b : priceBandCounts) {
            n += b;
        }
        double[] s = new double[priceBandCounts.length];
        for (int i = 0; i < s.length && n > 0; i++) {
            s[i] = (double) priceBandCounts[i] / n;
        }
        return s;
    }

    /** @return the price band with most item events, -1 when none */
    public int dominantPriceBand() {
        int best = -1;
        long bc = 0;
        for (int i = 0; i < priceBandCounts.length; i++) {
            if (priceBandCounts[i] > bc) {
                bc = priceBandCounts[i];
                best = i;
            }
        }
        return best;
    }

    /** @return share of events between 22:00 and 05:59, 0 when none */
    public double nightShare() {
        long n = 0;
        for (int h : new int[] {22, 23, 0, 1, 2, 3, 4, 5}) {
            n += hourCounts[h];
        }
        return eventCount == 0 ? 0 : (double) n / eventCount;
    }

    /** @return share of events on Saturday and Sunday, 0 when none */
    public double weekendShare() {
        return eventCount == 0 ? 0 : (double) (dayCounts[5] + dayCounts[6]) / eventCount;
    }

    /** @return the hour of day with the most events, -1 when none (ties: earliest hour) */
    public int peakHour() {
        int best = -1;
        int bc = 0;
        for (int h = 0; h < 24; h++) {
            if (hourCounts[h] > bc) {
                bc = hourCounts[h];
                best = h;
            }
        }
        return best;
    }

    /** @return mean of {@code sin(2 pi hour / 24)} over events (a cyclical preferred-hour feature), 0 when none */
    public double hourSin() {
        return cyc(hourCounts, 24, true);
    }

    /** @return mean of {@code cos(2 pi hour / 24)} over events, 0 when none */
    public double hourCos() {
        return cyc(hourCounts, 24, false);
    }

    /** @return mean of {@code sin(2 pi day / 7)} over events, 0 when none */
    public double daySin() {
        return cyc(dayCounts, 7, true);
    }

    /** @return mean of {@code cos(2 pi day / 7)} over events, 0 when none */
    public double dayCos() {
        return cyc(dayCounts, 7, false);
    }

    private double cyc(int[] counts, int period, boolean sin) {
        if (eventCount == 0) {
            return 0;
        }
        double s = 0;
        for (int i = 0; i < period; i++) {
            double a = 2 * Math.PI * i / period;
            s += counts[i] * (sin ? Math.sin(a) : Math.cos(a));
        }
        return s / eventCount;
    }

    /** @return the strongest top-level category, or null when none */
    public String favoriteTopCategory() {
        return topCategories.isEmpty() ? null : topCategories.get(0).name();
    }

    /**
     * @param name a top-level category name
     * @return its affinity share, 0 when not among the kept slots
     */
    public double topCategoryShare(String name) {
        for (Affinity a : topCategories) {
            if (a.name().equals(name)) {
                return a.share();
            }
        }
        return 0;
    }
}
