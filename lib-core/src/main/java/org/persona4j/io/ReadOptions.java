package org.persona4j.io;

import org.persona4j.core.BadInputException;
import org.persona4j.core.ProgressListener;

/**
 * How to read a data file: strict (the default: the first bad record raises
 * {@link BadInputException}) or lenient (bad records are skipped and counted per reason in the
 * {@link org.persona4j.core.ReadReport}), the events-csv column mapping, an optional cap on skipped
 * records, the share of bad lines past which lenient reading still fails, and a progress listener. Immutable and thread-safe; the {@code with*} methods return copies.
 */
public final class ReadOptions {
    /** The default {@link #maxBadShare()}: lenient reading refuses a file once more than half its data lines are bad. */
    public static final double DEFAULT_MAX_BAD_SHARE = 0.5;
    /** {@link #maxBadShare()} applies once this many data lines (blank lines aside) have been read. */
    public static final long BAD_SHARE_MIN_LINES = 100;

    private static final ReadOptions STRICT = new ReadOptions(false, ColumnMapping.defaults(), -1, ProgressListener.NONE, false,
            DEFAULT_MAX_BAD_SHARE);
    private static final ReadOptions LENIENT = new ReadOptions(true, ColumnMapping.defaults(), -1, ProgressListener.NONE, false,
            DEFAULT_MAX_BAD_SHARE);

    private final boolean lenient;
    private final ColumnMapping columns;
    private final long maxErrors;
    private final ProgressListener progress;
    private final boolean epochSeconds;
    private final double maxBadShare;

    private ReadOptions(boolean lenient, ColumnMapping columns, long maxErrors, ProgressListener progress, boolean epochSeconds,
                        double maxBadShare) {
        this.lenient = lenient;
        this.columns = columns;
        this.maxErrors = maxErrors;
        this.progress = progress;
        this.epochSeconds = epochSeconds;
        this.maxBadShare = maxBadShare;
    }

    /** @return strict reading with the default column mapping (the default) */
    public static ReadOptions strict() {
        return STRICT;
    }

    /** @return lenient reading with the default column mapping and no cap on skipped records */
    public static ReadOptions lenient() {
        return LENIENT;
    }

    /**
     * @param mapping the events-csv column mapping, not null
     * @return a copy with that mapping
     */
    public ReadOptions withColumnMapping(ColumnMapping mapping) {
        if (mapping == null) {
            throw new BadInputException("read options: column mapping must not be null");
        }
        return new ReadOptions(lenient, mapping, maxErrors, progress, epochSeconds, maxBadShare);
    }

    /**
     * In lenient mode, fail with {@link BadInputException} once more than {@code max} records have
     * been skipped for bad content (blank lines do not count).
     *
     * @param max the cap, {@code >= 0}, or -1 for none
     * @return a copy with that cap
     */
    public ReadOptions withMaxErrors(long max) {
        if (max < -1) {
            throw new BadInputException("read options: maxErrors must be >= 0 or -1 for no cap, was " + max);
        }
        return new ReadOptions(lenient, columns, max, progress, epochSeconds, maxBadShare);
    }

    /**
     * @param listener receives progress (bytes of the file read) every few hundred thousand records
     * @return a copy with that listener
     */
    public ReadOptions withProgress(ProgressListener listener) {
        return new ReadOptions(lenient, columns, maxErrors, listener == null ? ProgressListener.NONE : listener, epochSeconds,
                maxBadShare);
    }

    /**
     * For events-csv: read numeric timestamps as Unix seconds (a fraction allowed) instead of epoch
     * milliseconds. ISO-8601 timestamps are unaffected. The other formats have fixed units.
     *
     * @param seconds true for seconds
     * @return a copy with that unit
     */
    public ReadOptions withEpochSeconds(boolean seconds) {
        return new ReadOptions(lenient, columns, maxErrors, progress, seconds, maxBadShare);
    }

    /**
     * In lenient mode, fail with {@link BadInputException} when more than this share of the data
     * lines (blank lines aside) are bad, once at least {@value #BAD_SHARE_MIN_LINES} have been read
     * (checked at every bad line and at the end): lenient reading is for a few bad rows, not for a
     * file in the wrong format or full of garbage. Smaller files are never refused by this rule;
     * their skips are counted in the report as usual.
     *
     * @param share from 0 (exclusive) to 1; 1 turns the rule off
     * @return a copy with that share
     */
    public ReadOptions withMaxBadShare(double share) {
        if (!(share > 0 && share <= 1)) {
            throw new BadInputException("read options: maxBadShare must be > 0 and <= 1, was " + share);
        }
        return new ReadOptions(lenient, columns, maxErrors, progress, epochSeconds, share);
    }

    /** @return the share of bad data lines past which lenient reading fails (1: never) */
    public double maxBadShare() {
        return maxBadShare;
    }

    /** @return true when numeric events-csv timestamps are Unix seconds */
    public boolean epochSeconds() {
        return epochSeconds;
    }

    /** @return true for lenient mode */
    public boolean isLenient() {
        return lenient;
    }

    /** @return the events-csv column mapping */
    public ColumnMapping columnMapping() {
        return columns;
    }

    /** @return the cap on skipped records, or -1 for none */
    public long maxErrors() {
        return maxErrors;
    }

    /** @return the progress listener, never null */
    public ProgressListener progress() {
        return progress;
    }

    @Override
    public String toString() {
        return "ReadOptions{" + (lenient ? "lenient" : "strict") + (maxErrors >= 0 ? ", maxErrors=" + maxErrors : "")
                + (maxBadShare != DEFAULT_MAX_BAD_SHARE ? ", maxBadShare=" + maxBadShare : "")
                + (epochSeconds ? ", epoch seconds" : "") + ", " + columns + "}";
    }
}
