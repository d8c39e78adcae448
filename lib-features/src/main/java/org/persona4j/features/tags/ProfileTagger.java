package org.persona4j.features.tags;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Evidence;
import org.persona4j.core.EventType;
import org.persona4j.core.Tag;
import org.persona4j.features.aggregate.Affinity;
import org.persona4j.features.aggregate.AggregateSnapshot;

/**
 * Derives human-readable {@link Tag}s with evidence from an {@link AggregateSnapshot}. Tag ids:
 * {@code category-preference}, {@code brand-preference}, {@code price-sensitive},
 * {@code premium-buyer}, {@code night-shopper}, {@code weekend-shopper}, {@code high-value},
 * {@code highly-active}, {@code at-risk-of-churn}, {@code window-shopper}, {@code cart-abandoner},
 * {@code new-customer}. Each tag's weight is in [0, 1] and its evidence names the numbers it rests
 * on. Immutable and thread-safe.
 */
public final class ProfileTagger {
    private final TagThresholds t;

    /** @param thresholds the thresholds */
    public ProfileTagger(TagThresholds thresholds) {
        if (thresholds == null) {
            throw new BadInputException("profile tagger: 'thresholds' is required");
        }
        this.t = thresholds;
    }

    /**
     * Fits the population thresholds: "high value" at the 80th percentile of monetary value among
     * buyers, "highly active" at the 80th percentile of events per day.
     *
     * @param training snapshots of the training users
     * @return the tagger
     */
    public static ProfileTagger fit(Collection<AggregateSnapshot> training) {
        double[] money = training.stream().filter(s -> s.monetary() > 0).mapToDouble(AggregateSnapshot::monetary).toArray();
        double[] rate = training.stream().filter(s -> s.eventCount() > 0).mapToDouble(AggregateSnapshot::eventsPerDay).toArray();
        return new ProfileTagger(TagThresholds.defaults(percentile(money, 0.8), percentile(rate, 0.8)));
    }

    private static double percentile(double[] v, double p) {
        if (v.length == 0) {
            return 0;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.floor(p * s.length))];
    }

    /** @return the thresholds */
    public TagThresholds thresholds() {
        return t;
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    /**
     * @param s a user's snapshot
     * @return the tags, in the order listed in the class description
     */
    public List<Tag> tags(AggregateSnapshot s) {
        List<Tag> out = new ArrayList<>();
        if (s == null || s.eventCount() < t.minEvents()) {
            return out;
        }
        String events = Long.toString(s.eventCount());
        if (!s.leafCategories().isEmpty() && s.leafCategories().get(0).share() >= t.preferenceMinShare()) {
            Affinity a = s.leafCategories().get(0);
            out.add(new Tag("category-preference", "prefers " + a.name(), clamp(a.share()),
                    Evidence.of("category", a.name(), "share", f(a.share()), "decayedWeight", f(a.weight()), "events", events)));
        } else if (!s.topCategories().isEmpty() && s.topCategories().get(0).share() >= t.preferenceMinShare()) {
            Affinity a = s.topCategories().get(0);
            out.add(new Tag("category-preference", "prefers " + a.name(), clamp(a.share()),
                    Evidence.of("category", a.name(), "share", f(a.share()), "decayedWeight", f(a.weight()), "events", events)));
        }
        if (!s.brands().isEmpty() && s.brands().get(0).share() >= Math.max(0.4, t.preferenceMinShare()) && s.brands().size() > 1) {
            Affinity a = s.brands().get(0);
            out.add(new Tag("brand-preference", "loyal to " + a.name(), clamp(a.share()),
                    Evidence.of("brand", a.name(), "share", f(a.share()), "brandsSeen", s.brands().size())));
        }
        double ps = s.priceSensitivity();
        long priced = Arrays.stream(s.priceBandCounts()).sum();
        if (!Double.isNaN(ps) && priced >= 3) {
            if (ps >= t.priceSensitiveAbove()) {
                out.add(new Tag("price-sensitive", "price-sensitive", clamp(ps),
                        Evidence.of("priceSensitivity", f(ps), "meanPricePercentile", f(1 - ps), "pricedEvents", priced,
                                "purchases", s.frequency())));
            } else if (ps <= t.premiumBelow()) {
                out.add(new Tag("premium-buyer", "premium buyer", clamp(1 - ps),
                        Evidence.of("priceSensitivity", f(ps), "meanPricePercentile", f(1 - ps), "pricedEvents", priced)));
            }
        }
        if (s.nightShare() >= t.nightShareAbove()) {
            out.add(new Tag("night-shopper", "night shopper", clamp(s.nightShare()),
                    Evidence.of("nightShare", f(s.nightShare()), "peakHour", s.peakHour(), "events", events)));
        }
        if (s.weekendShare() >= t.weekendShareAbove()) {
            out.add(new Tag("weekend-shopper", "weekend shopper", clamp(s.weekendShare()),
                    Evidence.of("weekendShare", f(s.weekendShare()), "events", events)));
        }
        if (t.highValueMonetary() > 0 && s.monetary() >= t.highValueMonetary()) {
            out.add(new Tag("high-value", "high value", clamp(0.5 + 0.5 * (s.monetary() - t.highValueMonetary()) / t.highValueMonetary()),
                    Evidence.of("monetary", f(s.monetary()), "threshold", f(t.highValueMonetary()), "purchases", s.frequency())));
        }
        if (t.highActivityPerDay() > 0 && s.eventsPerDay() >= t.highActivityPerDay()) {
            out.add(new Tag("highly-active", "highly active", clamp(0.5 + 0.5 * (s.eventsPerDay() - t.highActivityPerDay()) / t.highActivityPerDay()),
                    Evidence.of("eventsPerDay", f(s.eventsPerDay()), "threshold", f(t.highActivityPerDay()))));
        }
        double gapDays = Double.isNaN(s.meanGapHours()) ? 0 : s.meanGapHours() / 24;
        double limit = Math.max(t.churnMinDays(), t.churnGapFactor() * gapDays);
        if (s.recencyDays() > limit) {
            out.add(new Tag("at-risk-of-churn", "at risk of churn", clamp(s.recencyDays() / (2 * limit)),
                    Evidence.of("daysSinceLastEvent", f(s.recencyDays()), "meanGapDays", f(gapDays), "limitDays", f(limit),
                            "purchases", s.frequency())));
        }
        if (s.views() >= 10 && s.frequency() == 0 && s.count(EventType.ADD_TO_CART) == 0) {
            out.add(new Tag("window-shopper", "window shopper", clamp(s.views() / 50.0),
                    Evidence.of("views", s.views(), "carts", 0, "purchases", 0)));
        }
        long carts = s.count(EventType.ADD_TO_CART);
        if (carts >= 3 && s.purchasePerCart() < 0.2) {
            out.add(new Tag("cart-abandoner", "cart abandoner", clamp(1 - s.purchasePerCart()),
                    Evidence.of("carts", carts, "purchases", s.frequency(), "purchasePerCart", f(s.purchasePerCart()))));
        }
        double ageDays = (s.asOfMillis() - s.firstMillis()) / 86_400_000.0;
        if (ageDays >= 0 && ageDays < 14) {
            out.add(new Tag("new-customer", "new customer", clamp(1 - ageDays / 14),
                    Evidence.of("daysSinceFirstEvent", f(ageDays))));
        }
        return out;
    }
}
