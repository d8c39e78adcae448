package org.persona4j.features.sequence;

import java.util.Arrays;
import org.persona4j.core.BadInputException;

/**
 * Buckets of the time since a user's previous event, the one gap bucketing of the SDK (its
 * boundaries are part of every trained sequence model's schema): {@link #PADDING} (0) = padding,
 * {@link #FIRST} (1) = no previous event, then one bucket per interval between ascending
 * boundaries: {@link #FIRST_GAP} (2) for gaps below the first boundary, ..., {@code size()-1} for
 * gaps at or above the last. Negative gaps (events out of order) count as 0. Immutable and
 * thread-safe.
 */
public final class GapBuckets {
    /** The padding index. */
    public static final int PADDING = 0;
    /** The bucket of a user's first event. */
    public static final int FIRST = 1;
    /** The bucket of the shortest gaps (below the first boundary); longer gaps follow. */
    public static final int FIRST_GAP = 2;

    /** Default boundaries: 1 minute, 10 minutes, 1 hour, 1 day, 7 days, 30 days. */
    private static final long[] DEFAULT = {60_000L, 600_000L, 3_600_000L, 86_400_000L, 7 * 86_400_000L, 30 * 86_400_000L};

    private final long[] boundaries;

    private GapBuckets(long[] boundaries) {
        for (int i = 0; i < boundaries.length; i++) {
            if (boundaries[i] <= 0 || (i > 0 && boundaries[i] <= boundaries[i - 1])) {
                throw new BadInputException("gap buckets: boundaries must be positive and strictly ascending, was "
                        + Arrays.toString(boundaries) + " (at position " + i + ")");
            }
        }
        this.boundaries = boundaries.clone();
    }

    /** @return buckets with the default boundaries (1 min, 10 min, 1 h, 1 d, 7 d, 30 d) */
    public static GapBuckets defaults() {
        return new GapBuckets(DEFAULT);
    }

    /**
     * @param boundariesMillis strictly ascending positive boundaries in milliseconds, possibly empty
     * @return the buckets
     * @throws BadInputException when not strictly ascending and positive
     */
    public static GapBuckets of(long... boundariesMillis) {
        return new GapBuckets(boundariesMillis);
    }

    /**
     * @param previousMillis the previous event's time, or a negative value when there is none
     * @param millis this event's time
     * @return the bucket index, {@code >= 1}
     */
    public int bucket(long previousMillis, long millis) {
        if (previousMillis < 0) {
            return FIRST;
        }
        long gap = Math.max(0, millis - previousMillis);
        int i = 0;
        while (i < boundaries.length && gap >= boundaries[i]) {
            i++;
        }
        return FIRST_GAP + i;
    }

    /** @return the number of indices, padding and first-event included ({@code FIRST_GAP + boundaries + 1}) */
    public int size() {
        return FIRST_GAP + boundaries.length + 1;
    }

    /** @return a copy of the boundaries in milliseconds */
    public long[] boundariesMillis() {
        return boundaries.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GapBuckets && Arrays.equals(((GapBuckets) o).boundaries, boundaries);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(boundaries);
    }

    @Override
    public String toString() {
        return "GapBuckets" + Arrays.toString(boundaries);
    }
}
