package org.persona4j.features.tags;

import org.persona4j.core.BadInputException;

/**
 * Thresholds of the {@link ProfileTagger}, validated at construction.
 *
 * @param minEvents users with fewer events get no behavioural tags, {@code >= 1}
 * @param preferenceMinShare minimum affinity share for "prefers ..." and brand tags, in (0, 1]
 * @param priceSensitiveAbove price sensitivity at or above this tags "price-sensitive", in [0, 1]
 * @param premiumBelow price sensitivity at or below this tags "premium buyer", in [0, 1]
 * @param nightShareAbove night (22:00–05:59) share at or above this tags "night shopper", in [0, 1]
 * @param weekendShareAbove weekend share at or above this tags "weekend shopper", in [0, 1]
 * @param highValueMonetary monetary value at or above this tags "high value" (fitted: 80th percentile of buyers), {@code >= 0}
 * @param highActivityPerDay events per day at or above this tags "highly active" (fitted: 80th percentile), {@code >= 0}
 * @param churnGapFactor "at risk of churn" when the days since the last event exceed this many mean gaps, {@code > 0}
 * @param churnMinDays ... and at least this many days, {@code >= 0}
 */
public record TagThresholds(int minEvents, double preferenceMinShare, double priceSensitiveAbove, double premiumBelow,
                            double nightShareAbove, double weekendShareAbove, double highValueMonetary,
                            double highActivityPerDay, double churnGapFactor, double churnMinDays) {
    /** Validates. @throws BadInputException naming the bad field */
    public TagThresholds {
        if (minEvents < 1) {
            throw new BadInputException("tag thresholds: 'minEvents' must be >= 1, was " + minEvents);
        }
        unit("preferenceMinShare", preferenceMinShare);
        if (preferenceMinShare == 0) {
            throw new BadInputException("tag thresholds: 'preferenceMinShare' must be > 0, was 0");
        }
        unit("priceSensitiveAbove", priceSensitiveAbove);
        unit("premiumBelow", premiumBelow);
        unit("nightShareAbove", nightShareAbove);
        unit("weekendShareAbove", weekendShareAbove);
        if (!(highValueMonetary >= 0) || Double.isInfinite(highValueMonetary)) {
            throw new BadInputException("tag thresholds: 'highValueMonetary' must be finite and >= 0, was " + highValueMonetary);
        }
        if (!(highActivityPerDay >= 0) || Double.isInfinite(highActivityPerDay)) {
            throw new BadInputException("tag thresholds: 'highActivityPerDay' must be finite and >= 0, was " + highActivityPerDay);
        }
        if (!(churnGapFactor > 0) || Double.isInfinite(churnGapFactor)) {
            throw new BadInputException("tag thresholds: 'churnGapFactor' must be finite and > 0, was " + churnGapFactor);
        }
        if (!(churnMinDays >= 0) || Double.isInfinite(churnMinDays)) {
            throw new BadInputException("tag thresholds: 'churnMinDays' must be finite and >= 0, was " + churnMinDays);
        }
    }

    private static void unit(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new BadInputException("tag thresholds: '" + name + "' must be in [0, 1], was " + v);
        }
    }

    /**
     * Defaults with population thresholds to be fitted: 5 events, share 0.3, sensitivity 0.65 /
     * 0.35, night 0.4, weekend 0.5, churn after 3 mean gaps and at least 30 days.
     *
     * @param highValueMonetary the high-value threshold
     * @param highActivityPerDay the high-activity threshold
     * @return the thresholds
     */
    public static TagThresholds defaults(double highValueMonetary, double highActivityPerDay) {
        return new TagThresholds(5, 0.3, 0.65, 0.35, 0.4, 0.5, highValueMonetary, highActivityPerDay, 3, 30);
    }
}
