package org.persona4j.features.aggregate;

import java.util.ArrayList;
import java.util.List;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;

/**
 * One user's running aggregates, updated in O(1) per event (a constant number of operations,
 * bounded by the configured slot counts) with bounded memory: see
 * {@link AggregateConfig#bytesPerUserBound()} (about 700 bytes with the defaults: counts per event
 * type, a 24-hour and a 7-day histogram, price-band counts, and 8 top-K slots each for top-level
 * categories, leaf categories and brands).
 *
 * <p>Affinities are top-K with the Space-Saving rule: when all slots are taken, a new key replaces
 * the lightest slot and inherits its weight, so a stored weight may overestimate by at most the
 * lightest weight, and every key whose true share exceeds {@code 1 / K} is kept. With at most K
 * distinct keys the values are exact. All other aggregates are exact and independent of arrival
 * order (out-of-order events are fine).
 *
 * <p>Not thread-safe: confine an instance to one thread at a time ({@link AggregateStore}
 * synchronises per user).
 */
public final class UserAggregates {
    /** Renormalise the forward-decay landmark when exponents exceed this. */
    private static final double MAX_EXPONENT = 30;

    private final String userId;
    private final AggregateConfig config;
    private final double[] weights;
    private final double tau;

    private long events;
    private final long[] typeCounts = new long[EventType.count()];
    private long firstMillis = Long.MAX_VALUE;
    private long lastMillis = Long.MIN_VALUE;
    private long lastPurchaseMillis = -1;
    private double monetary;
    private long purchaseUnits;
    private long unknownItems;
    private long missingPrices;

    private long landmark;
    private double activity;
    private double topTotal;
    private double leafTotal;
    private double brandTotal;
    private final int[] topIds;
    private final double[] topW;
    private final int[] leafIds;
    private final double[] leafW;
    private final int[] brandIds;
    private final double[] brandW;

    private final int[] hours = new int[24];
    private final int[] days = new int[7];
    private final long[] bands;
    private double pctSumAll;
    private long pctCountAll;
    private double pctSumBuy;
    private long pctCountBuy;
    private double dwellSum;
    private long dwellCount;

    /**
     * @param userId the user
     * @param config the settings (shared between users)
     */
    public UserAggregates(String userId, AggregateConfig config) {
        if (userId == null || config == null) {
            throw new BadInputException("user aggregates: 'userId' and 'config' are required");
        }
        this.userId = userId;
        this.config = config;
        this.weights = config.weightsNoCopy();
        this.tau = config.tauMillis();
        topIds = emptyIds(config.topCategorySlots());
        topW = new double[config.topCategorySlots()];
        leafIds = emptyIds(config.leafCategorySlots());
        leafW = new double[config.leafCategorySlots()];
        brandIds = emptyIds(config.brandSlots());
        brandW = new double[config.brandSlots()];
        bands = new long[config.priceBands()];
    }

    private static int[] emptyIds(int n) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, -1);
        return a;
    }

    /**
     * Folds in one event, resolving its item through the resolver. Unknown items still count as
     * events (type, time, price) but add no affinity, and are counted ({@link AggregateSnapshot#unknownItems()}).
     *
     * @param e the event, not null
     * @param resolver the item resolver
     * @throws BadInputException when the event is null
     */
    public void update(BehaviorEvent e, ItemResolver resolver) {
        if (e == null) {
            throw new BadInputException("user aggregates " + userId + ": event must not be null");
        }
        ItemResolver.ItemInfo info = resolver.resolve(e.itemId());
        if (info == null && e.itemId() != null) {
            unknownItems++;
        }
        update(e.timestampMillis(), e.type(), info, e.priceOrNaN(), e.quantityOrOne(), e.dwellMillisOrMinus1());
    }

    /**
     * Folds in one pre-resolved event (the allocation-free hot path).
     *
     * @param ts epoch milliseconds
     * @param type the event type, not null
     * @param info the resolved item, or null for none/unknown
     * @param eventPrice the unit price recorded with the event, NaN when absent (the catalogue price is used then)
     * @param quantity quantity, {@code >= 1}
     * @param dwellMillis dwell time, or -1 when absent
     */
    public void update(long ts, EventType type, ItemResolver.ItemInfo info, double eventPrice, int quantity, long dwellMillis) {
        events++;
        int t = type.ordinal();
        typeCounts[t]++;
        if (ts < firstMillis) {
            firstMillis = ts;
        }
        if (ts > lastMillis) {
            lastMillis = ts;
        }
        if (events == 1) {
            landmark = ts;
        }
        double x = (ts - landmark) / tau;
        if (x > MAX_EXPONENT) {
            renormalise(ts);
            x = 0;
        }
        double g = Math.exp(x);
        activity += g;

        long sec = Math.floorDiv(ts, 1000L) + config.zoneOffsetSeconds();
        long day = Math.floorDiv(sec, 86_400L);
        hours[(int) Math.floorMod(sec, 86_400L) / 3600]++;
        days[(int) Math.floorMod(day + 3, 7L)]++;

        double price = eventPrice;
        double pct = Double.NaN;
        if (info != null) {
            double w = weights[t] * g;
            if (w > 0) {
                if (info.topCategory() >= 0) {
                    slotAdd(topIds, topW, info.topCategory(), w);
                    topTotal += w;
                }
                if (info.leafCategory() >= 0) {
                    slotAdd(leafIds, leafW, info.leafCategory(), w);
                    leafTotal += w;
                }
                if (info.brand() >= 0) {
                    slotAdd(brandIds, brandW, info.brand(), w);
                    brandTotal += w;
                }
            }
            if (Double.isNaN(price)) {
                price = info.price();
                pct = info.pricePercentile();
            } else {
                pct = PriceQuantiles.percentile(info.breakpoints(), price);
            }
        }
        if (!Double.isNaN(pct) && type != EventType.SEARCH && type != EventType.REMOVE_FROM_CART) {
            pctSumAll += pct;
            pctCountAll++;
            int nb = bands.length;
            bands[Math.min(nb - 1, (int) (pct * nb))]++;
            if (type == EventType.PURCHASE) {
                pctSumBuy += pct;
                pctCountBuy++;
            }
        }
        if (type == EventType.PURCHASE) {
            if (ts > lastPurchaseMillis) {
                lastPurchaseMillis = ts;
            }
            purchaseUnits += quantity;
            if (Double.isNaN(price)) {
                missingPrices++;
            } else {
                monetary += price * quantity;
            }
        }
        if (dwellMillis >= 0) {
            dwellSum += dwellMillis;
            dwellCount++;
        }
    }

    /** Counts an event whose item the catalogue does not know (when updating through the hot path). */
    public void countUnknownItem() {
        unknownItems++;
    }

    private static void slotAdd(int[] ids, double[] w, int id, double v) {
        int min = 0;
        for (int i = 0; i < ids.length; i++) {
            int k = ids[i];
            if (k == id) {
                w[i] += v;
                return;
            }
            if (k == -1) {
                ids[i] = id;
                w[i] = v;
                return;
            }
            if (w[i] < w[min]) {
                min = i;
            }
        }
        ids[min] = id;
        w[min] += v;
    }

    private void renormalise(long newLandmark) {
        double f = Math.exp((landmark - newLandmark) / tau);
        activity *= f;
        topTotal *= f;
        leafTotal *= f;
        brandTotal *= f;
        for (int i = 0; i < topW.length; i++) {
            topW[i] *= f;
        }
        for (int i = 0; i < leafW.length; i++) {
            leafW[i] *= f;
        }
        for (int i = 0; i < brandW.length; i++) {
            brandW[i] *= f;
        }
        landmark = newLandmark;
    }

    /** @return the user id */
    public String userId() {
        return userId;
    }

    /** @return the number of events folded in */
    public long eventCount() {
        return events;
    }

    /** @return epoch milliseconds of the latest event, or -1 when none */
    public long lastEventMillis() {
        return events == 0 ? -1 : lastMillis;
    }

    /**
     * An immutable view of the aggregates as of a time (decayed values are evaluated at it).
     *
     * @param asOfMillis the evaluation time (usually now, or the end of the training window)
     * @param names resolver whose interners name the category and brand ids
     * @return the snapshot
     */
    public AggregateSnapshot snapshot(long asOfMillis, ItemResolver names) {
        double f = events == 0 ? 0 : Math.exp((landmark - asOfMillis) / tau);
        return new AggregateSnapshot(userId, asOfMillis, events, typeCounts.clone(),
                events == 0 ? -1 : firstMillis, events == 0 ? -1 : lastMillis, lastPurchaseMillis,
                monetary, purchaseUnits, unknownItems, missingPrices, activity * f,
                ranking(topIds, topW, topTotal, f, names.topCategories()),
                ranking(leafIds, leafW, leafTotal, f, names.leafCategories()),
                ranking(brandIds, brandW, brandTotal, f, names.brands()),
                hours.clone(), days.clone(), bands.clone(),
                pctCountAll == 0 ? Double.NaN : pctSumAll / pctCountAll,
                pctCountBuy == 0 ? Double.NaN : pctSumBuy / pctCountBuy,
                dwellCount == 0 ? Double.NaN : dwellSum / dwellCount / 1000.0);
    }

    private static List<Affinity> ranking(int[] ids, double[] w, double total, double f, Interner names) {
        List<Affinity> out = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length && ids[i] >= 0; i++) {
            out.add(new Affinity(names.name(ids[i]), w[i] * f, total > 0 ? Math.min(1.0, w[i] / total) : 0));
        }
        out.sort((a, b) -> {
            int c = Double.compare(b.weight(), a.weight());
            return c != 0 ? c : a.name().compareTo(b.name());
        });
        return out;
    }
}
