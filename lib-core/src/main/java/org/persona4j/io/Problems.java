package org.persona4j.io;

import java.util.LinkedHashMap;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where bad records go: raised at once in strict mode, counted per reason in lenient mode (the
 * first few are also logged at WARN with their location). Not thread-safe.
 */
final class Problems {
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
        if (!options.isLenient()) {
            throw new BadInputException(source, line, e.field, e.detail);
        }
        counts.merge(prefix + e.countKey(), 1L, Long::sum);
        errors++;
        if (errors <= LOGGED) {
            LOG.warn("skipped {}:{}: {}{}{}", source, line, e.field == null ? "" : "field '" + e.field + "': ",
                    e.detail, errors == LOGGED ? " (further skips are only counted)" : "");
        }
        long max = options.maxErrors();
        if (max >= 0 && errors > max) {
            throw new BadInputException(source, line, e.field, "more than " + max + " bad records (the lenient limit); the last: "
                    + e.detail);
        }
    }

    /** Counts a skipped blank line (never an error). */
    void blank(String prefix) {
        counts.merge(prefix + "blank line", 1L, Long::sum);
    }

    Map<String, Long> counts() {
        return counts;
    }

    ReadOptions options() {
        return options;
    }
}
