package org.persona4j.eval.profile;

import org.persona4j.core.BadInputException;

/**
 * The settings of a profile evaluation, validated at construction.
 *
 * @param protocol the split
 * @param horizonDays the purchase horizon H in days ({@code >= 1}; 7 by default)
 * @param churnDays the churn window N in days ({@code >= 1}; 30 by default)
 * @param level the category level of the next-category target
 * @param k the cut-off of HR@k and NDCG@k ({@code >= 1}; 3 by default)
 * @param bins reliability bins ({@code >= 1}; 10 by default)
 * @param seed the seed of the fitted baselines
 * @param anchorAtLastEvent temporal protocol: start the purchase and churn windows at each user's
 *     last event before T instead of at T ({@link ProfileSplit#temporal(java.util.Map, long, int, int,
 *     org.persona4j.core.Catalog, CategoryLevel, boolean)})
 */
public record ProfileEvalConfig(Protocol protocol, int horizonDays, int churnDays, CategoryLevel level, int k, int bins,
                                long seed, boolean anchorAtLastEvent) {
    /** How the data is split. */
    public enum Protocol {
        /** Cutoff T from the data ({@link ProfileSplit#chooseCutoff}); labels after T. */
        TEMPORAL,
        /** The last event of each user held out (for data without real timestamps); category only. */
        LEAVE_LAST_OUT;

        /**
         * @param name temporal, or last / leave-last-out (case-insensitive)
         * @return the protocol
         */
        public static Protocol parse(String name) {
            String n = name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT);
            switch (n) {
                case "temporal": return TEMPORAL;
                case "last": case "leave-last-out": case "loo": return LEAVE_LAST_OUT;
                default: throw new BadInputException("unknown protocol \"" + name + "\": expected temporal or last");
            }
        }
    }

    /** Validates. @throws BadInputException naming the bad field and value */
    public ProfileEvalConfig {
        if (protocol == null) {
            throw new BadInputException("profile eval config: 'protocol' is required");
        }
        if (level == null) {
            throw new BadInputException("profile eval config: 'level' is required");
        }
        positive("horizonDays", horizonDays);
        positive("churnDays", churnDays);
        positive("k", k);
        positive("bins", bins);
    }

    /** @return temporal, H = 7 days, N = 30 days, leaf categories, k = 3, 10 bins, seed 42 */
    public static ProfileEvalConfig defaults() {
        return new ProfileEvalConfig(Protocol.TEMPORAL, 7, 30, CategoryLevel.LEAF, 3, 10, 42, false);
    }

    /** @param days H @return a copy with that horizon */
    public ProfileEvalConfig withHorizonDays(int days) {
        return new ProfileEvalConfig(protocol, days, churnDays, level, k, bins, seed, anchorAtLastEvent);
    }

    /** @param days N @return a copy with that churn window */
    public ProfileEvalConfig withChurnDays(int days) {
        return new ProfileEvalConfig(protocol, horizonDays, days, level, k, bins, seed, anchorAtLastEvent);
    }

    /** @param v the protocol @return a copy with it */
    public ProfileEvalConfig withProtocol(Protocol v) {
        return new ProfileEvalConfig(v, horizonDays, churnDays, level, k, bins, seed, anchorAtLastEvent);
    }

    /** @param v the category level @return a copy with it */
    public ProfileEvalConfig withLevel(CategoryLevel v) {
        return new ProfileEvalConfig(protocol, horizonDays, churnDays, v, k, bins, seed, anchorAtLastEvent);
    }

    /** @param v the seed @return a copy with it */
    public ProfileEvalConfig withSeed(long v) {
        return new ProfileEvalConfig(protocol, horizonDays, churnDays, level, k, bins, v, anchorAtLastEvent);
    }

    /** @param v whether the label windows start at each user's last event @return a copy with it */
    public ProfileEvalConfig withAnchorAtLastEvent(boolean v) {
        return new ProfileEvalConfig(protocol, horizonDays, churnDays, level, k, bins, seed, v);
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new BadInputException("profile eval config: '" + name + "' expected >= 1, was " + v);
        }
    }
}
