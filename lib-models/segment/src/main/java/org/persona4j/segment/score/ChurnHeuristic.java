package org.persona4j.segment.score;

import org.persona4j.core.BadInputException;
import org.persona4j.features.aggregate.AggregateSnapshot;

/**
 * A churn risk in [0, 1] computed from recency and frequency: <strong>a heuristic, not a trained
 * model head</strong>, used by {@link ProfileScorer} for models without a churn head. It has not been
 * calibrated against observed churn; read it as a ranking of how overdue a user is, not as a
 * probability.
 *
 * <p>Rule: with {@code r} the days from the user's last event (of any type) to the as-of time and
 * {@code g} the user's mean gap between consecutive events in days ({@code (last - first) / (n - 1)};
 * 0 with one event), the user is overdue after {@code L = max(minDays, gapFactor * g)} days and
 * <pre>
 *   churn = 1 / (1 + exp(-steepness * (r - L) / L))
 * </pre>
 * With the defaults (3 gaps, 30 days, steepness 3): a user active today scores 0.047, a user
 * silent for exactly {@code L} days 0.5 (the point where lib-features' {@code at-risk-of-churn} tag
 * appears, same thresholds), for {@code 2L} days 0.953. The minimum keeps bursty users (many
 * events within minutes) from being called lapsed after a day.
 *
 * @param gapFactor how many mean gaps of silence make a user overdue, {@code > 0}
 * @param minDays the shortest overdue limit in days, {@code > 0}
 * @param steepness slope of the logistic in units of {@code L}, {@code > 0}
 */
public record ChurnHeuristic(double gapFactor, double minDays, double steepness) {
    private static final double DAY_HOURS = 24.0;

    /** Validates. @throws BadInputException naming the bad field */
    public ChurnHeuristic {
        positive("gapFactor", gapFactor);
        positive("minDays", minDays);
        positive("steepness", steepness);
    }

    private static void positive(String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new BadInputException("churn heuristic: field '" + field + "': expected a finite number > 0, was " + v);
        }
    }

    /** @return 3 mean gaps, at least 30 days, steepness 3 (the thresholds of the {@code at-risk-of-churn} tag) */
    public static ChurnHeuristic defaults() {
        return new ChurnHeuristic(3, 30, 3);
    }

    /**
     * @param meanGapDays the user's mean gap between events in days (NaN or 0 with one event)
     * @return the overdue limit {@code L} in days
     */
    public double limitDays(double meanGapDays) {
        double g = Double.isNaN(meanGapDays) ? 0 : Math.max(0, meanGapDays);
        return Math.max(minDays, gapFactor * g);
    }

    /**
     * @param recencyDays days since the user's last event, {@code >= 0}
     * @param meanGapDays the user's mean gap between events in days (NaN with one event)
     * @return the churn risk in [0, 1]
     */
    public double churn(double recencyDays, double meanGapDays) {
        double l = limitDays(meanGapDays);
        double r = Double.isNaN(recencyDays) ? 0 : Math.max(0, recencyDays);
        double z = steepness * (r - l) / l;
        double p = 1 / (1 + Math.exp(-z));
        return Math.max(0, Math.min(1, p));
    }

    /**
     * @param s a user's aggregates as of the scoring time
     * @return the churn risk in [0, 1]
     */
    public double churn(AggregateSnapshot s) {
        return churn(s.recencyDays(), s.meanGapHours() / DAY_HOURS);
    }
}
