package org.persona4j.io;

import java.util.LinkedHashMap;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.core.EventRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where bad records go: raised at once in strict mode, counted per reason in lenient mode (the
 * first few are also logged at WARN with their location). Lenient mode still fails past
 * {@link ReadOptions#maxErrors()} bad records, or when more than {@link ReadOptions#maxBadShare()}
 * of the data lines are bad. Every message is passed through {@link #safe(String)}, so no control
 * character from the input reaches a log or a terminal. Not thread-safe.
 */
final class Problems {
    /** The count key of an input with no data lines (lenient mode). */
    static final String EMPTY = "empty file";

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    private static final int LOGGED = 5;

    private final ReadOptions options;
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private long errors;

    Problems(ReadOptions options) {
        this.options = options;
    }

    /**
     * Reports a bad record.
     *
     * @param prefix key prefix for side files ("items.csv: "), or empty
     * @throws BadInputException in strict mode, or past the lenient cap
     */
    void bad(String source, long line, RowError e, String prefix) {
        String detail = safe(e.detail);
        if (!options.isLenient()) {
            throw new BadInputException(source, line, safe(e.field), detail);
        }
        counts.merge(prefix + e.countKey(), 1L, Long::sum);
        errors++;
        if (errors <= LOGGED) {
            LOG.warn("skipped {}:{}: {}{}{}", source, line, e.field == null ? "" : "field '" + safe(e.field) + "': ",
                    detail, errors == LOGGED ? " (further skips are only counted)" : "");
        }
        long max = options.maxErrors();
        if (max >= 0 && errors > max) {
            throw new BadInputException(source, line, e.field, "more than " + max + " bad records (the lenient limit); the last: "
                    + detail);
        }
    }

    /**
     * Lenient mode: fails when more than {@link ReadOptions#maxBadShare()} of the data lines read so
     * far are bad, once at least {@link ReadOptions#BAD_SHARE_MIN_LINES} have been read.
     *
     * @param records data lines read so far (blank lines aside)
     * @param what what a good line looks like, for the message
     * @throws BadInputException when the share is exceeded
     */
    void checkShare(String source, long line, long records, String what) {
        double share = options.maxBadShare();
        if (!options.isLenient() || share >= 1 || records < ReadOptions.BAD_SHARE_MIN_LINES || errors <= share * records) {
            return;
        }
        throw new BadInputException(source, line, null, errors + " of the first " + records + " data lines are bad (more than "
                + Math.round(share * 100) + "%, the lenient limit; see ReadOptions.withMaxBadShare): this does not look like "
                + what + "; skipped so far " + counts);
    }

    /**
     * An input without a single data line: an error in strict mode; in lenient mode logged at WARN
     * and counted under {@value #EMPTY}.
     *
     * @param reason what was found and what was expected
     * @throws BadInputException in strict mode
     */
    void empty(String source, String reason) {
        if (!options.isLenient()) {
            throw new BadInputException(source, -1, null, reason);
        }
        counts.merge(EMPTY, 1L, Long::sum);
        LOG.warn("{}: {}", source, reason);
    }

    /** Counts a skipped blank line (never an error). */
    void blank(String prefix) {
        counts.merge(prefix + "blank line", 1L, Long::sum);
    }

    /** @return bad records so far */
    long errors() {
        return errors;
    }

    Map<String, Long> counts() {
        return counts;
    }

    ReadOptions options() {
        return options;
    }

    /**
     * @param s a message that may quote input
     * @return it with every control character (ESC, CR, NUL, C1, ...) and bidirectional override
     *     written as {@code \}{@code uXXXX}; null stays null
     */
    static String safe(String s) {
        return s == null ? null : EventRules.escapeControls(s);
    }
}
