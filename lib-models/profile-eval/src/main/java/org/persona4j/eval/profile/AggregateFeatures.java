package org.persona4j.eval.profile;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.EventType;
import org.persona4j.features.aggregate.Affinity;
import org.persona4j.features.aggregate.AggregateConfig;
import org.persona4j.features.aggregate.AggregateSnapshot;
import org.persona4j.features.aggregate.ItemResolver;
import org.persona4j.features.aggregate.PriceQuantiles;
import org.persona4j.features.aggregate.UserAggregates;

/**
 * The per-user aggregates of {@code persona4j-features} at a case's cutoff, and the RFM-style
 * feature vector the logistic baseline is trained on: counts per event type, recency, purchase
 * recency, monetary value, funnel ratios, span, activity rate, decayed activity, and event,
 * purchase and active-day counts in the last H and N days before the cutoff (log-scaled where
 * they are counts or durations). Vectors are cached per case object (the fitted baselines read the
 * same cases); not thread-safe, like the scorers that use it.
 */
public final class AggregateFeatures {
    private static final double DAY_MS = 86_400_000.0;
    private static final String[] NAMES = {"log_events", "log_recency_days", "has_purchase", "log_purchase_recency_days",
        "log_purchases", "log_carts", "log_views", "log_searches", "log_favorites", "log_monetary", "cart_per_view",
        "purchase_per_cart", "purchase_per_view", "log_span_days", "log_events_per_day", "log_decayed_activity",
        "log_events_last_h", "log_purchases_last_h", "log_events_last_n", "log_purchases_last_n", "active_day_share_last_n"};

    private final ItemResolver resolver;
    private final AggregateConfig config;
    private final int horizonDays;
    private final int churnDays;
    /** Vectors by case (identity): the fitted baselines read the same training and test cases. */
    private final Map<ProfileCase, double[]> vectors = new IdentityHashMap<>();

    /**
     * @param catalog the catalogue
     * @param horizonDays the purchase horizon H in days
     * @param churnDays the churn window N in days
     */
    public AggregateFeatures(Catalog catalog, int horizonDays, int churnDays) {
        if (catalog == null) {
            throw new BadInputException("aggregate features: 'catalog' is required");
        }
        this.resolver = new ItemResolver(catalog, PriceQuantiles.fit(catalog));
        this.config = AggregateConfig.defaults();
        this.horizonDays = horizonDays;
        this.churnDays = churnDays;
    }

    /** @return the feature names, in vector order */
    public static List<String> names() {
        return List.of(NAMES);
    }

    /**
     * @param c a case
     * @return the user's aggregates over the history, evaluated at the cutoff
     */
    public AggregateSnapshot snapshot(ProfileCase c) {
        UserAggregates a = new UserAggregates(c.userId(), config);
        for (BehaviorEvent e : c.history()) {
            a.update(e, resolver);
        }
        return a.snapshot(asOf(c), resolver);
    }

    /**
     * Leaf-category affinity shares at a category level (entries of the same name summed).
     *
     * @param s a snapshot
     * @param level the level
     * @return shares by category name
     */
    public static Map<String, Double> categoryShares(AggregateSnapshot s, CategoryLevel level) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Affinity a : s.leafCategories()) {
            m.merge(level.ofPathLabel(a.name()), a.share(), Double::sum);
        }
        return m;
    }

    /**
     * @param c a case
     * @return the feature vector at the cutoff, every value finite (a copy; computed once per case object)
     */
    public double[] vector(ProfileCase c) {
        double[] v = vectors.get(c);
        if (v == null) {
            v = compute(c);
            vectors.put(c, v);
        }
        return v.clone();
    }

    private double[] compute(ProfileCase c) {
        AggregateSnapshot s = snapshot(c);
        long t = asOf(c);
        long h = t - (long) (horizonDays * DAY_MS);
        long n = t - (long) (churnDays * DAY_MS);
        int eventsH = 0;
        int buysH = 0;
        int eventsN = 0;
        int buysN = 0;
        Set<Long> activeDaysN = new HashSet<>();
        for (BehaviorEvent e : c.history()) {
            long ts = e.timestampMillis();
            boolean buy = e.type() == EventType.PURCHASE;
            if (ts > h) {
                eventsH++;
                buysH += buy ? 1 : 0;
            }
            if (ts > n) {
                eventsN++;
                buysN += buy ? 1 : 0;
                activeDaysN.add(Math.floorDiv(ts, 86_400_000L));
            }
        }
        double span = Math.max(1, (t - c.firstEventMillis()) / DAY_MS);
        double pr = s.purchaseRecencyDays();
        double[] v = {
            log(s.eventCount()), log(s.recencyDays()), Double.isNaN(pr) ? 0 : 1, log(Double.isNaN(pr) ? span : pr),
            log(s.count(EventType.PURCHASE)), log(s.count(EventType.ADD_TO_CART)), log(s.views()),
            log(s.count(EventType.SEARCH)), log(s.count(EventType.FAVORITE)), log(s.monetary()), s.cartPerView(),
            s.purchasePerCart(), s.purchasePerView(), log(s.spanDays()), log(s.eventsPerDay()), log(s.decayedActivity()),
            log(eventsH), log(buysH), log(eventsN), log(buysN), activeDaysN.size() / Math.min(churnDays, span)
        };
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                v[i] = 0;
            }
        }
        return v;
    }

    private static long asOf(ProfileCase c) {
        return c.cutoffMillis() >= 0 ? c.cutoffMillis() : c.lastEventMillis();
    }

    private static double log(double x) {
        return Math.log1p(Math.max(0, x));
    }
}
