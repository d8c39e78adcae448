package org.persona4j.eval.profile;

import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.common.tree.RandomForestTrainer;

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
public final class ForestScorer extends TribuoAggregateScorer {
    /** Trees in the forest. */
    static final int TREES = 50;
    /** Maximum tree depth. */
    static final int MAX_DEPTH = 8;
    /** Minimum example weight in a child of a split (keeps the leaves' probabilities from being 0 or 1 on a few cases). */
    static final float MIN_CHILD_WEIGHT = 10f;
    /** Share of the features tried at each split (about sqrt(d) / d for the 21 features, rounded up). */
    static final float FEATURE_FRACTION = 0.3f;

    /**
     * Fits the forests.
     *
     * @param features the aggregates
     * @param purchaseTrain the split at T − H (null: purchase not scored)
     * @param churnTrain the split at T − N (null: churn not scored)
     * @param seed the seed of the bootstrap samples and the feature subsets
     */
    public ForestScorer(AggregateFeatures features, ProfileSplit purchaseTrain, ProfileSplit churnTrain, long seed) {
        super("forest scorer", features, purchaseTrain, churnTrain, seed);
    }

    @Override
    public String name() {
        return "random forest";
    }

    @Override
    String modelDescription() {
        return "Tribuo random forest (" + TREES + " CART trees, depth <= " + MAX_DEPTH + ", " + FEATURE_FRACTION
                + " of the features per split)";
    }

    @Override
    Trainer<Label> trainer(long seed) {
        return forest(seed);
    }

    @Override
    boolean standardised() {
        return false;
    }

    /** A fresh trainer: Tribuo trainers advance their random state with every fit. */
    static RandomForestTrainer<Label> forest(long seed) {
        CARTClassificationTrainer tree = new CARTClassificationTrainer(MAX_DEPTH, MIN_CHILD_WEIGHT, 0f, FEATURE_FRACTION,
                false, new GiniIndex(), seed);
        return new RandomForestTrainer<>(tree, new FullyWeightedVotingCombiner(), TREES, seed);
    }
}
