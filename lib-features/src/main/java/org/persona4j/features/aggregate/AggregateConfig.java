package org.persona4j.features.aggregate;

import java.util.Arrays;
import org.persona4j.core.BadInputException;
import org.persona4j.core.EventType;

/**
 * Settings of the per-user aggregates, validated at construction.
 *
 * @param halfLifeDays half-life of the time decay of affinities and activity, in days, {@code > 0}
 * @param topCategorySlots top-K slots for top-level category affinity, 1..64
 * @param leafCategorySlots top-K slots for leaf category (full path) affinity, 1..64
 * @param brandSlots top-K slots for brand affinity, 1..64
 * @param typeWeights affinity weight per event type, indexed by {@link EventType#ordinal()}, finite and {@code >= 0}
 * @param priceBands number of price bands (quantiles of the item's top-level category), 2..20
 * @param zoneOffsetSeconds offset from UTC for hour-of-day and day-of-week, in seconds (-18h..18h)
 */
public record AggregateConfig(double halfLifeDays, int topCategorySlots, int leafCategorySlots, int brandSlots,
                              double[] typeWeights, int priceBands, int zoneOffsetSeconds) {

    /** Default affinity weights: view/click 1, cart 3, favourite 2, purchase 5, rate/review 2, search and removal 0. */
    private static final double[] DEFAULT_WEIGHTS = defaultWeights();

    /** Validates and copies. @throws BadInputException naming the bad field and value */
    public AggregateConfig {
        if (!(halfLifeDays > 0) || Double.isInfinite(halfLifeDays)) {
            throw new BadInputException("aggregate config: 'halfLifeDays' must be a finite number > 0, was " + halfLifeDays);
        }
        checkSlots("topCategorySlots", topCategorySlots);
        checkSlots("leafCategorySlots", leafCategorySlots);
        checkSlots("brandSlots", brandSlots);
        if (typeWeights == null || typeWeights.length != EventType.count()) {
            throw new BadInputException("aggregate config: 'typeWeights' must have " + EventType.count()
                    + " entries (one per EventType), was " + (typeWeights == null ? "null" : typeWeights.length));
        }
        typeWeights = typeWeights.clone();
        for (int i = 0; i < typeWeights.length; i++) {
            if (!(typeWeights[i] >= 0) || Double.isInfinite(typeWeights[i])) {
                throw new BadInputException("aggregate config: 'typeWeights[" + EventType.ofOrdinal(i)
                        + "]' must be finite and >= 0, was " + typeWeights[i]);
            }
        }
        if (priceBands < 2 || priceBands > 20) {
            throw new BadInputException("aggregate config: 'priceBands' must be in 2..20, was " + priceBands);
        }
        if (Math.abs(zoneOffsetSeconds) > 18 * 3600) {
            throw new BadInputException("aggregate config: 'zoneOffsetSeconds' must be within +-64800, was " + zoneOffsetSeconds);
        }
    }

    private static void checkSlots(String name, int v) {
        if (v < 1 || v > 64) {
            throw new BadInputException("aggregate config: '" + name + "' must be in 1..64, was " + v);
        }
    }

    private static double[] defaultWeights() {
        double[] w = new double[EventType.count()];
        w[EventType.VIEW.ordinal()] = 1;
        w[EventType.CLICK.ordinal()] = 1;
        w[EventType.ADD_TO_CART.ordinal()] = 3;
        w[EventType.FAVORITE.ordinal()] = 2;
        w[EventType.PURCHASE.ordinal()] = 5;
        w[EventType.RATE.ordinal()] = 2;
        w[EventType.REVIEW.ordinal()] = 2;
        return w;
    }

    /** @return the defaults: half-life 14 days, 8 slots each, default type weights, 5 price bands, UTC */
    public static AggregateConfig defaults() {
        return new AggregateConfig(14, 8, 8, 8, DEFAULT_WEIGHTS, 5, 0);
    }

    /** @return a copy of the type weights */
    @Override
    public double[] typeWeights() {
        return typeWeights.clone();
    }

    /** The weights array itself, for the hot path (never modified). */
    double[] weightsNoCopy() {
        return typeWeights;
    }

    /**
     * @param type an event type
     * @return its affinity weight
     */
    public double weight(EventType type) {
        return typeWeights[type.ordinal()];
    }

    /** @return the decay time constant {@code tau} in milliseconds ({@code halfLife / ln 2}) */
    public double tauMillis() {
        return halfLifeDays * 86_400_000.0 / Math.log(2);
    }

    /**
     * @param days the half-life in days
     * @return a copy with it
     */
    public AggregateConfig withHalfLifeDays(double days) {
        return new AggregateConfig(days, topCategorySlots, leafCategorySlots, brandSlots, typeWeights, priceBands, zoneOffsetSeconds);
    }

    /**
     * @param top top-level slots
     * @param leaf leaf slots
     * @param brands brand slots
     * @return a copy with them
     */
    public AggregateConfig withSlots(int top, int leaf, int brands) {
        return new AggregateConfig(halfLifeDays, top, leaf, brands, typeWeights, priceBands, zoneOffsetSeconds);
    }

    /**
     * @param seconds offset from UTC
     * @return a copy with it
     */
    public AggregateConfig withZoneOffsetSeconds(int seconds) {
        return new AggregateConfig(halfLifeDays, topCategorySlots, leafCategorySlots, brandSlots, typeWeights, priceBands, seconds);
    }

    /**
     * Upper bound of the heap bytes one {@link UserAggregates} holds with this config (object
     * headers and arrays on a 64-bit JVM with compressed pointers, rounded up; the user id string
     * is not counted, it is shared with the caller's map key).
     *
     * @return bytes per user
     */
    public long bytesPerUserBound() {
        long slots = topCategorySlots + leafCategorySlots + brandSlots;
        // object: header, 6 references, 9 doubles, 11 longs, 6 ints (rounded up); three arrays with 16-byte headers:
        // long[types + bands], int[slot ids + 24 hours + 7 days], double[slot weights]
        return 232 + align(16 + 8L * (EventType.count() + priceBands)) + align(16 + 4 * (slots + 31)) + align(16 + 8 * slots);
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AggregateConfig)) {
            return false;
        }
        AggregateConfig c = (AggregateConfig) o;
        return Double.compare(c.halfLifeDays, halfLifeDays) == 0 && c.topCategorySlots == topCategorySlots
                && c.leafCategorySlots == leafCategorySlots && c.brandSlots == brandSlots
                && Arrays.equals(c.typeWeights, typeWeights) && c.priceBands == priceBands
                && c.zoneOffsetSeconds == zoneOffsetSeconds;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(halfLifeDays) * 31 + Arrays.hashCode(typeWeights) + topCategorySlots * 7 + priceBands;
    }

    @Override
    public String toString() {
        return "AggregateConfig{halfLifeDays=" + halfLifeDays + ", slots=" + topCategorySlots + "/" + leafCategorySlots
                + "/" + brandSlots + ", typeWeights=" + Arrays.toString(typeWeights) + ", priceBands=" + priceBands
                + ", zoneOffsetSeconds=" + zoneOffsetSeconds + "}";
    }
}
