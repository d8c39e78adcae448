package org.persona4j.models.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.features.sequence.SequenceEncoder;

/**
 * Hyper-parameters of the deep profile model and its training. Immutable; build with
 * {@link #builder()}, whose setters fail fast naming the bad value.
 */
public final class ProfileModelConfig {
    private final int itemEmbedding;
    private final int typeEmbedding;
    private final int categoryEmbedding;
    private final int gapEmbedding;
    private final int hidden;
    private final int layers;
    private final int projection;
    private final int maxLen;
    private final double dropout;
    private final double learningRate;
    private final double gradientClip;
    private final int batchSize;
    private final int epochs;
    private final int patience;
    private final double nextItemWeight;
    private final double purchaseWeight;
    private final double categoryWeight;
    private final double purchaseClassWeight;
    private final ValidationSplit validation;
    private final double validationFraction;
    private final int validationUsers;
    private final String earlyStoppingMetric;
    private final int minItemCount;
    private final SequenceEncoder.CategoryLevel categoryLevel;
    private final int bucketWindow;
    private final int windows;
    private final double weightDecay;
    private final int sampledNegatives;
    private final boolean tieItemEmbeddings;
    private final boolean itemResidual;
    private final double plateauDecay;
    private final int plateauDecays;
    private final int refitEpochs;
    private final double refitLearningRate;
    private final long seed;
    private final int threads;

    private ProfileModelConfig(Builder b) {
        itemEmbedding = b.itemEmbedding;
        typeEmbedding = b.typeEmbedding;
        categoryEmbedding = b.categoryEmbedding;
        gapEmbedding = b.gapEmbedding;
        hidden = b.hidden;
        layers = b.layers;
        projection = b.projection;
        maxLen = b.maxLen;
        dropout = b.dropout;
        learningRate = b.learningRate;
        gradientClip = b.gradientClip;
        batchSize = b.batchSize;
        epochs = b.epochs;
        patience = b.patience;
        nextItemWeight = b.nextItemWeight;
        purchaseWeight = b.purchaseWeight;
        categoryWeight = b.categoryWeight;
        purchaseClassWeight = b.purchaseClassWeight;
        validation = b.validation;
        validationFraction = b.validationFraction;
        validationUsers = b.validationUsers;
        earlyStoppingMetric = b.earlyStoppingMetric;
        minItemCount = b.minItemCount;
        categoryLevel = b.categoryLevel;
        bucketWindow = b.bucketWindow;
        windows = b.windows;
        weightDecay = b.weightDecay;
        sampledNegatives = b.sampledNegatives;
        tieItemEmbeddings = b.tieItemEmbeddings;
        itemResidual = b.itemResidual;
        plateauDecay = b.plateauDecay;
        plateauDecays = b.plateauDecays;
        refitEpochs = b.refitEpochs;
        refitLearningRate = b.refitLearningRate;
        seed = b.seed;
        threads = b.threads;
    }

    /** @return a builder with the SDK defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with this configuration */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.itemEmbedding = itemEmbedding;
        b.typeEmbedding = typeEmbedding;
        b.categoryEmbedding = categoryEmbedding;
        b.gapEmbedding = gapEmbedding;
        b.hidden = hidden;
        b.layers = layers;
        b.projection = projection;
        b.maxLen = maxLen;
        b.dropout = dropout;
        b.learningRate = learningRate;
        b.gradientClip = gradientClip;
        b.batchSize = batchSize;
        b.epochs = epochs;
        b.patience = patience;
        b.nextItemWeight = nextItemWeight;
        b.purchaseWeight = purchaseWeight;
        b.categoryWeight = categoryWeight;
        b.purchaseClassWeight = purchaseClassWeight;
        b.validation = validation;
        b.validationFraction = validationFraction;
        b.validationUsers = validationUsers;
        b.earlyStoppingMetric = earlyStoppingMetric;
        b.minItemCount = minItemCount;
        b.categoryLevel = categoryLevel;
        b.bucketWindow = bucketWindow;
        b.windows = windows;
        b.weightDecay = weightDecay;
        b.sampledNegatives = sampledNegatives;
        b.tieItemEmbeddings = tieItemEmbeddings;
        b.itemResidual = itemResidual;
        b.plateauDecay = plateauDecay;
        b.plateauDecays = plateauDecays;
        b.refitEpochs = refitEpochs;
        b.refitLearningRate = refitLearningRate;
        b.seed = seed;
        b.threads = threads;
        return b;
    }

    /** @return item embedding size */
    public int itemEmbedding() {
        return itemEmbedding;
    }

    /** @return event-type embedding size */
    public int typeEmbedding() {
        return typeEmbedding;
    }

    /** @return category embedding size */
    public int categoryEmbedding() {
        return categoryEmbedding;
    }

    /** @return time-gap embedding size */
    public int gapEmbedding() {
        return gapEmbedding;
    }

    /** @return LSTM units per layer */
    public int hidden() {
        return hidden;
    }

    /** @return number of LSTM layers */
    public int layers() {
        return layers;
    }

    /** @return size of the projected user vector (the item output space; embeddings have one more dimension for the item bias) */
    public int projection() {
        return projection;
    }

    /** @return the maximum training sequence length */
    public int maxLen() {
        return maxLen;
    }

    /** @return dropout probability on LSTM and projection inputs (0 = none) */
    public double dropout() {
        return dropout;
    }

    /** @return Adam learning rate */
    public double learningRate() {
        return learningRate;
    }

    /** @return per-layer L2 gradient clipping threshold */
    public double gradientClip() {
        return gradientClip;
    }

    /** @return mini-batch size */
    public int batchSize() {
        return batchSize;
    }

    /** @return maximum number of epochs */
    public int epochs() {
        return epochs;
    }

    /** @return epochs without improvement before early stopping */
    public int patience() {
        return patience;
    }

    /** @return loss weight of the next-item head */
    public double nextItemWeight() {
        return nextItemWeight;
    }

    /** @return loss weight of the purchase head */
    public double purchaseWeight() {
        return purchaseWeight;
    }

    /** @return loss weight of the category head */
    public double categoryWeight() {
        return categoryWeight;
    }

    /** @return weight of positive (purchase) examples relative to negatives in the purchase head */
    public double purchaseClassWeight() {
        return purchaseClassWeight;
    }

    /** @return the validation split */
    public ValidationSplit validation() {
        return validation;
    }

    /** @return the fraction of time held out by {@link ValidationSplit#TEMPORAL} */
    public double validationFraction() {
        return validationFraction;
    }

    /** @return the most validation users evaluated per epoch (0 = all) */
    public int validationUsers() {
        return validationUsers;
    }

    /** @return the early-stopping metric, {@code ndcg@10} or {@code hr@10} (= recall@10 with one target) */
    public String earlyStoppingMetric() {
        return earlyStoppingMetric;
    }

    /** @return items seen fewer times become out-of-vocabulary */
    public int minItemCount() {
        return minItemCount;
    }

    /** @return the category level of the category input and head */
    public SequenceEncoder.CategoryLevel categoryLevel() {
        return categoryLevel;
    }

    /**
     * @return training windows per user: a training history longer than {@code maxLen + 1} events
     *     is cut, newest first, into at most this many sequences of {@code maxLen + 1} events
     *     (consecutive windows share one event, so each transition is trained once); 1 trains only
     *     the newest window
     */
    public int windows() {
        return windows;
    }

    /**
     * @return decoupled weight decay of every weight matrix (embeddings, LSTM, projection, heads;
     *     not biases): each step subtracts {@code learningRate × weightDecay × w}; 0 = none
     */
    public double weightDecay() {
        return weightDecay;
    }

    /** @return length-bucketing window in batches (0 = plain random batches) */
    public int bucketWindow() {
        return bucketWindow;
    }

    /**
     * @return negatives per mini-batch of the sampled-softmax next-item head, or 0 for a full softmax
     *     over every item (the default; exact, but time and memory grow with the catalogue)
     */
    public int sampledNegatives() {
        return sampledNegatives;
    }

    /**
     * @return whether the input item embedding is tied to the next-item output weights (one item
     *     table used on both sides, as in SASRec; needs {@code itemEmbedding == projection})
     */
    public boolean tieItemEmbeddings() {
        return tieItemEmbeddings;
    }

    /**
     * @return whether the user vector at each step adds that step's input item embedding to the
     *     projected hidden state (a skip connection, as a transformer block's residual carries its
     *     input; needs {@code itemEmbedding == projection})
     */
    public boolean itemResidual() {
        return itemResidual;
    }

    /**
     * @return the factor the learning rate is multiplied by when the validation metric has not
     *     improved for {@link #patience()} epochs and {@link #plateauDecays()} allows another decay
     */
    public double plateauDecay() {
        return plateauDecay;
    }

    /**
     * @return how many times a plateau lowers the learning rate (by {@link #plateauDecay()}) and
     *     training goes on with a fresh patience, before a plateau stops training; 0 = stop at the
     *     first plateau
     */
    public int plateauDecays() {
        return plateauDecays;
    }

    /**
     * @return epochs trained after early stopping, from the best epoch's weights, on the whole
     *     input including the held-out validation events (which can no longer be validated on);
     *     0 = none
     */
    public int refitEpochs() {
        return refitEpochs;
    }

    /** @return the Adam learning rate of the refit epochs */
    public double refitLearningRate() {
        return refitLearningRate;
    }

    /** @return the seed of initialisation and batch order */
    public long seed() {
        return seed;
    }

    /** @return threads used for validation scoring (ND4J's own threads are set by the host) */
    public int threads() {
        return threads;
    }

    /** @return the hyper-parameters as an ordered map (for the artifact manifest) */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("itemEmbedding", itemEmbedding);
        m.put("typeEmbedding", typeEmbedding);
        m.put("categoryEmbedding", categoryEmbedding);
        m.put("gapEmbedding", gapEmbedding);
        m.put("hidden", hidden);
        m.put("layers", layers);
        m.put("projection", projection);
        m.put("maxLen", maxLen);
        m.put("dropout", dropout);
        m.put("learningRate", learningRate);
        m.put("gradientClip", gradientClip);
        m.put("batchSize", batchSize);
        m.put("epochs", epochs);
        m.put("patience", patience);
        m.put("nextItemWeight", nextItemWeight);
        m.put("purchaseWeight", purchaseWeight);
        m.put("categoryWeight", categoryWeight);
        m.put("purchaseClassWeight", purchaseClassWeight);
        m.put("validation", validation.name());
        m.put("validationFraction", validationFraction);
        m.put("validationUsers", validationUsers);
        m.put("earlyStoppingMetric", earlyStoppingMetric);
        m.put("minItemCount", minItemCount);
        m.put("categoryLevel", categoryLevel.name());
        m.put("bucketWindow", bucketWindow);
        m.put("windows", windows);
        m.put("weightDecay", weightDecay);
        m.put("sampledNegatives", sampledNegatives);
        m.put("tieItemEmbeddings", tieItemEmbeddings);
        m.put("itemResidual", itemResidual);
        m.put("plateauDecay", plateauDecay);
        m.put("plateauDecays", plateauDecays);
        m.put("refitEpochs", refitEpochs);
        m.put("refitLearningRate", refitLearningRate);
        m.put("seed", seed);
        m.put("threads", threads);
        return m;
    }

    @Override
    public String toString() {
        return "ProfileModelConfig" + toMap();
    }

    /** Builder of {@link ProfileModelConfig}; every setter validates its argument. */
    public static final class Builder {
        private int itemEmbedding = 64;
        private int typeEmbedding = 8;
        private int categoryEmbedding = 16;
        private int gapEmbedding = 8;
        private int hidden = 128;
        private int layers = 1;
        private int projection = 64;
        private int maxLen = 50;
        private double dropout = 0.2;
        private double learningRate = 0.002;
        private double gradientClip = 5.0;
        private int batchSize = 128;
        private int epochs = 10;
        private int patience = 2;
        private double nextItemWeight = 1.0;
        private double purchaseWeight = 0.2;
        private double categoryWeight = 0.2;
        private double purchaseClassWeight = 1.0;
        private ValidationSplit validation = ValidationSplit.LEAVE_ONE_OUT;
        private double validationFraction = 0.1;
        private int validationUsers = 5000;
        private String earlyStoppingMetric = "ndcg@10";
        private int minItemCount = 1;
        private SequenceEncoder.CategoryLevel categoryLevel = SequenceEncoder.CategoryLevel.LEAF;
        private int bucketWindow = 32;
        private int windows = 1;
        private double weightDecay = 0;
        private int sampledNegatives = 0;
        private boolean tieItemEmbeddings = false;
        private boolean itemResidual = false;
        private double plateauDecay = 0.2;
        private int plateauDecays = 0;
        private int refitEpochs = 0;
        private double refitLearningRate = 0.001;
        private long seed = 42;
        private int threads = 1;

        private Builder() {
        }

        private static int positive(String name, int v) {
            if (v < 1) {
                throw new BadInputException("profile model config: " + name + " must be >= 1, was " + v);
            }
            return v;
        }

        private static double positiveFinite(String name, double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new BadInputException("profile model config: " + name + " must be > 0, was " + v);
            }
            return v;
        }

        private static double nonNegative(String name, double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new BadInputException("profile model config: " + name + " must be a finite number >= 0, was " + v);
            }
            return v;
        }

        /** @param v item embedding size, {@code >= 1} @return this */
        public Builder itemEmbedding(int v) {
            itemEmbedding = positive("itemEmbedding", v);
            return this;
        }

        /** @param v event-type embedding size, {@code >= 1} @return this */
        public Builder typeEmbedding(int v) {
            typeEmbedding = positive("typeEmbedding", v);
            return this;
        }

        /** @param v category embedding size, {@code >= 1} @return this */
        public Builder categoryEmbedding(int v) {
            categoryEmbedding = positive("categoryEmbedding", v);
            return this;
        }

        /** @param v gap embedding size, {@code >= 1} @return this */
        public Builder gapEmbedding(int v) {
            gapEmbedding = positive("gapEmbedding", v);
            return this;
        }

        /** @param v LSTM units, {@code >= 1} @return this */
        public Builder hidden(int v) {
            hidden = positive("hidden", v);
            return this;
        }

        /** @param v LSTM layers, {@code >= 1} @return this */
        public Builder layers(int v) {
            layers = positive("layers", v);
            return this;
        }

        /** @param v projection (item output space) size, {@code >= 1} @return this */
        public Builder projection(int v) {
            projection = positive("projection", v);
            return this;
        }

        /** @param v maximum sequence length, {@code >= 2} @return this */
        public Builder maxLen(int v) {
            if (v < 2) {
                throw new BadInputException("profile model config: maxLen must be >= 2, was " + v);
            }
            maxLen = v;
            return this;
        }

        /** @param v dropout probability in [0, 1) @return this */
        public Builder dropout(double v) {
            if (!(v >= 0 && v < 1)) {
                throw new BadInputException("profile model config: dropout must be in [0, 1), was " + v);
            }
            dropout = v;
            return this;
        }

        /** @param v Adam learning rate, {@code > 0} @return this */
        public Builder learningRate(double v) {
            learningRate = positiveFinite("learningRate", v);
            return this;
        }

        /** @param v L2 gradient clipping threshold per layer, {@code > 0} @return this */
        public Builder gradientClip(double v) {
            if (!(v > 0)) {
                throw new BadInputException("profile model config: gradientClip must be > 0, was " + v);
            }
            gradientClip = v;
            return this;
        }

        /** @param v mini-batch size, {@code >= 1} @return this */
        public Builder batchSize(int v) {
            batchSize = positive("batchSize", v);
            return this;
        }

        /** @param v maximum epochs, {@code >= 1} @return this */
        public Builder epochs(int v) {
            epochs = positive("epochs", v);
            return this;
        }

        /** @param v epochs without improvement before stopping, {@code >= 1} @return this */
        public Builder patience(int v) {
            patience = positive("patience", v);
            return this;
        }

        /**
         * @param nextItem weight of the next-item loss
         * @param purchase weight of the purchase loss
         * @param category weight of the category loss
         * @return this
         */
        public Builder lossWeights(double nextItem, double purchase, double category) {
            nextItemWeight = nonNegative("nextItemWeight", nextItem);
            purchaseWeight = nonNegative("purchaseWeight", purchase);
            categoryWeight = nonNegative("categoryWeight", category);
            if (nextItem + purchase + category == 0) {
                throw new BadInputException("profile model config: at least one loss weight must be > 0");
            }
            return this;
        }

        /** @param v weight of a positive purchase example, {@code > 0} @return this */
        public Builder purchaseClassWeight(double v) {
            purchaseClassWeight = positiveFinite("purchaseClassWeight", v);
            return this;
        }

        /** @param v the validation split, not null @return this */
        public Builder validation(ValidationSplit v) {
            if (v == null) {
                throw new BadInputException("profile model config: validation must not be null");
            }
            validation = v;
            return this;
        }

        /** @param v fraction of time held out by TEMPORAL, in (0, 1) @return this */
        public Builder validationFraction(double v) {
            if (!(v > 0 && v < 1)) {
                throw new BadInputException("profile model config: validationFraction must be in (0, 1), was " + v);
            }
            validationFraction = v;
            return this;
        }

        /** @param v most validation users per epoch, 0 = all @return this */
        public Builder validationUsers(int v) {
            if (v < 0) {
                throw new BadInputException("profile model config: validationUsers must be >= 0, was " + v);
            }
            validationUsers = v;
            return this;
        }

        /** @param v {@code ndcg@10} or {@code hr@10} @return this */
        public Builder earlyStoppingMetric(String v) {
            if (!"ndcg@10".equals(v) && !"hr@10".equals(v)) {
                throw new BadInputException("profile model config: earlyStoppingMetric must be ndcg@10 or hr@10, was " + v);
            }
            earlyStoppingMetric = v;
            return this;
        }

        /** @param v minimum item count, {@code >= 1} @return this */
        public Builder minItemCount(int v) {
            minItemCount = positive("minItemCount", v);
            return this;
        }

        /** @param v category level, not null @return this */
        public Builder categoryLevel(SequenceEncoder.CategoryLevel v) {
            if (v == null) {
                throw new BadInputException("profile model config: categoryLevel must not be null");
            }
            categoryLevel = v;
            return this;
        }

        /** @param v training windows per user ({@link ProfileModelConfig#windows()}), {@code >= 1} @return this */
        public Builder windows(int v) {
            if (v < 1) {
                throw new BadInputException("profile model config: windows must be >= 1, was " + v);
            }
            windows = v;
            return this;
        }

        /** @param v decoupled weight decay ({@link ProfileModelConfig#weightDecay()}), finite, {@code >= 0} @return this */
        public Builder weightDecay(double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new BadInputException("profile model config: weightDecay must be finite and >= 0, was " + v);
            }
            weightDecay = v;
            return this;
        }

        /** @param v bucketing window in batches, 0 = none @return this */
        public Builder bucketWindow(int v) {
            if (v < 0) {
                throw new BadInputException("profile model config: bucketWindow must be >= 0, was " + v);
            }
            bucketWindow = v;
            return this;
        }

        /**
         * @param v negatives shared by each mini-batch for a sampled-softmax next-item head, drawn
         *     uniformly from the item vocabulary; 0 = full softmax. {@code >= 0}
         * @return this
         */
        public Builder sampledNegatives(int v) {
            if (v < 0) {
                throw new BadInputException("profile model config: sampledNegatives must be >= 0, was " + v);
            }
            sampledNegatives = v;
            return this;
        }

        /** @param v tie the input item embedding to the output weights ({@link ProfileModelConfig#tieItemEmbeddings()}) @return this */
        public Builder tieItemEmbeddings(boolean v) {
            tieItemEmbeddings = v;
            return this;
        }

        /** @param v add the input item embedding to the user vector ({@link ProfileModelConfig#itemResidual()}) @return this */
        public Builder itemResidual(boolean v) {
            itemResidual = v;
            return this;
        }

        /** @param v learning-rate factor at a plateau ({@link ProfileModelConfig#plateauDecay()}), in (0, 1) @return this */
        public Builder plateauDecay(double v) {
            if (!(v > 0 && v < 1)) {
                throw new BadInputException("profile model config: plateauDecay must be in (0, 1), was " + v);
            }
            plateauDecay = v;
            return this;
        }

        /** @param v learning-rate decays at plateaus ({@link ProfileModelConfig#plateauDecays()}), {@code >= 0} @return this */
        public Builder plateauDecays(int v) {
            if (v < 0) {
                throw new BadInputException("profile model config: plateauDecays must be >= 0, was " + v);
            }
            plateauDecays = v;
            return this;
        }

        /** @param v refit epochs after early stopping ({@link ProfileModelConfig#refitEpochs()}), {@code >= 0} @return this */
        public Builder refitEpochs(int v) {
            if (v < 0) {
                throw new BadInputException("profile model config: refitEpochs must be >= 0, was " + v);
            }
            refitEpochs = v;
            return this;
        }

        /** @param v Adam learning rate of the refit epochs, {@code > 0} @return this */
        public Builder refitLearningRate(double v) {
            refitLearningRate = positiveFinite("refitLearningRate", v);
            return this;
        }

        /** @param v the seed @return this */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** @param v validation scoring threads, {@code >= 1} @return this */
        public Builder threads(int v) {
            threads = positive("threads", v);
            return this;
        }

        /** @return the configuration */
        public ProfileModelConfig build() {
            if (tieItemEmbeddings && itemEmbedding != projection) {
                throw new BadInputException("profile model config: tieItemEmbeddings needs itemEmbedding == projection, was "
                        + itemEmbedding + " and " + projection);
            }
            if (tieItemEmbeddings && sampledNegatives > 0) {
                throw new BadInputException("profile model config: tieItemEmbeddings needs the full softmax (sampledNegatives 0), was "
                        + sampledNegatives);
            }
            if (itemResidual && itemEmbedding != projection) {
                throw new BadInputException("profile model config: itemResidual needs itemEmbedding == projection, was "
                        + itemEmbedding + " and " + projection);
            }
            return new ProfileModelConfig(this);
        }
    }
}
