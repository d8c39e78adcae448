package org.persona4j.eval.profile;

import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;

/**
 * The second baseline: a logistic regression (Tribuo's {@code LinearSGDTrainer} with the log loss
 * and AdaGrad, seeded) on the standardised {@link AggregateFeatures} vector, one model per target,
 * each trained on an earlier split whose labels end at the evaluation cutoff: for purchase the
 * cutoff T − H with labels from {@code (T − H, T]}, for churn T − N with labels from
 * {@code (T − N, T]}, so no training label looks past T. A target whose training split has a single
 * class (or no cases) is not scored, and {@link #note()} says why.
 */
public final class LogisticScorer extends TribuoAggregateScorer {
    /** Training epochs of the SGD. */
    static final int EPOCHS = 10;

    /**
     * Fits the models.
     *
     * @param features the aggregates
     * @param purchaseTrain the split at T − H (null: purchase not scored)
     * @param churnTrain the split at T − N (null: churn not scored)
     * @param seed the SGD seed
     */
    public LogisticScorer(AggregateFeatures features, ProfileSplit purchaseTrain, ProfileSplit churnTrain, long seed) {
        super("logistic scorer", features, purchaseTrain, churnTrain, seed);
    }

    @Override
    public String name() {
        return "logistic regression";
    }

    @Override
    String modelDescription() {
        return "Tribuo logistic regression";
    }

    @Override
    Trainer<Label> trainer(long seed) {
        return new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), EPOCHS, Integer.MAX_VALUE, 1, seed);
    }

    @Override
    boolean standardised() {
        return true;
    }
}
