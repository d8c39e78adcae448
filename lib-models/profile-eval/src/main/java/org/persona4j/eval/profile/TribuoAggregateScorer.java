package org.persona4j.eval.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.persona4j.core.BadInputException;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * What the fitted baselines ({@link LogisticScorer}, {@link ForestScorer}) share: one Tribuo
 * classifier per target on the {@link AggregateFeatures} vector, each trained on the earlier split
 * whose labels end at the evaluation cutoff (purchase at T − H, churn at T − N), so no training
 * label looks past T; a target whose training split has a single class (or no cases) is not
 * scored, and {@link #note()} says why. Subclasses give the trainer and whether the features are
 * standardised.
 */
abstract class TribuoAggregateScorer implements CaseScorer {
    private static final String POS = "1";
    private static final String NEG = "0";

    private final AggregateFeatures features;
    private final Fitted purchase;
    private final Fitted churn;
    private final List<String> notes = new ArrayList<>();

    private record Fitted(Model<Label> model, double[] mean, double[] sd, int cases, int positives) {
    }

    /**
     * Fits the models; calls {@link #trainer(long)} and {@link #standardised()} from here, so those
     * must not read the subclass's fields.
     *
     * @param what the scorer's name in error messages
     * @param features the aggregates
     * @param purchaseTrain the split at T − H (null: purchase not scored)
     * @param churnTrain the split at T − N (null: churn not scored)
     * @param seed the trainer's seed
     */
    TribuoAggregateScorer(String what, AggregateFeatures features, ProfileSplit purchaseTrain, ProfileSplit churnTrain, long seed) {
        if (features == null) {
            throw new BadInputException(what + ": 'features' is required");
        }
        this.features = features;
        this.purchase = fit("purchase", purchaseTrain, ProfileCase::purchased, seed);
        this.churn = fit("churn", churnTrain, ProfileCase::churned, seed);
        if (purchaseTrain == null && churnTrain == null) {
            notes.add("not fitted: needs the temporal protocol with data before T - H (purchase) or T - N (churn)");
        }
    }

    /** @param seed the seed @return a fresh trainer (Tribuo trainers advance their random state with every fit) */
    abstract Trainer<Label> trainer(long seed);

    /** @return whether the features are standardised with the training split's mean and deviation */
    abstract boolean standardised();

    /** @return what the model is, for {@link #description()} */
    abstract String modelDescription();

    @Override
    public final String description() {
        return modelDescription() + " on " + AggregateFeatures.names().size() + " aggregate features"
                + (purchase == null ? "" : "; purchase trained on " + purchase.cases + " users (" + purchase.positives + " positive)")
                + (churn == null ? "" : "; churn trained on " + churn.cases + " users (" + churn.positives + " positive)");
    }

    @Override
    public final Scores score(ProfileCase c) {
        if (purchase == null && churn == null) {
            return Scores.NONE;
        }
        double[] v = features.vector(c);
        return new Scores(predict(purchase, v), predict(churn, v), null);
    }

    @Override
    public final String note() {
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
        int d = AggregateFeatures.names().size();
        double[][] x = new double[cases.size()][];
        double[] mean = new double[d];
        double[] sd = new double[d];
        java.util.Arrays.fill(sd, 1);
        for (int i = 0; i < x.length; i++) {
            x[i] = features.vector(cases.get(i));
        }
        if (standardised()) {
            java.util.Arrays.fill(sd, 0);
            for (double[] row : x) {
                for (int j = 0; j < d; j++) {
                    mean[j] += row[j] / x.length;
                }
            }
            for (double[] row : x) {
                for (int j = 0; j < d; j++) {
                    sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / x.length;
                }
            }
            for (int j = 0; j < d; j++) {
                sd[j] = sd[j] > 1e-12 ? Math.sqrt(sd[j]) : 1;
            }
        }
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(
                new SimpleDataSourceProvenance("persona4j profile-eval " + target + " training split", factory), factory);
        for (int i = 0; i < x.length; i++) {
            data.add(example(new Label(label.test(cases.get(i)) ? POS : NEG), x[i], mean, sd));
        }
        return new Fitted(trainer(seed).train(data), mean, sd, cases.size(), pos);
    }

    private static double predict(Fitted f, double[] v) {
        if (f == null) {
            return Double.NaN;
        }
        Prediction<Label> p = f.model.predict(example(LabelFactory.UNKNOWN_LABEL, v, f.mean, f.sd));
        Label l = p.getOutputScores().get(POS);
        double s = l == null ? 0 : l.getScore();
        return Math.min(1, Math.max(0, s));
    }

    private static Example<Label> example(Label label, double[] v, double[] mean, double[] sd) {
        double[] z = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            z[j] = (v[j] - mean[j]) / sd[j];
        }
        return new ArrayExample<>(label, AggregateFeatures.names().toArray(new String[0]), z);
    }
}
