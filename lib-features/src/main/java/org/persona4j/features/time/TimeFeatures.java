package org.persona4j.features.time;

import org.persona4j.core.BadInputException;

/**
 * Stateless time features for a fixed offset from UTC. All methods are allocation-free.
 *
 * @param zoneOffsetSeconds offset from UTC in seconds, within +-18 hours
 */
public record TimeFeatures(int zoneOffsetSeconds) {
    /** Milliseconds per day. */
    public static final double DAY_MS = 86_400_000.0;
    /** Dwell times are capped at 30 minutes before the log transform. */
    public static final long MAX_DWELL_MS = 30 * 60_000L;

    /** Validates. */
    public TimeFeatures {
        if (Math.abs(zoneOffsetSeconds) > 18 * 3600) {
            throw new BadInputException("time features: 'zoneOffsetSeconds' must be within +-64800, was " + zoneOffsetSeconds);
        }
    }

    /** @return UTC */
    public static TimeFeatures utc() {
        return new TimeFeatures(0);
    }

    /**
     * @param eventMillis the event time
     * @param nowMillis the reference time
     * @return days from the event to now, 0 for events in the future
     */
    public static double recencyDays(long eventMillis, long nowMillis) {
        return Math.max(0, (nowMillis - eventMillis) / DAY_MS);
    }

    /**
     * @param millis epoch ms
     * @return the hour of day 0..23 in this offset
     */
    public int hourOfDay(long millis) {
        long sec = Math.floorDiv(millis, 1000L) + zoneOffsetSeconds;
        return (int) (Math.floorMod(sec, 86_400L) / 3600);
    }

    /**
     * @param millis epoch ms
     * @return the day of week, 0 = Monday .. 6 = Sunday, in this offset
     */
    public int dayOfWeek(long millis) {
        long sec = Math.floorDiv(millis, 1000L) + zoneOffsetSeconds;
        return (int) Math.floorMod(Math.floorDiv(sec, 86_400L) + 3, 7L);
    }

    /**
     * @param millis epoch ms
     * @return {@code sin(2 pi h / 24)} of the fractional hour of day
     */
    public double hourSin(long millis) {
        return Math.sin(2 * Math.PI * fractionalHour(millis) / 24);
    }

    /**
     * @param millis epoch ms
     * @return {@code cos(2 pi h / 24)} of the fractional hour of day
     */
    public double hourCos(long millis) {
        return Math.cos(2 * Math.PI * fractionalHour(millis) / 24);
    }

    /**
     * @param millis epoch ms
     * @return {@code sin(2 pi d / 7)} of the day of week
     */
    public double daySin(long millis) {
        return Math.sin(2 * Math.PI * dayOfWeek(millis) / 7);
    }

    /**
     * @param millis epoch ms
     * @return {@code cos(2 pi d / 7)} of the day of week
     */
    public double dayCos(long millis) {
        return Math.cos(2 * Math.PI * dayOfWeek(millis) / 7);
    }

    private double fractionalHour(long millis) {
        long ms = Math.floorMod(millis + zoneOffsetSeconds * 1000L, 86_400_000L);
        return ms / 3_600_000.0;
    }

    /**
     * Dwell time feature: {@code log1p(seconds)} of the dwell capped at {@link #MAX_DWELL_MS}.
     *
     * @param dwellMillis dwell in ms, negative for unknown
     * @return the feature, or NaN when unknown (callers impute per their policy)
     */
    public static double dwellLog1pSeconds(long dwellMillis) {
        if (dwellMillis < 0) {
            return Double.NaN;
        }
        return Math.log1p(Math.min(dwellMillis, MAX_DWELL_MS) / 1000.0);
    }
}
