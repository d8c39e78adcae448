package org.persona4j.models.train;

import org.persona4j.core.Recommender;
import org.persona4j.eval.BuiltinFactories;
import org.persona4j.eval.FitContext;
import org.persona4j.eval.RecommenderFactory;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.recommend.EmbeddingRetrievalRecommender;
import org.persona4j.recommend.HybridRecommender;
import org.persona4j.recommend.PopularityRecommender;

/**
 * {@code lstm-hybrid} for the evaluation harness: the deep profile model's embedding retrieval
 * ({@code lstm}, same options, {@code model=FILE} included) blended with item-kNN on normalised
 * scores, popularity for the rest. Options {@code lstm-weight} (default 0.5) and
 * {@code itemknn-weight} (default 1.0), plus the item-kNN options.
 */
public final class LstmHybridRecommenderFactory implements RecommenderFactory {
    /** Service constructor. */
    public LstmHybridRecommenderFactory() {
    }

    @Override
    public String name() {
        return "lstm-hybrid";
    }

    @Override
    public String description() {
        return "blend of lstm (lstm-weight 0.5) and itemknn (itemknn-weight 1.0) on normalised scores, popularity for the rest";
    }

    @Override
    public Recommender fit(FitContext c) {
        DeepProfileModel model = LstmRecommenderFactory.model(c);
        try {
            EmbeddingRetrievalRecommender lstm = LstmRecommenderFactory.ModelRecommender.retrieval(model, c, "lstm");
            HybridRecommender h = HybridRecommender.builder("lstm-hybrid")
                    .add(lstm, c.doubleOption("lstm-weight", 0.5))
                    .add(new BuiltinFactories.ItemKnn().fit(c), c.doubleOption("itemknn-weight", 1.0))
                    .fallback(PopularityRecommender.global(c.train(), c.catalog()))
                    .build();
            return new LstmRecommenderFactory.ModelRecommender(h, lstm, model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
