package org.persona4j.features.time;

import java.util.Arrays;
import java.util.List;
import org.persona4j.core.BadInputException;

/**
 * Buckets for the time between consecutive events of a user, on a roughly logarithmic scale.
 * Bucket 0 means "no previous event"; buckets 1.. cover {@code [0, 1 min)}, {@code [1, 5 min)},
 * {@code [5, 30 min)}, {@code [30 min, 2 h)}, {@code [2 h, 1 d)}, {@code [1, 7 d)},
 * {@code [7, 30 d)} and {@code >= 30 d} with the default bounds. Immutable and thread-safe.
 */
public final class GapBuckets {
    private static final long MIN = 60_000L;
    private static final long[] DEFAULT = {MIN, 5 * MIN, 30 * MIN, 120 * MIN, 1440 * MIN, 7 * 1440 * MIN, 30 * 1440 * MIN};
    private static final List<String> DEFAULT_LABELS = List.of("none", "<1m", "1-5m", "5-30m", "30m-2h", "2h-1d", "1-7d", "7-30d", ">=30d");

    private final long[] upper;

    private GapBuckets(long[] upper) {
        this.upper = upper;
    }

    /** @return the default buckets (9 in all, including "none") */
    public static GapBuckets defaults() {
        return new GapBuckets(DEFAULT);
    }

    /**
     * @param upperBoundsMillis exclusive upper bounds, strictly ascending and positive
     * @return custom buckets ({@code upperBoundsMillis.length + 2} in all)
     */
    public static GapBuckets of(long... upperBoundsMillis) {
        for (int i = 0; i < upperBoundsMillis.length; i++) {
            if (upperBoundsMillis[i] <= 0 || (i > 0 && upperBoundsMillis[i] <= upperBoundsMillis[i - 1])) {
                throw new BadInputException("gap buckets: bounds must be positive and strictly ascending, got "
                        + Arrays.toString(upperBoundsMillis));
            }
        }
        return new GapBuckets(upperBoundsMillis.clone());
    }

    /** @return the number of buckets including bucket 0 ("none") */
    public int count() {
        return upper.length + 2;
    }

    /**
     * @param gapMillis time since the previous event; negative means no previous event
     *        (out-of-order gaps should be passed as absolute values by the caller)
     * @return the bucket index in {@code [0, count())}
     */
    public int bucket(long gapMillis) {
        if (gapMillis < 0) {
            return 0;
        }
        for (int i = 0; i < upper.length; i++) {
            if (gapMillis < upper[i]) {
                return i + 1;
            }
        }
        return upper.length + 1;
    }

    /** @return labels of the buckets (the default ones, or the bounds in ms for custom buckets) */
    public List<String> labels() {
        if (Arrays.equals(upper, DEFAULT)) {
            return DEFAULT_LABELS;
        }
        String[] l = new String[count()];
        l[0] = "none";
        for (int i = 0; i <= upper.length; i++) {
            l[i + 1] = (i == 0 ? "0" : String.valueOf(upper[i - 1])) + "-" + (i < upper.length ? upper[i] : "inf") + "ms";
        }
        return List.of(l);
    }
}
