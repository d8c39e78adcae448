package org.persona4j.recommend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.ProfileModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the SDK serves by default: the profile model's embedding retrieval blended with item-kNN
 * and session-kNN, popularity for what none of them scores, with the weights the trainer learned
 * on the validation cases of the host's own data and wrote into the model artifact
 * ({@code "blend"} in its manifest; {@link LearnedBlend}). {@code evaluate --recommenders default}
 * evaluates exactly this.
 *
 * <pre>{@code
 * Recommender r = DefaultRecommender.builder(model, model.itemIds(), events, catalog)
 *         .manifest(model.manifestJson()).build();
 * }</pre>
 *
 * <p>A model without a learned blend (trained before it existed, or with the blend turned off) is
 * served with {@link #FALLBACK_BLEND} and a warning.
 */
public final class DefaultRecommender {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultRecommender.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The recommender's name. */
    public static final String NAME = "default";
    /** The manifest key of the learned blend. */
    public static final String MANIFEST_KEY = "blend";
    /** The parts of the blend, in the order of its weights. */
    public static final List<String> PARTS = List.of("lstm", "itemknn", "sknn");
    /**
     * The weights without a learned blend: lstm 0.5, item-kNN 1, session-kNN 0 for every history
     * (the {@code lstm-hybrid} weights, chosen once on Beauty's validation cases).
     */
    public static final LearnedBlend FALLBACK_BLEND = new LearnedBlend(PARTS, LearnedBlend.SHORT_HISTORY, new double[] {0.5, 1, 0},
            new double[] {0.5, 1, 0}, 0, 0, Map.of());

    private DefaultRecommender() {
    }

    /**
     * @param model the profile model (its user embedding ranks the items)
     * @param itemIds the items the model scores, in its output order
     * @param events the events the kNN parts and popularity are fitted on
     * @param catalog the catalogue, or null
     * @return a builder
     */
    public static Builder builder(ProfileModel model, List<String> itemIds, List<BehaviorEvent> events, Catalog catalog) {
        return new Builder(model, itemIds, events, catalog);
    }

    /**
     * The learned blend in a model manifest.
     *
     * @param manifestJson the manifest (a model artifact's {@code manifest.json})
     * @return the blend, or empty when the manifest has none
     * @throws BadInputException when the manifest is not JSON or its blend is malformed
     */
    @SuppressWarnings("unchecked")
    public static Optional<LearnedBlend> blendOf(String manifestJson) {
        if (manifestJson == null || manifestJson.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode b = JSON.readTree(manifestJson).get(MANIFEST_KEY);
            if (b == null || b.isNull()) {
                return Optional.empty();
            }
            return Optional.of(LearnedBlend.fromMap(JSON.convertValue(b, Map.class)));
        } catch (JsonProcessingException e) {
            throw new BadInputException("default recommender: the model manifest is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Builds the default recommender. */
    public static final class Builder {
        private final ProfileModel model;
        private final List<String> itemIds;
        private final List<BehaviorEvent> events;
        private final Catalog catalog;
        private LearnedBlend blend;
        private ApproximateIndex.Spec ann;
        private int threads = 1;
        private ItemKnnRecommender.Config itemKnn = ItemKnnRecommender.Config.defaults();
        private SessionKnnRecommender.Config sessionKnn = SessionKnnRecommender.Config.defaults();

        private Builder(ProfileModel model, List<String> itemIds, List<BehaviorEvent> events, Catalog catalog) {
            if (model == null || itemIds == null || events == null) {
                throw new BadInputException("default recommender: model, itemIds and events are required");
            }
            this.model = model;
            this.itemIds = itemIds;
            this.events = events;
            this.catalog = catalog == null ? new InMemoryCatalog() : catalog;
        }

        /** @param b the blend to serve (overrides the manifest's) @return this */
        public Builder blend(LearnedBlend b) {
            if (b != null && !b.parts().equals(PARTS)) {
                throw new BadInputException("default recommender: the blend's parts must be " + PARTS + ", were " + b.parts());
            }
            this.blend = b;
            return this;
        }

        /** @param manifestJson a model manifest whose learned blend to serve, when it has one @return this */
        public Builder manifest(String manifestJson) {
            blendOf(manifestJson).ifPresent(this::blend);
            return this;
        }

        /**
         * @param p the approximate index for the model's retrieval ({@link IvfVectorIndex.Params} or
         *     {@link HnswVectorIndex.Params}), or null for exact search (the default)
         * @return this
         */
        public Builder ann(ApproximateIndex.Spec p) {
            this.ann = p;
            return this;
        }

        /** @param n threads fitting item-kNN, {@code >= 1} @return this */
        public Builder threads(int n) {
            if (n < 1) {
                throw new BadInputException("default recommender: threads must be >= 1, was " + n);
            }
            this.threads = n;
            return this;
        }

        /** @param c item-kNN settings @return this */
        public Builder itemKnn(ItemKnnRecommender.Config c) {
            this.itemKnn = c;
            return this;
        }

        /** @param c session-kNN settings @return this */
        public Builder sessionKnn(SessionKnnRecommender.Config c) {
            this.sessionKnn = c;
            return this;
        }

        /** @return the recommender (close it: it holds the retrieval index) */
        public BlendedRecommender build() {
            LearnedBlend b = blend;
            if (b == null) {
                LOG.warn("default recommender: the model carries no learned blend; serving the fallback weights {}", FALLBACK_BLEND);
                b = FALLBACK_BLEND;
            }
            EmbeddingRetrievalRecommender.Builder rb = EmbeddingRetrievalRecommender.builder(model, itemIds).catalog(catalog)
                    .name(PARTS.get(0));
            if (ann != null) {
                rb.ann(ann);
            }
            EmbeddingRetrievalRecommender lstm = rb.build();
            try {
                List<org.persona4j.core.Recommender> parts = List.of(lstm, ItemKnnRecommender.fit(events, catalog, itemKnn, threads),
                        SessionKnnRecommender.fit(events, catalog, sessionKnn));
                return BlendedRecommender.of(NAME, b, parts, PopularityRecommender.global(events, catalog));
            } catch (RuntimeException e) {
                lstm.close();
                throw e;
            }
        }
    }
}
