package org.persona4j.models.train;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.persona4j.core.BadInputException;
import org.persona4j.features.sequence.SequenceEncoder;

/**
 * The named options of the deep profile model's hyper-parameters, one table for every place that
 * takes them as text: {@code persona4j train} makes a {@code --NAME VALUE} flag of each, and the
 * {@code lstm} recommender of the evaluation harness reads each as {@code --option NAME=VALUE}.
 * Every option has a name (plus aliases), a kind, a description, its value in a configuration
 * (so a default is read from {@code ProfileModelConfig.builder().build()} or a preset, never
 * written twice) and the builder setter it applies; the builder validates the value.
 */
public final class ProfileOptions {
    private ProfileOptions() {
    }

    /** How an option's value is written. */
    public enum Kind {
        /** A whole number. */
        INTEGER,
        /** A decimal number. */
        NUMBER,
        /** {@code true} or {@code false}; on the command line the bare flag means true. */
        BOOLEAN,
        /** One of a few words, any case. */
        CHOICE,
        /** Comma-separated numbers. */
        LIST
    }

    /** Parses an option's text and applies it to a builder. */
    @FunctionalInterface
    private interface Applier {
        void apply(ProfileModelConfig.Builder b, String option, String text);
    }

    /** One named option. */
    public static final class Option {
        private final String name;
        private final List<String> aliases;
        private final Kind kind;
        private final String label;
        private final String description;
        private final Function<ProfileModelConfig, String> value;
        private final Applier applier;

        private Option(String name, List<String> aliases, Kind kind, String label, String description,
                       Function<ProfileModelConfig, String> value, Applier applier) {
            this.name = name;
            this.aliases = List.copyOf(aliases);
            this.kind = kind;
            this.label = label;
            this.description = description;
            this.value = value;
            this.applier = applier;
        }

        /** @return the option's name, e.g. {@code emb} */
        public String name() {
            return name;
        }

        /** @return other names accepted for it (older spellings), possibly empty */
        public List<String> aliases() {
            return aliases;
        }

        /** @return the name followed by the aliases */
        public List<String> names() {
            List<String> n = new ArrayList<>();
            n.add(name);
            n.addAll(aliases);
            return n;
        }

        /** @return how the value is written */
        public Kind kind() {
            return kind;
        }

        /** @return a label of the value for help texts, e.g. {@code INT} or {@code loo|temporal|none} */
        public String valueLabel() {
            return label;
        }

        /** @return what the option sets, a phrase without the default or a final full stop */
        public String description() {
            return description;
        }

        /**
         * @param c a configuration
         * @return the option's value in it, written as the option takes it (the default, for the defaults)
         */
        public String value(ProfileModelConfig c) {
            return value.apply(c);
        }

        /**
         * @param b the builder to set
         * @param text the value as text
         * @throws BadInputException when the text is not of the option's kind or the builder rejects the value
         */
        public void apply(ProfileModelConfig.Builder b, String text) {
            if (text == null) {
                throw new BadInputException("option '" + name + "': a value is required");
            }
            applier.apply(b, name, text.trim());
        }
    }

    private static final List<Option> ALL = List.of(
            // architecture
            integer("emb", "Item embedding size", ProfileModelConfig::itemEmbedding, ProfileModelConfig.Builder::itemEmbedding),
            integer("type-emb", "Event-type embedding size", ProfileModelConfig::typeEmbedding, ProfileModelConfig.Builder::typeEmbedding),
            integer("category-emb", "Category embedding size", ProfileModelConfig::categoryEmbedding,
                    ProfileModelConfig.Builder::categoryEmbedding),
            integer("gap-emb", "Time-gap embedding size", ProfileModelConfig::gapEmbedding, ProfileModelConfig.Builder::gapEmbedding),
            integer("hidden", "LSTM units per layer", ProfileModelConfig::hidden, ProfileModelConfig.Builder::hidden),
            integer("layers", "LSTM layers", ProfileModelConfig::layers, ProfileModelConfig.Builder::layers),
            integer("proj", "Size of the user vector and of the item output embeddings", ProfileModelConfig::projection,
                    ProfileModelConfig.Builder::projection),
            number("dropout", "Dropout probability on the LSTM and projection inputs, in [0, 1)", ProfileModelConfig::dropout,
                    ProfileModelConfig.Builder::dropout),
            integer("negatives", "Sampled-softmax negatives per mini-batch for the next-item head (uniform, shared by the"
                    + " batch); 0 = full softmax over every item", ProfileModelConfig::sampledNegatives,
                    ProfileModelConfig.Builder::sampledNegatives),
            bool("tie", List.of("tie-embeddings"), "Tie the input item embedding to the next-item output weights (needs emb"
                    + " equal to proj and the full softmax)", ProfileModelConfig::tieItemEmbeddings,
                    ProfileModelConfig.Builder::tieItemEmbeddings),
            bool("residual", List.of(), "Add each step's input item embedding to the user vector (a skip connection past"
                    + " the LSTM; needs emb equal to proj)", ProfileModelConfig::itemResidual, ProfileModelConfig.Builder::itemResidual),
            // optimiser
            number("lr", "Adam learning rate", ProfileModelConfig::learningRate, ProfileModelConfig.Builder::learningRate),
            number("gradient-clip", "Per-layer L2 gradient clipping threshold", ProfileModelConfig::gradientClip,
                    ProfileModelConfig.Builder::gradientClip),
            number("weight-decay", "Decoupled weight decay of the weight matrices (each step subtracts lr x decay x w);"
                    + " 0 = none", ProfileModelConfig::weightDecay, ProfileModelConfig.Builder::weightDecay),
            integer("batch", "Mini-batch size", ProfileModelConfig::batchSize, ProfileModelConfig.Builder::batchSize),
            integer("bucket", "Length-bucketing window in batches; 0 = plain random batches", ProfileModelConfig::bucketWindow,
                    ProfileModelConfig.Builder::bucketWindow),
            // schedule
            integer("epochs", "Most epochs", ProfileModelConfig::epochs, ProfileModelConfig.Builder::epochs),
            integer("patience", "Epochs without a better validation metric before early stopping (or a plateau decay)",
                    ProfileModelConfig::patience, ProfileModelConfig.Builder::patience),
            number("lr-decay", "Learning-rate factor at a plateau, in (0, 1)", ProfileModelConfig::plateauDecay,
                    ProfileModelConfig.Builder::plateauDecay),
            integer("lr-decays", "Reduce on plateau: when patience epochs bring no better validation metric, multiply the"
                    + " learning rate by lr-decay and go on, up to this many times; 0 = stop at the first plateau",
                    ProfileModelConfig::plateauDecays, ProfileModelConfig.Builder::plateauDecays),
            integer("refit-epochs", "Epochs trained after early stopping, from the best weights, on the whole input"
                    + " including the validation events; 0 = none", ProfileModelConfig::refitEpochs,
                    ProfileModelConfig.Builder::refitEpochs),
            number("refit-lr", "Learning rate of the refit epochs", ProfileModelConfig::refitLearningRate,
                    ProfileModelConfig.Builder::refitLearningRate),
            // loss weights
            new Option("loss-weights", List.of(), Kind.LIST, "NEXT,PURCHASE,CATEGORY",
                    "Loss weights of the next-item, purchase and category heads",
                    c -> c.nextItemWeight() + "," + c.purchaseWeight() + "," + c.categoryWeight(),
                    (b, o, t) -> {
                        String[] w = t.split(",");
                        if (w.length != 3) {
                            throw new BadInputException("option '" + o + "': expected three numbers next-item,purchase,category,"
                                    + " was \"" + t + "\"");
                        }
                        b.lossWeights(parseNumber(o, w[0]), parseNumber(o, w[1]), parseNumber(o, w[2]));
                    }),
            number("purchase-class-weight", "Weight of a purchase example relative to a non-purchase in the purchase head;"
                    + " 0 = derived from the training data's positive rate", ProfileModelConfig::purchaseClassWeight,
                    ProfileModelConfig.Builder::purchaseClassWeight),
            number("churn-weight", "Loss weight of the churn head", ProfileModelConfig::churnWeight,
                    ProfileModelConfig.Builder::churnWeight),
            number("churn-class-weight", "Weight of a churned example relative to an active one in the churn head;"
                    + " 0 = derived from the training data's positive rate", ProfileModelConfig::churnClassWeight,
                    ProfileModelConfig.Builder::churnClassWeight),
            integer("next-items", "Following items each step's next-item loss learns: 1 = the next item; n > 1 = a"
                    + " cross-entropy against the next n items, weighted by next-items-decay^(j-1) (full softmax, fused engine)",
                    ProfileModelConfig::nextItems, ProfileModelConfig.Builder::nextItems),
            number("next-items-decay", "Decay of the later items' weights in the next-items loss, in (0, 1]",
                    ProfileModelConfig::nextItemsDecay, ProfileModelConfig.Builder::nextItemsDecay),
            bool("mask-seen", List.of(), "Leave the items a training sequence has already had out of each step's next-item"
                    + " softmax, as the ranking leaves out the history (full softmax, fused engine)",
                    ProfileModelConfig::maskSeen, ProfileModelConfig.Builder::maskSeen),
            // targets of the purchase and churn heads
            number("purchase-horizon", "Purchase head: P(a purchase within this many days after the last event)",
                    ProfileModelConfig::purchaseHorizonDays, ProfileModelConfig.Builder::purchaseHorizonDays),
            number("churn-horizon", "Churn head: P(no activity in this many days after the last event)",
                    ProfileModelConfig::churnHorizonDays, ProfileModelConfig.Builder::churnHorizonDays),
            integer("horizon-events", "Purchase horizon in events when timestamps are missing or constant",
                    ProfileModelConfig::horizonEvents, ProfileModelConfig.Builder::horizonEvents),
            number("propensity-validation-share", "Share of users whose purchase and churn labels are held out of"
                    + " training to validate and calibrate those heads, in (0, 1)", ProfileModelConfig::propensityValidationShare,
                    ProfileModelConfig.Builder::propensityValidationShare),
            bool("propensity-gradient", List.of(), "Let the purchase and churn losses also train the shared LSTM and embeddings"
                    + " (off by default: a stop-gradient keeps next-item accuracy; on trains those heads better)",
                    ProfileModelConfig::propensityGradient, ProfileModelConfig.Builder::propensityGradient),
            integer("propensity-cuts", "Input steps per training sequence (from the last) that train the purchase and"
                    + " churn heads; 0 = every step", ProfileModelConfig::propensityCuts,
                    ProfileModelConfig.Builder::propensityCuts),
            // validation
            new Option("validation", List.of(), Kind.CHOICE, "loo|temporal|none", "Validation for early stopping: each"
                    + " user's last event (loo), the events after a time cut (temporal), or none",
                    c -> splitName(c.validation()), (b, o, t) -> b.validation(parseSplit(o, t))),
            number("validation-fraction", "Share of the time span held out by the temporal validation, in (0, 1)",
                    ProfileModelConfig::validationFraction, ProfileModelConfig.Builder::validationFraction),
            integer("validation-users", "Validation users ranked per epoch; 0 = all", ProfileModelConfig::validationUsers,
                    ProfileModelConfig.Builder::validationUsers),
            new Option("early-stopping", List.of(), Kind.CHOICE, String.join("|", ProfileModelConfig.ValidationPlan.METRICS),
                    "Validation metric that chooses the epoch", ProfileModelConfig::earlyStoppingMetric,
                    (b, o, t) -> b.earlyStoppingMetric(t.toLowerCase(Locale.ROOT))),
            // encoding
            integer("max-len", "Longest training sequence", ProfileModelConfig::maxLen, ProfileModelConfig.Builder::maxLen),
            integer("min-item-count", "Items seen fewer times become out-of-vocabulary", ProfileModelConfig::minItemCount,
                    ProfileModelConfig.Builder::minItemCount),
            new Option("category-level", List.of(), Kind.CHOICE, "leaf|top|path", "Category level of the category input"
                    + " and head", c -> c.categoryLevel().name().toLowerCase(Locale.ROOT),
                    (b, o, t) -> b.categoryLevel(parseLevel(o, t))),
            integer("windows", "Training windows per user: a history longer than max-len + 1 events is cut, newest"
                    + " first, into up to this many sequences", ProfileModelConfig::windows, ProfileModelConfig.Builder::windows),
            new Option("seed", List.of(), Kind.INTEGER, "INT", "Seed of initialisation, batch order and validation sample",
                    c -> Long.toString(c.seed()), (b, o, t) -> b.seed(parseLong(o, t))));

    /** @return every option, grouped as the configuration is (architecture first, seed last) */
    public static List<Option> all() {
        return ALL;
    }

    /**
     * @param name an option name or alias
     * @return the option, if known
     */
    public static Optional<Option> find(String name) {
        for (Option o : ALL) {
            if (o.names().contains(name)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /**
     * Applies the known options among {@code values} to a builder, in the map's order; other keys
     * are left alone (they may belong to the caller, such as a time budget).
     *
     * @param b the builder
     * @param values option values by name or alias
     * @return the names (not aliases) of the options applied
     * @throws BadInputException naming the option on a bad value
     */
    public static Set<String> apply(ProfileModelConfig.Builder b, Map<String, String> values) {
        Set<String> applied = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            Optional<Option> o = find(e.getKey());
            if (o.isPresent()) {
                o.get().apply(b, e.getValue());
                applied.add(o.get().name());
            }
        }
        return applied;
    }

    /**
     * @param c the configuration whose values are shown (the defaults, or a preset)
     * @return {@code name (value), ...} for every option
     */
    public static String describe(ProfileModelConfig c) {
        StringBuilder s = new StringBuilder();
        for (Option o : ALL) {
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(o.name()).append(" (").append(o.value(c)).append(')');
        }
        return s.toString();
    }

    private static Option integer(String name, String description, Function<ProfileModelConfig, Integer> get,
                                  BiConsumer<ProfileModelConfig.Builder, Integer> set) {
        return new Option(name, List.of(), Kind.INTEGER, "INT", description, c -> Integer.toString(get.apply(c)),
                (b, o, t) -> set.accept(b, parseInt(o, t)));
    }

    private static Option number(String name, String description, Function<ProfileModelConfig, Double> get,
                                 BiConsumer<ProfileModelConfig.Builder, Double> set) {
        return new Option(name, List.of(), Kind.NUMBER, "NUM", description, c -> Double.toString(get.apply(c)),
                (b, o, t) -> set.accept(b, parseNumber(o, t)));
    }

    private static Option bool(String name, List<String> aliases, String description, Function<ProfileModelConfig, Boolean> get,
                               BiConsumer<ProfileModelConfig.Builder, Boolean> set) {
        return new Option(name, aliases, Kind.BOOLEAN, "true|false", description, c -> Boolean.toString(get.apply(c)),
                (b, o, t) -> set.accept(b, parseBoolean(o, t)));
    }

    private static int parseInt(String option, String t) {
        try {
            return Integer.parseInt(t.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException("option '" + option + "': expected an integer, was \"" + t + "\"");
        }
    }

    private static long parseLong(String option, String t) {
        try {
            return Long.parseLong(t.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException("option '" + option + "': expected an integer, was \"" + t + "\"");
        }
    }

    private static double parseNumber(String option, String t) {
        try {
            return Double.parseDouble(t.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException("option '" + option + "': expected a number, was \"" + t + "\"");
        }
    }

    private static boolean parseBoolean(String option, String t) {
        if (t.equalsIgnoreCase("true")) {
            return true;
        }
        if (t.equalsIgnoreCase("false")) {
            return false;
        }
        throw new BadInputException("option '" + option + "': expected true or false, was \"" + t + "\"");
    }

    private static String splitName(ValidationSplit s) {
        return s == ValidationSplit.LEAVE_ONE_OUT ? "loo" : s.name().toLowerCase(Locale.ROOT);
    }

    private static ValidationSplit parseSplit(String option, String t) {
        for (ValidationSplit s : ValidationSplit.values()) {
            if (t.equalsIgnoreCase(splitName(s)) || t.equalsIgnoreCase(s.name())) {
                return s;
            }
        }
        throw new BadInputException("option '" + option + "': expected loo, temporal or none, was \"" + t + "\"");
    }

    private static SequenceEncoder.CategoryLevel parseLevel(String option, String t) {
        for (SequenceEncoder.CategoryLevel l : SequenceEncoder.CategoryLevel.values()) {
            if (t.equalsIgnoreCase(l.name())) {
                return l;
            }
        }
        throw new BadInputException("option '" + option + "': expected leaf, top or path, was \"" + t + "\"");
    }
}
