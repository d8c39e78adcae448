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
import org.persona4j.recommend.EmbeddingRetrievalRecommender;
import org.persona4j.recommend.ItemScorer;
import org.persona4j.recommend.LearnedBlend;
import org.persona4j.recommend.PopularityRecommender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code default} for the evaluation harness: the profile model ({@code lstm}, same options and
 * preset) blended with item-kNN and session-kNN, popularity for the rest, with the blend's weights
 * learned on the split's own validation cases ({@link LearnedBlend}: separate weights for histories
 * of at most {@code short-history} events, default {@value LearnedBlend#SHORT_HISTORY}, and longer
 * ones; at most {@code blend-cases} cases, default {@value LearnedBlend#MAX_CASES}).
 *
 * <p>No validation case sees its target: the weights are learned with the model of the best epoch
 * before the refit (trained without the validation events) and with item-kNN and session-kNN fitted
 * on the split's {@code trainForValidation} events; the served recommender then uses the refitted
 * model and both kNNs fitted on all training events. With {@code model=FILE} the loaded model scores
 * the validation cases too (it may have seen them: prefer training here). Options: those of
 * {@code lstm}, {@code itemknn} and {@code sknn}, plus {@code short-history} and {@code blend-cases}.
 */
public final class DefaultRecommenderFactory implements RecommenderFactory {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultRecommenderFactory.class);
    /** The parts of the blend, in the order of its weights. */
    static final List<String> PARTS = List.of("lstm", "itemknn", "sknn");

    /** Service constructor. */
    public DefaultRecommenderFactory() {
    }

    @Override
    public String name() {
        return "default";
    }

    @Override
    public String description() {
        return "what the SDK serves by default: lstm + itemknn + sknn, weights learned on the validation cases (separately for"
                + " histories of at most short-history=" + LearnedBlend.SHORT_HISTORY + " events), popularity for the rest;"
                + " options of lstm, itemknn and sknn, short-history, blend-cases (default " + LearnedBlend.MAX_CASES + ")";
    }

    @Override
    public Recommender fit(FitContext c) {
        DeepProfileModel[] preRefit = new DeepProfileModel[1];
        DeepProfileModel model = LstmRecommenderFactory.model(c, m -> preRefit[0] = m);
        try {
            LearnedBlend blend = learn(c, preRefit[0] != null ? preRefit[0] : model);
            EmbeddingRetrievalRecommender lstm = LstmRecommenderFactory.ModelRecommender.retrieval(model, c, "lstm");
            List<Recommender> parts = List.of(lstm, new BuiltinFactories.ItemKnn().fit(c), new BuiltinFactories.Sknn().fit(c));
            BlendedRecommender r = BlendedRecommender.of("default", blend, parts, PopularityRecommender.global(c.train(), c.catalog()));
            return new LstmRecommenderFactory.ModelRecommender(r, lstm, model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        } finally {
            if (preRefit[0] != null) {
                preRefit[0].close();
            }
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
        long t0 = System.nanoTime();
        try (EmbeddingRetrievalRecommender lstm = LstmRecommenderFactory.ModelRecommender.retrieval(validationModel, v, "lstm")) {
            List<ItemScorer> parts = List.of(lstm, (ItemScorer) new BuiltinFactories.ItemKnn().fit(v),
                    (ItemScorer) new BuiltinFactories.Sknn().fit(v));
            LearnedBlend b = LearnedBlend.learn(PARTS, parts, cases, shortHistory, maxCases, c.seed());
            LOG.info("default: {} ({} s)", b, String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
            return b;
        }
    }
}
