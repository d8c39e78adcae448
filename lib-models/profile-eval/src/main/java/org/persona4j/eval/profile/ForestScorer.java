package org.persona4j.eval.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.persona4j.core.BadInputException;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * The tree-ensemble baseline: a random forest (Tribuo's {@code RandomForestTrainer}: bootstrap
 * samples, CART trees with a random subset of the features at each split, Gini impurity; the
 * members' leaf class distributions averaged by a {@code FullyWeightedVotingCombiner}) on the
 * same {@link AggregateFeatures} vector as {@link LogisticScorer}, fitted the same way: one model
 * per target, each trained on the earlier split whose labels end at the evaluation cutoff (purchase
 * at T − H, churn at T − N), so no training label looks past T. Trees need no standardisation; the
 * raw (log-scaled) features are used. Deterministic for a seed: a new trainer is built for each fit.
 * A target whose training split has a single class (or no cases) is not scored, and
 * {@link #note()} says why.
 */
public final class ForestScorer implements CaseScorer {
    private static final String POS = "1";
    private static final String NEG = "0";
    /** Trees in the forest. */
    static final int TREES = 50;
    /** Maximum tree depth. */
    static final int MAX_DEPTH = 8;
    /** Minimum example weight in a child of a split (keeps the leaves' probabilities from being 0 or 1 on a few cases). */
    static final float MIN_CHILD_WEIGHT = 10f;
    /** Share of the features tried at each split (about sqrt(d) / d for the 21 features, rounded up). */
    static final float FEATURE_FRACTION = 0.3f;

    private final AggregateFeatures features;
    private final Fitted purchase;
    private final Fitted churn;
    private final List<String> notes = new ArrayList<>();

    private record Fitted(Model<Label> model, int cases, int positives) {
    }

    /**
     * Fits the forests.
     *
     * @param features the aggregates
     * @param purchaseTrain the split at T − H (null: purchase not scored)
     * @param churnTrain the split at T − N (null: churn not scored)
     * @param seed the seed of the bootstrap samples and the feature subsets
     */
    public ForestScorer(AggregateFeatures features, ProfileSplit purchaseTrain, ProfileSplit churnTrain, long seed) {
        if (features == null) {
            throw new BadInputException("forest scorer: 'features' is required");
        }
        this.features = features;
        this.purchase = fit("purchase", purchaseTrain, ProfileCase::purchased, seed);
        this.churn = fit("churn", churnTrain, ProfileCase::churned, seed);
        if (purchaseTrain == null && churnTrain == null) {
            notes.add("not fitted: needs the temporal protocol with data before T - H (purchase) or T - N (churn)");
        }
    }

    @Override
    public String name() {
        return "random forest";
    }

    @Override
    public String description() {
        return "Tribuo random forest (" + TREES + " CART trees, depth <= " + MAX_DEPTH + ", " + FEATURE_FRACTION
                + " of the features per split) on " + AggregateFeatures.names().size() + " aggregate features"
                + (purchase == null ? "" : "; purchase trained on " + purchase.cases + " users (" + purchase.positives + " positive)")
                + (churn == null ? "" : "; churn trained on " + churn.cases + " users (" + churn.positives + " positive)");
    }

    @Override
    public Scores score(ProfileCase c) {
        if (purchase == null && churn == null) {
            return Scores.NONE;
        }
        double[] v = features.vector(c);
        return new Scores(predict(purchase, v), predict(churn, v), null);
    }

    @Override
    public String note() {
        return String.join("; ", notes);
    }

    private Fitted fit(String target, ProfileSplit split, Predicate<ProfileCase> label, long seed) {
        if (split == null) {
            return null;
        }
        List<ProfileCase> cases = split.cases();
        int pos = 0;
        for (ProfileCase c : cases) {
            pos += label.test(c) ? 1 : 0;
        }
        if (cases.isEmpty() || pos == 0 || pos == cases.size()) {
            notes.add(target + " not fitted: the training split at " + java.time.Instant.ofEpochMilli(split.cutoffMillis())
                    + " has " + cases.size() + " users, " + pos + " positive (needs both classes)");
            return null;
        }
        int minority = Math.min(pos, cases.size() - pos);
        if (minority < ProfileEvaluator.FEW) {
            notes.add(target + " trained on only " + minority + " " + (pos < cases.size() - pos ? "positive" : "negative")
                    + " of " + cases.size() + " users at " + java.time.Instant.ofEpochMilli(split.cutoffMillis())
                    + "; its scores are weak");
        }
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(
                new SimpleDataSourceProvenance("persona4j profile-eval " + target + " training split", factory), factory);
        for (ProfileCase c : cases) {
            data.add(example(new Label(label.test(c) ? POS : NEG), features.vector(c)));
        }
        return new Fitted(trainer(seed).train(data), cases.size(), pos);
    }

    /** A fresh trainer: Tribuo trainers advance their random state with every fit. */
    static RandomForestTrainer<Label> trainer(long seed) {
        CARTClassificationTrainer tree = new CARTClassificationTrainer(MAX_DEPTH, MIN_CHILD_WEIGHT, 0f, FEATURE_FRACTION,
                false, new GiniIndex(), seed);
        return new RandomForestTrainer<>(tree, new FullyWeightedVotingCombiner(), TREES, seed);
    }

    private static double predict(Fitted f, double[] v) {
        if (f == null) {
            return Double.NaN;
        }
        Prediction<Label> p = f.model.predict(example(LabelFactory.UNKNOWN_LABEL, v));
        Label l = p.getOutputScores().get(POS);
        double s = l == null ? 0 : l.getScore();
        return Math.min(1, Math.max(0, s));
    }

    private static Example<Label> example(Label label, double[] v) {
        return new ArrayExample<>(label, AggregateFeatures.names().toArray(new String[0]), v);
    }
}
