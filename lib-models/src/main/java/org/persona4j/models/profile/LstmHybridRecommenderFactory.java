package org.persona4j.models.profile;

import java.util.List;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.core.Recommender;
import org.persona4j.eval.BuiltinFactories;
import org.persona4j.eval.FitContext;
import org.persona4j.eval.RecommenderFactory;
import org.persona4j.recommend.EmbeddingRetrievalRecommender;
import org.persona4j.recommend.HybridRecommender;
import org.persona4j.recommend.ItemIndex;
import org.persona4j.recommend.ItemScorer;
import org.persona4j.recommend.PopularityRecommender;

/**
 * {@code lstm-hybrid} for the evaluation harness: the deep profile model's embedding retrieval
 * ({@code lstm}, same options, {@code model=FILE} included) blended with item-kNN on normalised
 * scores, popularity for the rest. Options {@code lstm-weight} (default 0.5) and
 * {@code itemknn-weight} (1.0; the defaults were chosen on the Amazon Beauty validation cases),
 * plus the item-kNN options.
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
            EmbeddingRetrievalRecommender lstm = EmbeddingRetrievalRecommender.builder(model, model.itemIds())
                    .catalog(c.catalog()).name("lstm").build();
            HybridRecommender h = HybridRecommender.builder("lstm-hybrid")
                    .add(lstm, c.doubleOption("lstm-weight", 0.5))
                    .add(new BuiltinFactories.ItemKnn().fit(c), c.doubleOption("itemknn-weight", 1.0))
                    .fallback(PopularityRecommender.global(c.train(), c.catalog()))
                    .build();
            return new Owning(h, lstm, model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The hybrid, closing the retrieval index and the model it owns. */
    private static final class Owning implements Recommender, ItemScorer, AutoCloseable {
        private final HybridRecommender inner;
        private final EmbeddingRetrievalRecommender lstm;
        private final DeepProfileModel model;

        Owning(HybridRecommender inner, EmbeddingRetrievalRecommender lstm, DeepProfileModel model) {
            this.inner = inner;
            this.lstm = lstm;
            this.model = model;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public List<Recommendation> recommend(RecommendationRequest request) {
            return inner.recommend(request);
        }

        @Override
        public ItemIndex itemIndex() {
            return inner.itemIndex();
        }

        @Override
        public void scoreAll(RecommendationRequest request, float[] out) {
            inner.scoreAll(request, out);
        }

        @Override
        public void close() {
            lstm.close();
            model.close();
        }
    }
}
