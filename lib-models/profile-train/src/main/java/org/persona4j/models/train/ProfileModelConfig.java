package org.persona4j.models.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.features.sequence.SequenceEncoder;

/**
 * Hyper-parameters of the deep profile model and its training: immutable groups, each a record
 * that validates its fields in its constructor, plus the seed. Build with {@link #builder()},
 * whose setters fail fast naming the bad value; the shape rules between groups (tied embeddings,
 * residual user vector) are checked when the whole configuration is built. The named options of
 * the CLI and the evaluation harness are {@link ProfileOptions}. Runtime settings that do not change
 * the trained weights (threads, checkpoints, time budget) belong to {@link ProfileTrainer}.
 *
 * @param architecture the network's sizes and heads
 * @param optimiser the optimisation step and its mini-batches
 * @param schedule epochs, early stopping, plateau decays and the refit
 * @param lossWeights the weights of the heads' losses
 * @param validationPlan the held-out validation and its early-stopping metric
 * @param encoding how events become training sequences
 * @param targets what the purchase and churn heads predict (horizons, cut points)
 * @param seed the seed of initialisation, batch order and validation sample
 */
public record ProfileModelConfig(Architecture architecture, Optimiser optimiser, Schedule schedule, LossWeights lossWeights,
                                 ValidationPlan validationPlan, Encoding encoding, Targets targets, long seed) {
    private static final String PREFIX = "profile model config: ";
    /** The manifest key of the thread count that older artifacts recorded among the hyper-parameters. */
    private static final String LEGACY_THREADS = "threads";

    /** Checks that every group is present and that the architecture's shape rules hold. */
    public ProfileModelConfig {
        required("architecture", architecture);
        required("optimiser", optimiser);
        required("schedule", schedule);
        required("lossWeights", lossWeights);
        required("validationPlan", validationPlan);
        required("encoding", encoding);
        required("targets", targets);
        architecture.checkShapes();
        if (lossWeights.maskSeen() && architecture.sampledNegatives() > 0) {
            throw new BadInputException(PREFIX + "maskSeen needs the full softmax (sampledNegatives 0), not "
                    + architecture.sampledNegatives() + " sampled negatives");
        }
        if (lossWeights.nextItems() > 1 && architecture.sampledNegatives() > 0) {
            throw new BadInputException(PREFIX + "nextItems " + lossWeights.nextItems() + " needs the full softmax"
                    + " (sampledNegatives 0), not " + architecture.sampledNegatives() + " sampled negatives");
        }
    }

    /**
     * Sizes and heads of the network.
     *
     * @param itemEmbedding item embedding size, {@code >= 1}
     * @param typeEmbedding event-type embedding size, {@code >= 1}
     * @param categoryEmbedding category embedding size, {@code >= 1}
     * @param gapEmbedding time-gap embedding size, {@code >= 1}
     * @param hidden LSTM units per layer, {@code >= 1}
     * @param layers number of LSTM layers, {@code >= 1}
     * @param projection size of the projected user vector (the item output space; embeddings have
     *     one more dimension for the item bias), {@code >= 1}
     * @param dropout dropout probability on LSTM and projection inputs, in [0, 1)
     * @param sampledNegatives negatives per mini-batch of a sampled-softmax next-item head, drawn
     *     uniformly from the item vocabulary; 0 = a full softmax over every item (exact, but time and
     *     memory grow with the catalogue)
     * @param tieItemEmbeddings whether the input item embedding is tied to the next-item output
     *     weights (one item table used on both sides, as in SASRec; needs
     *     {@code itemEmbedding == projection} and the full softmax)
     * @param itemResidual whether the user vector at each step adds that step's input item embedding
     *     to the projected hidden state (a skip connection, as a transformer block's residual carries
     *     its input; needs {@code itemEmbedding == projection})
     */
    public record Architecture(int itemEmbedding, int typeEmbedding, int categoryEmbedding, int gapEmbedding, int hidden,
                               int layers, int projection, double dropout, int sampledNegatives, boolean tieItemEmbeddings,
                               boolean itemResidual) {
        static final Architecture DEFAULTS = new Architecture(64, 8, 16, 8, 128, 1, 64, 0.2, 0, false, false);

        /** Checks each field; the rules between fields are {@link #checkShapes()}'s. */
        public Architecture {
            atLeast1("itemEmbedding", itemEmbedding);
            atLeast1("typeEmbedding", typeEmbedding);
            atLeast1("categoryEmbedding", categoryEmbedding);
            atLeast1("gapEmbedding", gapEmbedding);
            atLeast1("hidden", hidden);
            atLeast1("layers", layers);
            atLeast1("projection", projection);
            if (!(dropout >= 0 && dropout < 1)) {
                throw new BadInputException(PREFIX + "dropout must be in [0, 1), was " + dropout);
            }
            atLeast0("sampledNegatives", sampledNegatives);
        }

        /** @return whether these shapes allow tied item embeddings (equal sizes, full softmax) */
        boolean tieAllowed() {
            return itemEmbedding == projection && sampledNegatives == 0;
        }

        /** @return whether these shapes allow the residual user vector (equal sizes) */
        boolean residualAllowed() {
            return itemEmbedding == projection;
        }

        /**
         * The rules between fields, checked for a whole configuration (the builder sets one field at
         * a time, so these cannot be checked per field).
         */
        void checkShapes() {
            if (tieItemEmbeddings && !tieAllowed()) {
                throw new BadInputException(itemEmbedding != projection
                        ? PREFIX + "tieItemEmbeddings needs itemEmbedding == projection, was " + itemEmbedding + " and " + projection
                        : PREFIX + "tieItemEmbeddings needs the full softmax (sampledNegatives 0), was " + sampledNegatives);
            }
            if (itemResidual && !residualAllowed()) {
                throw new BadInputException(PREFIX + "itemResidual needs itemEmbedding == projection, was "
                        + itemEmbedding + " and " + projection);
            }
        }
    }

    /**
     * The optimisation step and its mini-batches.
     *
     * @param learningRate Adam learning rate, finite and {@code > 0}
     * @param gradientClip per-layer L2 gradient clipping threshold, {@code > 0}
     * @param weightDecay decoupled weight decay of every weight matrix (embeddings, LSTM, projection,
     *     heads; not biases): each step subtracts {@code learningRate × weightDecay × w}; finite,
     *     {@code >= 0}, 0 = none
     * @param batchSize mini-batch size, {@code >= 1}
     * @param bucketWindow length-bucketing window in batches, {@code >= 0} (0 = plain random batches)
     */
    public record Optimiser(double learningRate, double gradientClip, double weightDecay, int batchSize, int bucketWindow) {
        static final Optimiser DEFAULTS = new Optimiser(0.002, 5.0, 0, 128, 32);

        /** Checks each field. */
        public Optimiser {
            positiveFinite("learningRate", learningRate);
            if (!(gradientClip > 0)) {
                throw new BadInputException(PREFIX + "gradientClip must be > 0, was " + gradientClip);
            }
            if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
                throw new BadInputException(PREFIX + "weightDecay must be finite and >= 0, was " + weightDecay);
            }
            atLeast1("batchSize", batchSize);
            atLeast0("bucketWindow", bucketWindow);
        }
    }

    /**
     * Epochs, early stopping, learning-rate decays at plateaus and the refit.
     *
     * @param epochs maximum number of epochs, {@code >= 1}
     * @param patience epochs without improvement before early stopping, {@code >= 1}
     * @param plateauDecay the factor the learning rate is multiplied by when the validation metric
     *     has not improved for {@code patience} epochs and {@code plateauDecays} allows another
     *     decay, in (0, 1)
     * @param plateauDecays how many times a plateau lowers the learning rate (by
     *     {@code plateauDecay}) and training goes on with a fresh patience, before a plateau stops
     *     training; {@code >= 0}, 0 = stop at the first plateau
     * @param refitEpochs epochs trained after early stopping, from the best epoch's weights, on the
     *     whole input including the held-out validation events (which can no longer be validated
     *     on); {@code >= 0}, 0 = none
     * @param refitLearningRate the Adam learning rate of the refit epochs, finite and {@code > 0}
     */
    public record Schedule(int epochs, int patience, double plateauDecay, int plateauDecays, int refitEpochs,
                           double refitLearningRate) {
        static final Schedule DEFAULTS = new Schedule(10, 2, 0.2, 0, 0, 0.001);

        /** Checks each field. */
        public Schedule {
            atLeast1("epochs", epochs);
            atLeast1("patience", patience);
            if (!(plateauDecay > 0 && plateauDecay < 1)) {
                throw new BadInputException(PREFIX + "plateauDecay must be in (0, 1), was " + plateauDecay);
            }
            atLeast0("plateauDecays", plateauDecays);
            atLeast0("refitEpochs", refitEpochs);
            positiveFinite("refitLearningRate", refitLearningRate);
        }
    }

    /**
     * Weights of the heads' losses, applied through the label masks.
     *
     * @param nextItemWeight loss weight of the next-item head, finite and {@code >= 0}
     * @param purchaseWeight loss weight of the purchase head per labelled step, finite and {@code >= 0}
     *     (default 5: per step its loss is far smaller than the next-item head's)
     * @param categoryWeight loss weight of the category head, finite and {@code >= 0}
     * @param purchaseClassWeight weight of positive (purchase) examples relative to negatives in the
     *     purchase head, finite and {@code >= 0}; 0 (the default) = derived from the training data:
     *     {@code sqrt((1 - p) / p)} for the positive rate {@code p} of the labelled training examples,
     *     at least 1 (see docs/models.md)
     * @param churnWeight loss weight of the churn head per labelled step, finite and {@code >= 0} (default 2)
     * @param churnClassWeight weight of positive (churned) examples relative to negatives in the churn
     *     head, finite and {@code >= 0}; 0 (the default) = derived as for the purchase head
     * @param nextItems how many following items each step's next-item loss learns, {@code >= 1}:
     *     1 (the default) = the next item; {@code n > 1} = a cross-entropy against the next {@code n}
     *     items of the training sequence, the {@code j}-th weighted {@code nextItemsDecay^(j-1)},
     *     a step's weights normalised to 1 (where the shop's order within a visit is noise, the
     *     items right after the next one say as much about the user); needs the full softmax and
     *     the fused engine
     * @param nextItemsDecay the decay of the later items' weights, in (0, 1] (default 0.5)
     * @param maskSeen whether each step's next-item softmax leaves out the items the training
     *     sequence has already had (its own targets excepted), as the ranking leaves out the user's
     *     history; for shops where an item is seldom taken twice; needs the full softmax and the
     *     fused engine (default false)
     */
    public record LossWeights(double nextItemWeight, double purchaseWeight, double categoryWeight, double purchaseClassWeight,
                              double churnWeight, double churnClassWeight, int nextItems, double nextItemsDecay,
                              boolean maskSeen) {
        // the purchase and churn heads learn at every labelled step, with a loss of a fraction of a nat against the
        // next-item head's several nats per step: at 0.2-1 they barely shape the LSTM; 5 and 2 gave the best held-out
        // purchase AUC on the quickstart-sized generated shop (20 was no better and cost next-item accuracy)
        static final LossWeights DEFAULTS = new LossWeights(1.0, 5.0, 0.2, 0.0, 2.0, 0.0, 1, 0.5, false);

        /** Checks each field and that the next-item, purchase or category head has weight. */
        public LossWeights {
            nonNegative("nextItemWeight", nextItemWeight);
            nonNegative("purchaseWeight", purchaseWeight);
            nonNegative("categoryWeight", categoryWeight);
            nonNegative("churnWeight", churnWeight);
            if (nextItemWeight + purchaseWeight + categoryWeight == 0) {
                // the churn head alone would leave the user embedding untrained
                throw new BadInputException(PREFIX + "at least one of nextItemWeight, purchaseWeight, categoryWeight must be > 0");
            }
            nonNegative("purchaseClassWeight", purchaseClassWeight);
            nonNegative("churnClassWeight", churnClassWeight);
            atLeast1("nextItems", nextItems);
            if (!(nextItemsDecay > 0 && nextItemsDecay <= 1)) {
                throw new BadInputException(PREFIX + "nextItemsDecay must be in (0, 1], was " + nextItemsDecay);
            }
        }

        /**
         * The six weights of earlier versions; the next-item loss learns the next item only.
         *
         * @param nextItemWeight loss weight of the next-item head
         * @param purchaseWeight loss weight of the purchase head
         * @param categoryWeight loss weight of the category head
         * @param purchaseClassWeight weight of a positive purchase example, 0 = derived from the data
         * @param churnWeight loss weight of the churn head
         * @param churnClassWeight weight of a positive churn example, 0 = derived from the data
         */
        public LossWeights(double nextItemWeight, double purchaseWeight, double categoryWeight, double purchaseClassWeight,
                           double churnWeight, double churnClassWeight) {
            this(nextItemWeight, purchaseWeight, categoryWeight, purchaseClassWeight, churnWeight, churnClassWeight,
                    DEFAULTS.nextItems, DEFAULTS.nextItemsDecay, DEFAULTS.maskSeen);
        }

        /**
         * The four weights of earlier versions; the churn head takes its defaults.
         *
         * @param nextItemWeight loss weight of the next-item head
         * @param purchaseWeight loss weight of the purchase head
         * @param categoryWeight loss weight of the category head
         * @param purchaseClassWeight weight of a positive purchase example, 0 = derived from the data
         */
        public LossWeights(double nextItemWeight, double purchaseWeight, double categoryWeight, double purchaseClassWeight) {
            this(nextItemWeight, purchaseWeight, categoryWeight, purchaseClassWeight, DEFAULTS.churnWeight, DEFAULTS.churnClassWeight);
        }
    }

    /**
     * What the purchase and churn heads predict. The purchase head: the probability that the user
     * purchases within {@code purchaseHorizonDays} after the last input event; the churn head: the
     * probability of no activity in the {@code churnHorizonDays} after it. An example whose horizon
     * runs past the end of the observed data is censored (masked out, never labelled negative).
     * When the training events carry no usable time (every timestamp equal), the purchase head
     * falls back to "a purchase among the next {@code horizonEvents} events" and the churn head,
     * which has no such meaning without time, is not trained and not served.
     *
     * @param purchaseHorizonDays the purchase horizon in days, finite and {@code > 0} (default 7)
     * @param churnHorizonDays the inactivity period that counts as churn, in days, finite and
     *     {@code > 0} (default 30)
     * @param horizonEvents the purchase horizon in events when timestamps are missing or constant,
     *     {@code >= 1} (default 5)
     * @param propensityCuts how many input steps of each training sequence, counted back from the
     *     last, train the purchase and churn heads; 0 (the default) = every step, 1 = the last only
     * @param propensityValidationShare the share of users (a seeded sample) whose labels the purchase
     *     and churn heads never train on (their events still train the next-item head): the heads are
     *     validated and calibrated on them; in (0, 1), default 0.2; none without validation
     * @param propensityGradient whether the purchase and churn losses also train the shared encoder
     *     (LSTM and embeddings); false (the default) puts a stop-gradient in front of those heads, so
     *     that they cannot cost next-item accuracy (docs/models.md has the measured trade-off)
     */
    public record Targets(double purchaseHorizonDays, double churnHorizonDays, int horizonEvents, int propensityCuts,
                          double propensityValidationShare, boolean propensityGradient) {
        static final Targets DEFAULTS = new Targets(7.0, 30.0, 5, 0, 0.2, false);

        /** Checks each field. */
        public Targets {
            positiveFinite("purchaseHorizonDays", purchaseHorizonDays);
            positiveFinite("churnHorizonDays", churnHorizonDays);
            atLeast1("horizonEvents", horizonEvents);
            atLeast0("propensityCuts", propensityCuts);
            if (!(propensityValidationShare > 0 && propensityValidationShare < 1)) {
                throw new BadInputException(PREFIX + "propensityValidationShare must be in (0, 1), was " + propensityValidationShare);
            }
        }

        /** @return the purchase horizon in milliseconds */
        long purchaseHorizonMillis() {
            return Math.round(purchaseHorizonDays * 86_400_000d);
        }

        /** @return the churn period in milliseconds */
        long churnHorizonMillis() {
            return Math.round(churnHorizonDays * 86_400_000d);
        }
    }

    /**
     * The held-out validation that chooses the epoch.
     *
     * @param validation the validation split, not null
     * @param validationFraction the fraction of time held out by {@link ValidationSplit#TEMPORAL}, in (0, 1)
     * @param validationUsers the most validation users evaluated per epoch, {@code >= 0} (0 = all)
     * @param earlyStoppingMetric {@code ndcg@10} or {@code hr@10} (= recall@10 with one target)
     */
    public record ValidationPlan(ValidationSplit validation, double validationFraction, int validationUsers,
                                 String earlyStoppingMetric) {
        /** The early-stopping metrics. */
        static final List<String> METRICS = List.of("ndcg@10", "hr@10");
        static final ValidationPlan DEFAULTS = new ValidationPlan(ValidationSplit.LEAVE_ONE_OUT, 0.1, 5000, "ndcg@10");

        /** Checks each field. */
        public ValidationPlan {
            required("validation", validation);
            if (!(validationFraction > 0 && validationFraction < 1)) {
                throw new BadInputException(PREFIX + "validationFraction must be in (0, 1), was " + validationFraction);
            }
            atLeast0("validationUsers", validationUsers);
            if (!METRICS.contains(earlyStoppingMetric)) {
                throw new BadInputException(PREFIX + "earlyStoppingMetric must be ndcg@10 or hr@10, was " + earlyStoppingMetric);
            }
        }
    }

    /**
     * How events become training sequences.
     *
     * @param maxLen the maximum training sequence length, {@code >= 2}
     * @param minItemCount items seen fewer times become out-of-vocabulary, {@code >= 1}
     * @param categoryLevel the category level of the category input and head, not null
     * @param windows training windows per user, {@code >= 1}: a training history longer than
     *     {@code maxLen + 1} events is cut, newest first, into at most this many sequences of
     *     {@code maxLen + 1} events (consecutive windows share one event, so each transition is
     *     trained once); 1 trains only the newest window
     */
    public record Encoding(int maxLen, int minItemCount, SequenceEncoder.CategoryLevel categoryLevel, int windows) {
        static final Encoding DEFAULTS = new Encoding(50, 1, SequenceEncoder.CategoryLevel.LEAF, 1);

        /** Checks each field. */
        public Encoding {
            if (maxLen < 2) {
                throw new BadInputException(PREFIX + "maxLen must be >= 2, was " + maxLen);
            }
            atLeast1("minItemCount", minItemCount);
            required("categoryLevel", categoryLevel);
            atLeast1("windows", windows);
        }
    }

    /** The default seed. */
    static final long DEFAULT_SEED = 42;

    private static void required(String name, Object v) {
        if (v == null) {
            throw new BadInputException(PREFIX + name + " must not be null");
        }
    }

    private static void atLeast1(String name, int v) {
        if (v < 1) {
            throw new BadInputException(PREFIX + name + " must be >= 1, was " + v);
        }
    }

    private static void atLeast0(String name, int v) {
        if (v < 0) {
            throw new BadInputException(PREFIX + name + " must be >= 0, was " + v);
        }
    }

    private static void positiveFinite(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new BadInputException(PREFIX + name + " must be > 0, was " + v);
        }
    }

    private static void nonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new BadInputException(PREFIX + name + " must be a finite number >= 0, was " + v);
        }
    }

    /** @return a builder with the SDK defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with this configuration */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.architecture = architecture;
        b.optimiser = optimiser;
        b.schedule = schedule;
        b.lossWeights = lossWeights;
        b.validationPlan = validationPlan;
        b.encoding = encoding;
        b.targets = targets;
        b.seed = seed;
        return b;
    }

    private List<Record> groups() {
        return List.of(architecture, optimiser, schedule, lossWeights, validationPlan, encoding, targets);
    }

    /**
     * @return the hyper-parameters as an ordered map of plain values, one key per field (the group
     *     records' component names, enums by name, then {@code seed}); the artifact manifest
     *     records it and {@link #fromMap} reads it back
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Record g : groups()) {
            Records.putComponents(g, m);
        }
        m.put("seed", seed);
        return m;
    }

    /**
     * Reads a configuration written by {@link #toMap()}, for example the {@code hyperParameters} of
     * an artifact manifest after a JSON round trip. Missing keys take the SDK defaults (manifests
     * written before a hyper-parameter existed); the {@code threads} key of older manifests, a
     * runtime setting, is ignored.
     *
     * @param map hyper-parameters by name: numbers, booleans and strings (numbers may be strings)
     * @return the configuration
     * @throws BadInputException on an unknown key, a value of the wrong type or a value the
     *     configuration rejects
     */
    public static ProfileModelConfig fromMap(Map<String, ?> map) {
        if (map == null) {
            throw new BadInputException(PREFIX + "map must not be null");
        }
        ProfileModelConfig d = builder().build();
        List<Record> defaults = d.groups();
        List<Map<String, Object>> changes = new java.util.ArrayList<>();
        for (int g = 0; g < defaults.size(); g++) {
            changes.add(new LinkedHashMap<>());
        }
        long seed = d.seed();
        for (Map.Entry<String, ?> e : map.entrySet()) {
            String k = e.getKey();
            if (LEGACY_THREADS.equals(k)) {
                continue;
            }
            if ("seed".equals(k)) {
                seed = (Long) Records.convert(long.class, "seed", e.getValue());
                continue;
            }
            int g = 0;
            while (g < defaults.size() && !Records.hasComponent(defaults.get(g), k)) {
                g++;
            }
            if (g == defaults.size()) {
                throw new BadInputException(PREFIX + "unknown hyper-parameter '" + k + "'; known: " + d.toMap().keySet());
            }
            changes.get(g).put(k, Records.convert(defaults.get(g), k, e.getValue()));
        }
        return new ProfileModelConfig(Records.with((Architecture) defaults.get(0), changes.get(0)),
                Records.with((Optimiser) defaults.get(1), changes.get(1)),
                Records.with((Schedule) defaults.get(2), changes.get(2)),
                Records.with((LossWeights) defaults.get(3), changes.get(3)),
                Records.with((ValidationPlan) defaults.get(4), changes.get(4)),
                Records.with((Encoding) defaults.get(5), changes.get(5)),
                Records.with((Targets) defaults.get(6), changes.get(6)), seed);
    }

    // ---- every field by its own name, read from its group

    /** @return item embedding size */
    public int itemEmbedding() {
        return architecture.itemEmbedding();
    }

    /** @return event-type embedding size */
    public int typeEmbedding() {
        return architecture.typeEmbedding();
    }

    /** @return category embedding size */
    public int categoryEmbedding() {
        return architecture.categoryEmbedding();
    }

    /** @return time-gap embedding size */
    public int gapEmbedding() {
        return architecture.gapEmbedding();
    }

    /** @return LSTM units per layer */
    public int hidden() {
        return architecture.hidden();
    }

    /** @return number of LSTM layers */
    public int layers() {
        return architecture.layers();
    }

    /** @return size of the projected user vector ({@link Architecture#projection()}) */
    public int projection() {
        return architecture.projection();
    }

    /** @return dropout probability on LSTM and projection inputs (0 = none) */
    public double dropout() {
        return architecture.dropout();
    }

    /** @return negatives of the sampled-softmax head, 0 = full softmax ({@link Architecture#sampledNegatives()}) */
    public int sampledNegatives() {
        return architecture.sampledNegatives();
    }

    /** @return whether item embeddings are tied ({@link Architecture#tieItemEmbeddings()}) */
    public boolean tieItemEmbeddings() {
        return architecture.tieItemEmbeddings();
    }

    /** @return whether the user vector adds the input item embedding ({@link Architecture#itemResidual()}) */
    public boolean itemResidual() {
        return architecture.itemResidual();
    }

    /** @return Adam learning rate */
    public double learningRate() {
        return optimiser.learningRate();
    }

    /** @return per-layer L2 gradient clipping threshold */
    public double gradientClip() {
        return optimiser.gradientClip();
    }

    /** @return decoupled weight decay ({@link Optimiser#weightDecay()}) */
    public double weightDecay() {
        return optimiser.weightDecay();
    }

    /** @return mini-batch size */
    public int batchSize() {
        return optimiser.batchSize();
    }

    /** @return length-bucketing window in batches (0 = plain random batches) */
    public int bucketWindow() {
        return optimiser.bucketWindow();
    }

    /** @return maximum number of epochs */
    public int epochs() {
        return schedule.epochs();
    }

    /** @return epochs without improvement before early stopping */
    public int patience() {
        return schedule.patience();
    }

    /** @return the learning-rate factor at a plateau ({@link Schedule#plateauDecay()}) */
    public double plateauDecay() {
        return schedule.plateauDecay();
    }

    /** @return how many plateaus lower the learning rate before one stops training ({@link Schedule#plateauDecays()}) */
    public int plateauDecays() {
        return schedule.plateauDecays();
    }

    /** @return epochs trained after early stopping on the whole input ({@link Schedule#refitEpochs()}) */
    public int refitEpochs() {
        return schedule.refitEpochs();
    }

    /** @return the Adam learning rate of the refit epochs */
    public double refitLearningRate() {
        return schedule.refitLearningRate();
    }

    /** @return loss weight of the next-item head */
    public double nextItemWeight() {
        return lossWeights.nextItemWeight();
    }

    /** @return loss weight of the purchase head */
    public double purchaseWeight() {
        return lossWeights.purchaseWeight();
    }

    /** @return loss weight of the category head */
    public double categoryWeight() {
        return lossWeights.categoryWeight();
    }

    /** @return weight of positive (purchase) examples relative to negatives in the purchase head, 0 = derived from the data */
    public double purchaseClassWeight() {
        return lossWeights.purchaseClassWeight();
    }

    /** @return loss weight of the churn head */
    public double churnWeight() {
        return lossWeights.churnWeight();
    }

    /** @return weight of positive (churned) examples in the churn head, 0 = derived from the data */
    public double churnClassWeight() {
        return lossWeights.churnClassWeight();
    }

    /** @return how many following items each step's next-item loss learns ({@link LossWeights#nextItems()}) */
    public int nextItems() {
        return lossWeights.nextItems();
    }

    /** @return the decay of the later items' weights ({@link LossWeights#nextItemsDecay()}) */
    public double nextItemsDecay() {
        return lossWeights.nextItemsDecay();
    }

    /** @return whether the next-item softmax leaves out the seen items ({@link LossWeights#maskSeen()}) */
    public boolean maskSeen() {
        return lossWeights.maskSeen();
    }

    /** @return the purchase horizon in days ({@link Targets#purchaseHorizonDays()}) */
    public double purchaseHorizonDays() {
        return targets.purchaseHorizonDays();
    }

    /** @return the churn period in days ({@link Targets#churnHorizonDays()}) */
    public double churnHorizonDays() {
        return targets.churnHorizonDays();
    }

    /** @return the purchase horizon in events without usable timestamps ({@link Targets#horizonEvents()}) */
    public int horizonEvents() {
        return targets.horizonEvents();
    }

    /** @return whether the purchase and churn losses also train the encoder ({@link Targets#propensityGradient()}) */
    public boolean propensityGradient() {
        return targets.propensityGradient();
    }

    /** @return the share of users the purchase and churn heads are validated on ({@link Targets#propensityValidationShare()}) */
    public double propensityValidationShare() {
        return targets.propensityValidationShare();
    }

    /** @return input steps per sequence that train the purchase and churn heads, 0 = all ({@link Targets#propensityCuts()}) */
    public int propensityCuts() {
        return targets.propensityCuts();
    }

    /** @return the validation split */
    public ValidationSplit validation() {
        return validationPlan.validation();
    }

    /** @return the fraction of time held out by {@link ValidationSplit#TEMPORAL} */
    public double validationFraction() {
        return validationPlan.validationFraction();
    }

    /** @return the most validation users evaluated per epoch (0 = all) */
    public int validationUsers() {
        return validationPlan.validationUsers();
    }

    /** @return the early-stopping metric, {@code ndcg@10} or {@code hr@10} (= recall@10 with one target) */
    public String earlyStoppingMetric() {
        return validationPlan.earlyStoppingMetric();
    }

    /** @return the maximum training sequence length */
    public int maxLen() {
        return encoding.maxLen();
    }

    /** @return items seen fewer times become out-of-vocabulary */
    public int minItemCount() {
        return encoding.minItemCount();
    }

    /** @return the category level of the category input and head */
    public SequenceEncoder.CategoryLevel categoryLevel() {
        return encoding.categoryLevel();
    }

    /** @return training windows per user ({@link Encoding#windows()}) */
    public int windows() {
        return encoding.windows();
    }

    @Override
    public String toString() {
        return "ProfileModelConfig" + toMap();
    }

    /**
     * Builder of {@link ProfileModelConfig}: each setter replaces one field of a group record, which
     * validates it at once; {@link #build()} checks the rules between fields.
     */
    public static final class Builder {
        private Architecture architecture = Architecture.DEFAULTS;
        private Optimiser optimiser = Optimiser.DEFAULTS;
        private Schedule schedule = Schedule.DEFAULTS;
        private LossWeights lossWeights = LossWeights.DEFAULTS;
        private ValidationPlan validationPlan = ValidationPlan.DEFAULTS;
        private Encoding encoding = Encoding.DEFAULTS;
        private Targets targets = Targets.DEFAULTS;
        private long seed = DEFAULT_SEED;

        private Builder() {
        }

        /** @return the architecture set so far (shape rules not yet checked) */
        Architecture architecture() {
            return architecture;
        }

        private Builder architecture(String field, Object v) {
            architecture = Records.with(architecture, field, v);
            return this;
        }

        private Builder optimiser(String field, Object v) {
            optimiser = Records.with(optimiser, field, v);
            return this;
        }

        private Builder schedule(String field, Object v) {
            schedule = Records.with(schedule, field, v);
            return this;
        }

        private Builder validationPlan(String field, Object v) {
            validationPlan = Records.with(validationPlan, field, v);
            return this;
        }

        private Builder encoding(String field, Object v) {
            encoding = Records.with(encoding, field, v);
            return this;
        }

        /** @param v item embedding size, {@code >= 1} @return this */
        public Builder itemEmbedding(int v) {
            return architecture("itemEmbedding", v);
        }

        /** @param v event-type embedding size, {@code >= 1} @return this */
        public Builder typeEmbedding(int v) {
            return architecture("typeEmbedding", v);
        }

        /** @param v category embedding size, {@code >= 1} @return this */
        public Builder categoryEmbedding(int v) {
            return architecture("categoryEmbedding", v);
        }

        /** @param v gap embedding size, {@code >= 1} @return this */
        public Builder gapEmbedding(int v) {
            return architecture("gapEmbedding", v);
        }

        /** @param v LSTM units, {@code >= 1} @return this */
        public Builder hidden(int v) {
            return architecture("hidden", v);
        }

        /** @param v LSTM layers, {@code >= 1} @return this */
        public Builder layers(int v) {
            return architecture("layers", v);
        }

        /** @param v projection (item output space) size, {@code >= 1} @return this */
        public Builder projection(int v) {
            return architecture("projection", v);
        }

        /** @param v dropout probability in [0, 1) @return this */
        public Builder dropout(double v) {
            return architecture("dropout", v);
        }

        /**
         * @param v negatives shared by each mini-batch for a sampled-softmax next-item head, drawn
         *     uniformly from the item vocabulary; 0 = full softmax. {@code >= 0}
         * @return this
         */
        public Builder sampledNegatives(int v) {
            return architecture("sampledNegatives", v);
        }

        /** @param v tie the input item embedding to the output weights ({@link Architecture#tieItemEmbeddings()}) @return this */
        public Builder tieItemEmbeddings(boolean v) {
            return architecture("tieItemEmbeddings", v);
        }

        /** @param v add the input item embedding to the user vector ({@link Architecture#itemResidual()}) @return this */
        public Builder itemResidual(boolean v) {
            return architecture("itemResidual", v);
        }

        /** @param v Adam learning rate, {@code > 0} @return this */
        public Builder learningRate(double v) {
            return optimiser("learningRate", v);
        }

        /** @param v L2 gradient clipping threshold per layer, {@code > 0} @return this */
        public Builder gradientClip(double v) {
            return optimiser("gradientClip", v);
        }

        /** @param v decoupled weight decay ({@link Optimiser#weightDecay()}), finite, {@code >= 0} @return this */
        public Builder weightDecay(double v) {
            return optimiser("weightDecay", v);
        }

        /** @param v mini-batch size, {@code >= 1} @return this */
        public Builder batchSize(int v) {
            return optimiser("batchSize", v);
        }

        /** @param v bucketing window in batches, 0 = none @return this */
        public Builder bucketWindow(int v) {
            return optimiser("bucketWindow", v);
        }

        /** @param v maximum epochs, {@code >= 1} @return this */
        public Builder epochs(int v) {
            return schedule("epochs", v);
        }

        /** @param v epochs without improvement before stopping, {@code >= 1} @return this */
        public Builder patience(int v) {
            return schedule("patience", v);
        }

        /** @param v learning-rate factor at a plateau ({@link Schedule#plateauDecay()}), in (0, 1) @return this */
        public Builder plateauDecay(double v) {
            return schedule("plateauDecay", v);
        }

        /** @param v learning-rate decays at plateaus ({@link Schedule#plateauDecays()}), {@code >= 0} @return this */
        public Builder plateauDecays(int v) {
            return schedule("plateauDecays", v);
        }

        /** @param v refit epochs after early stopping ({@link Schedule#refitEpochs()}), {@code >= 0} @return this */
        public Builder refitEpochs(int v) {
            return schedule("refitEpochs", v);
        }

        /** @param v Adam learning rate of the refit epochs, {@code > 0} @return this */
        public Builder refitLearningRate(double v) {
            return schedule("refitLearningRate", v);
        }

        /**
         * @param nextItem weight of the next-item loss
         * @param purchase weight of the purchase loss
         * @param category weight of the category loss
         * @return this
         */
        public Builder lossWeights(double nextItem, double purchase, double category) {
            lossWeights = new LossWeights(nextItem, purchase, category, lossWeights.purchaseClassWeight(),
                    lossWeights.churnWeight(), lossWeights.churnClassWeight(), lossWeights.nextItems(),
                    lossWeights.nextItemsDecay(), lossWeights.maskSeen());
            return this;
        }

        /** @param v weight of a positive purchase example, {@code >= 0}, 0 = derived from the data @return this */
        public Builder purchaseClassWeight(double v) {
            lossWeights = Records.with(lossWeights, "purchaseClassWeight", v);
            return this;
        }

        /** @param v weight of the churn loss, {@code >= 0} @return this */
        public Builder churnWeight(double v) {
            lossWeights = Records.with(lossWeights, "churnWeight", v);
            return this;
        }

        /** @param v weight of a positive (churned) example, {@code >= 0}, 0 = derived from the data @return this */
        public Builder churnClassWeight(double v) {
            lossWeights = Records.with(lossWeights, "churnClassWeight", v);
            return this;
        }

        /** @param v following items each step's next-item loss learns ({@link LossWeights#nextItems()}), {@code >= 1} @return this */
        public Builder nextItems(int v) {
            lossWeights = Records.with(lossWeights, "nextItems", v);
            return this;
        }

        /** @param v the decay of the later items' weights ({@link LossWeights#nextItemsDecay()}), in (0, 1] @return this */
        public Builder nextItemsDecay(double v) {
            lossWeights = Records.with(lossWeights, "nextItemsDecay", v);
            return this;
        }

        /** @param v whether the next-item softmax leaves out the seen items ({@link LossWeights#maskSeen()}) @return this */
        public Builder maskSeen(boolean v) {
            lossWeights = Records.with(lossWeights, "maskSeen", v);
            return this;
        }

        /** @param v the purchase horizon in days ({@link Targets#purchaseHorizonDays()}), {@code > 0} @return this */
        public Builder purchaseHorizonDays(double v) {
            targets = Records.with(targets, "purchaseHorizonDays", v);
            return this;
        }

        /** @param v the churn period in days ({@link Targets#churnHorizonDays()}), {@code > 0} @return this */
        public Builder churnHorizonDays(double v) {
            targets = Records.with(targets, "churnHorizonDays", v);
            return this;
        }

        /** @param v the purchase horizon in events without usable timestamps ({@link Targets#horizonEvents()}), {@code >= 1} @return this */
        public Builder horizonEvents(int v) {
            targets = Records.with(targets, "horizonEvents", v);
            return this;
        }

        /** @param v whether the purchase and churn losses also train the encoder ({@link Targets#propensityGradient()}) @return this */
        public Builder propensityGradient(boolean v) {
            targets = Records.with(targets, "propensityGradient", v);
            return this;
        }

        /** @param v share of users the purchase and churn heads are validated on, in (0, 1) ({@link Targets#propensityValidationShare()}) @return this */
        public Builder propensityValidationShare(double v) {
            targets = Records.with(targets, "propensityValidationShare", v);
            return this;
        }

        /** @param v input steps per sequence that train the purchase and churn heads, 0 = all ({@link Targets#propensityCuts()}) @return this */
        public Builder propensityCuts(int v) {
            targets = Records.with(targets, "propensityCuts", v);
            return this;
        }

        /** @param v the validation split, not null @return this */
        public Builder validation(ValidationSplit v) {
            return validationPlan("validation", v);
        }

        /** @param v fraction of time held out by TEMPORAL, in (0, 1) @return this */
        public Builder validationFraction(double v) {
            return validationPlan("validationFraction", v);
        }

        /** @param v most validation users per epoch, 0 = all @return this */
        public Builder validationUsers(int v) {
            return validationPlan("validationUsers", v);
        }

        /** @param v {@code ndcg@10} or {@code hr@10} @return this */
        public Builder earlyStoppingMetric(String v) {
            return validationPlan("earlyStoppingMetric", v);
        }

        /** @param v maximum sequence length, {@code >= 2} @return this */
        public Builder maxLen(int v) {
            return encoding("maxLen", v);
        }

        /** @param v minimum item count, {@code >= 1} @return this */
        public Builder minItemCount(int v) {
            return encoding("minItemCount", v);
        }

        /** @param v category level, not null @return this */
        public Builder categoryLevel(SequenceEncoder.CategoryLevel v) {
            return encoding("categoryLevel", v);
        }

        /** @param v training windows per user ({@link Encoding#windows()}), {@code >= 1} @return this */
        public Builder windows(int v) {
            return encoding("windows", v);
        }

        /** @param v the seed @return this */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /**
         * Formerly the validation threads; threads are a runtime setting of the trainer now and no
         * longer part of the configuration. Validates the count and otherwise ignores it.
         *
         * @param v threads, {@code >= 1}
         * @return this
         * @deprecated use {@link ProfileTrainer#threads(int)}
         */
        @Deprecated(since = "0.1.0")
        public Builder threads(int v) {
            atLeast1("threads", v);
            return this;
        }

        /** @return the configuration */
        public ProfileModelConfig build() {
            return new ProfileModelConfig(architecture, optimiser, schedule, lossWeights, validationPlan, encoding, targets, seed);
        }
    }
}
