package org.persona4j.eval.profile;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;

/**
 * The first baseline, the user's own history read as rates, nothing fitted:
 * <ul>
 * <li>purchase: λ = purchases in the history / days from the first event to the cutoff (at least
 *     one day); P = 1 − exp(−λ·H), the chance of at least one purchase in H days at that rate;</li>
 * <li>churn: λ = active days (UTC days with an event) in the last N days before the cutoff / the
 *     days of that window the user was known (at least one); P = exp(−λ·N), the chance of no active
 *     day in the next N days at that rate: a recency-weighted inactivity rate (a user silent for the
 *     last N days gets 1);</li>
 * <li>category: the aggregates' category affinity shares ({@link AggregateFeatures#categoryShares}).</li>
 * </ul>
 */
public final class HistoricalScorer implements CaseScorer {
    private static final double DAY_MS = 86_400_000.0;

    private final AggregateFeatures features;
    private final int horizonDays;
    private final int churnDays;
    private final CategoryLevel level;

    /**
     * @param features the aggregates at the cutoff
     * @param horizonDays the purchase horizon H in days
     * @param churnDays the churn window N in days
     * @param level the category level
     */
    public HistoricalScorer(AggregateFeatures features, int horizonDays, int churnDays, CategoryLevel level) {
        if (features == null || level == null || horizonDays < 1 || churnDays < 1) {
            throw new BadInputException("historical scorer: 'features' and 'level' are required, horizonDays and churnDays >= 1;"
                    + " was horizonDays=" + horizonDays + ", churnDays=" + churnDays);
        }
        this.features = features;
        this.horizonDays = horizonDays;
        this.churnDays = churnDays;
        this.level = level;
    }

    @Override
    public String name() {
        return "historical rate";
    }

    @Override
    public String description() {
        return "purchase: 1 - exp(-H * purchases per day); churn: exp(-N * active days per day in the last N days);"
                + " category: aggregate affinity shares";
    }

    @Override
    public Scores score(ProfileCase c) {
        long t = c.cutoffMillis() >= 0 ? c.cutoffMillis() : c.lastEventMillis();
        double known = Math.max(1, (t - c.firstEventMillis()) / DAY_MS);
        long windowStart = t - (long) (churnDays * DAY_MS);
        int purchases = 0;
        Set<Long> activeDays = new HashSet<>();
        for (BehaviorEvent e : c.history()) {
            if (e.type() == EventType.PURCHASE) {
                purchases++;
            }
            if (e.timestampMillis() > windowStart) {
                activeDays.add(Math.floorDiv(e.timestampMillis(), 86_400_000L));
            }
        }
        double purchase = 1 - Math.exp(-horizonDays * purchases / known);
        double churn = Math.exp(-churnDays * activeDays.size() / Math.min(churnDays, known));
        Map<String, Double> cats = AggregateFeatures.categoryShares(features.snapshot(c), level);
        return new Scores(purchase, churn, cats);
    }
}
