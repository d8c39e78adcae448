package org.persona4j.synth;

import java.time.Instant;
import org.persona4j.core.BadInputException;

/**
 * Immutable, validated settings of a synthetic shop. Build with {@link #builder()}; every setter
 * checks its value at once and {@link Builder#build()} checks the combination, naming the field and
 * the bad value. The same configuration always yields the same shop, byte for byte, whatever the
 * thread count.
 */
public final class ShopConfig {
    /** Upper limit of {@link Builder#topCategories(int)}. */
    public static final int MAX_TOP_CATEGORIES = Templates.TOPS.size();
    /** Upper limit of {@link Builder#subcategories(int)}. */
    public static final int MAX_SUBCATEGORIES = 4;
    /** Upper limit of {@link Builder#leaves(int)}. */
    public static final int MAX_LEAVES = 4;

    private final int users;
    private final int items;
    private final long seed;
    private final Instant start;
    private final int days;
    private final int personas;
    private final int topCategories;
    private final int subcategories;
    private final int leaves;
    private final int brandsPerCategory;
    private final double popularityExponent;
    private final double duplicateRate;
    private final double botShare;
    private final double malformedRate;
    private final double lapseShare;
    private final double purchaseRateSpread;
    private final int threads;

    private ShopConfig(Builder b) {
        this.users = b.users;
        this.items = b.items;
        this.seed = b.seed;
        this.start = b.start;
        this.days = b.days;
        this.personas = b.personas;
        this.topCategories = b.topCategories;
        this.subcategories = b.subcategories;
        this.leaves = b.leaves;
        this.brandsPerCategory = b.brandsPerCategory;
        this.popularityExponent = b.popularityExponent;
        this.duplicateRate = b.duplicateRate;
        this.botShare = b.botShare;
        this.malformedRate = b.malformedRate;
        this.lapseShare = b.lapseShare;
        this.purchaseRateSpread = b.purchaseRateSpread;
        this.threads = b.threads;
    }

    /** @return a builder with the defaults (1,000 users, 1,000 items, seed 42, 28 days, 8 personas, no noise) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with this configuration */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.users = users;
        b.items = items;
        b.seed = seed;
        b.start = start;
        b.days = days;
        b.personas = personas;
        b.topCategories = topCategories;
        b.subcategories = subcategories;
        b.leaves = leaves;
        b.brandsPerCategory = brandsPerCategory;
        b.popularityExponent = popularityExponent;
        b.duplicateRate = duplicateRate;
        b.botShare = botShare;
        b.malformedRate = malformedRate;
        b.lapseShare = lapseShare;
        b.purchaseRateSpread = purchaseRateSpread;
        b.threads = threads;
        return b;
    }

    /** @return number of users, bots included */
    public int users() {
        return users;
    }

    /** @return number of catalogue items */
    public int items() {
        return items;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /** @return the first instant of the simulated period (days start at this instant, UTC) */
    public Instant start() {
        return start;
    }

    /** @return length of the simulated period in days */
    public int days() {
        return days;
    }

    /** @return number of planted personas */
    public int personas() {
        return personas;
    }

    /** @return number of top-level categories */
    public int topCategories() {
        return topCategories;
    }

    /** @return subcategories per top-level category */
    public int subcategories() {
        return subcategories;
    }

    /** @return leaf categories per subcategory */
    public int leaves() {
        return leaves;
    }

    /** @return brands per top-level category */
    public int brandsPerCategory() {
        return brandsPerCategory;
    }

    /** @return the Zipf exponent of item popularity */
    public double popularityExponent() {
        return popularityExponent;
    }

    /** @return probability that an event is written twice (exact duplicate) */
    public double duplicateRate() {
        return duplicateRate;
    }

    /** @return share of users that are bots (persona {@code bot}) */
    public double botShare() {
        return botShare;
    }

    /** @return probability of a malformed row after each valid row of events.csv (files only) */
    public double malformedRate() {
        return malformedRate;
    }

    /**
     * @return mean share of shoppers who lapse: they stop all activity at a planted time before the
     *     end (see {@link UserTruth}); 0 (the default) plants none
     */
    public double lapseShare() {
        return lapseShare;
    }

    /**
     * @return how far the personas' checkout rates spread around the base rate 0.62: persona rates
     *     are stratified over {@code 0.62 * (1 - spread) .. 0.62 * (1 + spread)}; 0 (the default)
     *     gives every persona 0.62
     */
    public double purchaseRateSpread() {
        return purchaseRateSpread;
    }

    /** @return whether planted outcomes (lapses or persona purchase rates) are switched on */
    public boolean hasPlantedOutcomes() {
        return lapseShare > 0 || purchaseRateSpread > 0;
    }

    /** @return worker threads used by the generator (results do not depend on it) */
    public int threads() {
        return threads;
    }

    /** @return whether any noise is switched on */
    public boolean hasNoise() {
        return duplicateRate > 0 || botShare > 0 || malformedRate > 0;
    }

    @Override
    public String toString() {
        return "ShopConfig{users=" + users + ", items=" + items + ", seed=" + seed + ", start=" + start + ", days=" + days
                + ", personas=" + personas + ", categories=" + topCategories + "x" + subcategories + "x" + leaves
                + ", brandsPerCategory=" + brandsPerCategory + ", popularityExponent=" + popularityExponent
                + ", duplicateRate=" + duplicateRate + ", botShare=" + botShare + ", malformedRate=" + malformedRate
                + (hasPlantedOutcomes() ? ", lapseShare=" + lapseShare + ", purchaseRateSpread=" + purchaseRateSpread : "")
                + ", threads=" + threads + "}";
    }

    /** Mutable builder of {@link ShopConfig}; setters fail fast on bad values. Not thread-safe. */
    public static final class Builder {
        private int users = 1000;
        private int items = 1000;
        private long seed = 42;
        private Instant start = Instant.parse("2026-01-05T00:00:00Z");
        private int days = 28;
        private int personas = 8;
        private int topCategories = MAX_TOP_CATEGORIES;
        private int subcategories = MAX_SUBCATEGORIES;
        private int leaves = MAX_LEAVES;
        private int brandsPerCategory = 12;
        private double popularityExponent = 1.0;
        private double duplicateRate;
        private double botShare;
        private double malformedRate;
        private double lapseShare;
        private double purchaseRateSpread;
        private int threads = 1;

        private Builder() {
        }

        private static int range(String field, int v, int lo, int hi) {
            if (v < lo || v > hi) {
                throw new BadInputException("ShopConfig: field '" + field + "': expected " + lo + ".." + hi + ", was " + v);
            }
            return v;
        }

        private static double rate(String field, double v, double hi) {
            if (!(v >= 0 && v <= hi)) {
                throw new BadInputException("ShopConfig: field '" + field + "': expected a probability in [0, " + hi
                        + "], was " + v);
            }
            return v;
        }

        /**
         * @param v number of users, 1..100,000,000
         * @return this builder
         */
        public Builder users(int v) {
            this.users = range("users", v, 1, 100_000_000);
            return this;
        }

        /**
         * @param v number of items, 1..50,000,000
         * @return this builder
         */
        public Builder items(int v) {
            this.items = range("items", v, 1, 50_000_000);
            return this;
        }

        /**
         * @param v the seed
         * @return this builder
         */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        /**
         * @param v first instant of the period, not null, not before 1970
         * @return this builder
         */
        public Builder start(Instant v) {
            if (v == null || v.toEpochMilli() < 0) {
                throw new BadInputException("ShopConfig: field 'start': expected an instant at or after 1970-01-01T00:00:00Z, was " + v);
            }
            this.start = v;
            return this;
        }

        /**
         * @param v days to simulate, 1..3650
         * @return this builder
         */
        public Builder days(int v) {
            this.days = range("days", v, 1, 3650);
            return this;
        }

        /**
         * @param v number of personas, 1..256
         * @return this builder
         */
        public Builder personas(int v) {
            this.personas = range("personas", v, 1, 256);
            return this;
        }

        /**
         * @param v top-level categories, 2..{@link ShopConfig#MAX_TOP_CATEGORIES} (10)
         * @return this builder
         */
        public Builder topCategories(int v) {
            this.topCategories = range("topCategories", v, 2, MAX_TOP_CATEGORIES);
            return this;
        }

        /**
         * @param v subcategories per top-level category, 1..4
         * @return this builder
         */
        public Builder subcategories(int v) {
            this.subcategories = range("subcategories", v, 1, MAX_SUBCATEGORIES);
            return this;
        }

        /**
         * @param v leaves per subcategory, 1..4
         * @return this builder
         */
        public Builder leaves(int v) {
            this.leaves = range("leaves", v, 1, MAX_LEAVES);
            return this;
        }

        /**
         * @param v brands per top-level category, 1..1000
         * @return this builder
         */
        public Builder brandsPerCategory(int v) {
            this.brandsPerCategory = range("brandsPerCategory", v, 1, 1000);
            return this;
        }

        /**
         * @param v Zipf exponent of item popularity, 0 (uniform) .. 3
         * @return this builder
         */
        public Builder popularityExponent(double v) {
            if (!(v >= 0 && v <= 3)) {
                throw new BadInputException("ShopConfig: field 'popularityExponent': expected 0..3, was " + v);
            }
            this.popularityExponent = v;
            return this;
        }

        /**
         * @param v probability that an event is duplicated, 0..0.5
         * @return this builder
         */
        public Builder duplicateRate(double v) {
            this.duplicateRate = rate("duplicateRate", v, 0.5);
            return this;
        }

        /**
         * @param v share of bot users, 0..0.5
         * @return this builder
         */
        public Builder botShare(double v) {
            this.botShare = rate("botShare", v, 0.5);
            return this;
        }

        /**
         * @param v probability of a malformed row after each row of events.csv, 0..0.5
         * @return this builder
         */
        public Builder malformedRate(double v) {
            this.malformedRate = rate("malformedRate", v, 0.5);
            return this;
        }

        /**
         * Switches on the default noise: 1% duplicated events, 0.5% bot users, 0.1% malformed rows.
         *
         * @return this
         */
        public Builder defaultNoise() {
            this.duplicateRate = 0.01;
            this.botShare = 0.005;
            this.malformedRate = 0.001;
            return this;
        }

        /**
         * Plants churn: each persona gets a lapse probability stratified over
         * {@code 0.4 v .. 1.6 v} (at most 0.95), and a user who lapses starts no session from a
         * planted day between 30% and 75% of the period on, after a week of fading activity.
         * Only those users' events change.
         *
         * @param v mean share of shoppers who lapse, 0..0.6 (0, the default, plants none)
         * @return this builder
         */
        public Builder lapseShare(double v) {
            this.lapseShare = rate("lapseShare", v, 0.6);
            return this;
        }

        /**
         * Plants purchase rates: each persona gets a checkout rate (probability that a kept cart
         * is bought) stratified over {@code 0.62 (1 - v) .. 0.62 (1 + v)} instead of 0.62 for all.
         *
         * @param v the relative spread, 0..0.6 (0, the default, keeps 0.62 for every persona)
         * @return this builder
         */
        public Builder purchaseRateSpread(double v) {
            if (!(v >= 0 && v <= 0.6)) {
                throw new BadInputException("ShopConfig: field 'purchaseRateSpread': expected 0..0.6, was " + v);
            }
            this.purchaseRateSpread = v;
            return this;
        }

        /**
         * Switches on the planted outcomes the quickstart uses: {@code lapseShare(0.2)} and
         * {@code purchaseRateSpread(0.5)}.
         *
         * @return this
         */
        public Builder plantedOutcomes() {
            this.lapseShare = 0.2;
            this.purchaseRateSpread = 0.5;
            return this;
        }

        /**
         * @param v worker threads, 1..256; the output does not depend on it
         * @return this builder
         */
        public Builder threads(int v) {
            this.threads = range("threads", v, 1, 256);
            return this;
        }

        /**
         * @return the configuration
         * @throws BadInputException when the settings do not fit together
         */
        public ShopConfig build() {
            long period = (long) days * 86_400_000L;
            if (start.toEpochMilli() > Long.MAX_VALUE / 2 - period) {
                throw new BadInputException("ShopConfig: field 'start': " + start + " plus " + days + " days is out of range");
            }
            if (lapseShare > 0 && days < 2) {
                throw new BadInputException("ShopConfig: field 'lapseShare': " + lapseShare + " needs at least 2 days to lapse in,"
                        + " was days = " + days);
            }
            return new ShopConfig(this);
        }

    }
}
