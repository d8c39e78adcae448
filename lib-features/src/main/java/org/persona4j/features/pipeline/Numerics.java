package org.persona4j.features.pipeline;

import java.util.List;
import org.persona4j.features.aggregate.AggregateSnapshot;
import org.persona4j.features.encode.NumericNormalizer.Kind;

/** The normalised numeric block of the user vector: names, normaliser kinds and raw values. */
final class Numerics {
    static final List<String> NAMES = List.of(
            "rfm.recency_days", "rfm.purchase_recency_days", "rfm.frequency", "rfm.monetary",
            "activity.events", "activity.decayed_events", "activity.events_per_day", "activity.mean_gap_hours",
            "funnel.cart_per_view", "funnel.purchase_per_cart", "funnel.purchase_per_view",
            "price.mean_percentile", "price.sensitivity", "time.mean_dwell_seconds", "affinity.top_category_share");
    static final List<Kind> KINDS = List.of(
            Kind.LOG1P_ZSCORE, Kind.LOG1P_ZSCORE, Kind.LOG1P_ZSCORE, Kind.LOG1P_ZSCORE,
            Kind.LOG1P_ZSCORE, Kind.LOG1P_ZSCORE, Kind.LOG1P_ZSCORE, Kind.LOG1P_ZSCORE,
            Kind.ZSCORE, Kind.ZSCORE, Kind.ZSCORE,
            Kind.ZSCORE, Kind.ZSCORE, Kind.LOG1P_ZSCORE, Kind.MINMAX);

    private Numerics() {
    }

    /** Raw values; NaN where undefined (the normaliser imputes the training mean). */
    static double[] raw(AggregateSnapshot s) {
        return new double[] {
            s.recencyDays(), s.purchaseRecencyDays(), s.frequency(), s.monetary(),
            s.eventCount(), s.decayedActivity(), s.eventsPerDay(), s.meanGapHours(),
            s.cartPerView(), s.purchasePerCart(), s.purchasePerView(),
            s.meanPricePercentile(), s.priceSensitivity(), s.meanDwellSeconds(),
            s.topCategories().isEmpty() ? 0 : s.topCategories().get(0).share()
        };
    }
}
