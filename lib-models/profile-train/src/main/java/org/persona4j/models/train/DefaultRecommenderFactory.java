package org.persona4j.models.train;

import java.util.ArrayList;
import java.util.List;
import org.persona4j.core.Recommender;
import org.persona4j.eval.BuiltinFactories;
import org.persona4j.eval.EvalCase;
import org.persona4j.eval.FitContext;
import org.persona4j.eval.RecommenderFactory;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.recommend.BlendedRecommender;
import org.persona4j.recommend.DefaultRecommender;
import org.persona4j.recommend.ItemScorer;
import org.persona4j.recommend.LearnedBlend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code default} for the evaluation harness: exactly what the SDK serves by default
 * ({@link DefaultRecommender}): the profile model ({@code lstm}, same options, preset and race) blended
 * with item-kNN and session-kNN, popularity for the rest, with the blend the trainer learned on the
 * split's own validation cases and wrote into the model ({@link ProfileTrainer#blend}: the model
 * of the best epoch before the refit and both kNNs fitted without the validation targets score
 * them; separate weights for histories of at most {@code short-history} events, default
 * {@value LearnedBlend#SHORT_HISTORY}; at most {@code blend-cases} cases, default
 * {@value LearnedBlend#MAX_CASES}). The served recommender uses the refitted model and both kNNs
 * fitted on all training events. With {@code model=FILE} the artifact's blend is served; an
 * artifact without one gets a blend learned here on the validation cases with that model (which
 * may have trained on them: prefer training here). Options: those of {@code lstm}, plus
 * {@code short-history} and {@code blend-cases}.
 */
public final class DefaultRecommenderFactory implements RecommenderFactory {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultRecommenderFactory.class);
    /** The parts of the blend, in the order of its weights. */
    static final List<String> PARTS = DefaultRecommender.PARTS;

    /** Service constructor. */
    public DefaultRecommenderFactory() {
    }

    @Override
    public String name() {
        return "default";
    }

    @Override
    public String description() {
        return "what the SDK serves by default: lstm + itemknn + sknn with the weights the trainer learned on the validation"
                + " cases (separately for histories of at most short-history=" + LearnedBlend.SHORT_HISTORY + " events),"
                + " popularity for the rest; options of lstm, short-history, blend-cases (default " + LearnedBlend.MAX_CASES + ")";
    }

    @Override
    public Recommender fit(FitContext c) {
        DeepProfileModel model = LstmRecommenderFactory.model(c);
        try {
            LearnedBlend blend = DefaultRecommender.blendOf(model.manifestJson()).orElseGet(() -> {
                LOG.warn("default: the model carries no learned blend (an artifact trained without one): learning it on the split's"
                        + " validation cases with this model, which may have trained on them");
                return learn(c, model);
            });
            BlendedRecommender r = DefaultRecommender.builder(model, model.itemIds(), c.train(), c.catalog()).blend(blend)
                    .threads(c.threads()).build();
            return new LstmRecommenderFactory.ModelRecommender(r, null, model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Learns the blend on the split's validation cases (the first target of each), with the parts
     * fitted without those targets.
     */
    static LearnedBlend learn(FitContext c, DeepProfileModel validationModel) {
        int shortHistory = c.intOption("short-history", LearnedBlend.SHORT_HISTORY);
        int maxCases = c.intOption("blend-cases", LearnedBlend.MAX_CASES);
        List<LearnedBlend.Case> cases = new ArrayList<>();
        for (EvalCase e : c.split().validation()) {
            if (!e.targets().isEmpty()) {
                cases.add(new LearnedBlend.Case(e.input(), e.targets().get(0)));
            }
        }
        if (cases.isEmpty()) {
            LOG.warn("default: the split has no validation cases; the blend keeps equal weights");
            return new LearnedBlend(PARTS, shortHistory, new double[] {1, 1, 1}, new double[] {1, 1, 1}, 0, 0, null);
        }
        FitContext v = new FitContext(c.split().validationAsTest(), c.catalog(), c.options(), c.seed(), c.threads(), c.progress());
        return ProfileTrainer.learnBlend(validationModel, v.catalog(), (ItemScorer) new BuiltinFactories.ItemKnn().fit(v),
                (ItemScorer) new BuiltinFactories.Sknn().fit(v), cases, shortHistory, maxCases, c.seed());
    }
}
