package org.persona4j.eval;

import java.util.List;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.ProgressListener;

/**
 * What a {@link RecommenderFactory} fits on.
 *
 * @param split the split; fit on {@link EvalSplit#train()}, optionally validate on
 *     {@link EvalSplit#validation()} after fitting on {@link EvalSplit#trainForValidation()}
 * @param catalog the data set's catalogue (possibly empty)
 * @param options free options ("neighbours" → "200"); unknown keys are ignored, bad values raise
 *     {@link BadInputException}
 * @param seed the random seed
 * @param threads threads the factory may use, {@code >= 1}
 * @param progress progress receiver
 */
public record FitContext(EvalSplit split, Catalog catalog, Map<String, String> options, long seed, int threads,
                         ProgressListener progress) {
    /** Validates and copies. */
    public FitContext {
        if (split == null) {
            throw new BadInputException("fit context: field 'split': required");
        }
        catalog = catalog == null ? new InMemoryCatalog() : catalog;
        options = options == null ? Map.of() : Map.copyOf(options);
        if (threads < 1) {
            throw new BadInputException("fit context: field 'threads': expected >= 1, was " + threads);
        }
        progress = progress == null ? ProgressListener.NONE : progress;
    }

    /** @return the training events of the split */
    public List<BehaviorEvent> train() {
        return split.train();
    }

    /**
     * @param key option name
     * @param dflt default
     * @return the integer option
     */
    public int intOption(String key, int dflt) {
        String v = options.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException("option '" + key + "': expected an integer, was \"" + v + "\"");
        }
    }

    /**
     * @param key option name
     * @param dflt default
     * @return the boolean option ({@code true} or {@code false}, any case), or {@code dflt} when absent
     * @throws BadInputException when the value is neither
     */
    public boolean booleanOption(String key, boolean dflt) {
        String v = options.get(key);
        if (v == null) {
            return dflt;
        }
        String t = v.trim();
        if (t.equalsIgnoreCase("true")) {
            return true;
        }
        if (t.equalsIgnoreCase("false")) {
            return false;
        }
        throw new BadInputException("option '" + key + "': expected true or false, was \"" + v + "\"");
    }

    /**
     * @param key option name
     * @param dflt default
     * @return the decimal option
     */
    public double doubleOption(String key, double dflt) {
        String v = options.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException("option '" + key + "': expected a number, was \"" + v + "\"");
        }
    }
}
