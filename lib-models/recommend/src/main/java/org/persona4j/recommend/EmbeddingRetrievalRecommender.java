package org.persona4j.recommend;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.ProfileModel;
import org.persona4j.core.Reason;
import org.persona4j.core.ReasonKind;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.core.UserProfile;

/**
 * Retrieval by profile embedding over any {@link ProfileModel}: the user embedding (from the
 * request's profile when its dimension matches, else computed by the model from the history) is
 * scored against every item embedding by dot product. Exact search by default; with an
 * approximate index ({@link Builder#ann}: IVF or HNSW) {@link #recommend} over-fetches approximate
 * candidates, re-scores them exactly and applies the filters, falling back to exact search when too
 * few survive. Full-ranking evaluation ({@link #scoreAll}) is always exact. Close it to release the
 * index (the model is not closed).
 */
public final class EmbeddingRetrievalRecommender extends AbstractScoringRecommender implements AutoCloseable {
    private final ProfileModel model;
    private final ExactVectorIndex exact;
    private final ApproximateIndex ann;

    private EmbeddingRetrievalRecommender(String name, ItemIndex idx, Catalog catalog, ProfileModel model,
                                          ExactVectorIndex exact, ApproximateIndex ann) {
        super(name, idx, catalog);
        this.model = model;
        this.exact = exact;
        this.ann = ann;
    }

    /**
     * @param model the profile model (not closed by this recommender)
     * @param itemIds candidate items; those the model has no embedding for are skipped
     * @return a builder
     */
    public static Builder builder(ProfileModel model, List<String> itemIds) {
        return new Builder(model, itemIds);
    }

    /** Builder of an {@link EmbeddingRetrievalRecommender}. */
    public static final class Builder {
        private final ProfileModel model;
        private final List<String> itemIds;
        private Catalog catalog;
        private String name = "embedding";
        private ApproximateIndex.Spec annParams;

        private Builder(ProfileModel model, List<String> itemIds) {
            if (model == null || itemIds == null) {
                throw new BadInputException("embedding retrieval: model and item ids are required");
            }
            this.model = model;
            this.itemIds = List.copyOf(itemIds);
        }

        /** @param c the catalogue for filters and labels @return this */
        public Builder catalog(Catalog c) {
            this.catalog = c;
            return this;
        }

        /** @param n the name in reports @return this */
        public Builder name(String n) {
            this.name = n;
            return this;
        }

        /**
         * @param params the approximate index for {@link #recommend} ({@link IvfVectorIndex.Params} or
         *     {@link HnswVectorIndex.Params}), or null for exact search only
         * @return this
         */
        public Builder ann(ApproximateIndex.Spec params) {
            this.annParams = params;
            return this;
        }

        /** @return the recommender (builds the approximate index when asked) */
        public EmbeddingRetrievalRecommender build() {
            int dim = model.embeddingSize();
            List<String> kept = new ArrayList<>();
            float[] m = new float[itemIds.size() * dim];
            Set<String> dup = new HashSet<>();
            for (String id : itemIds) {
                if (!dup.add(id)) {
                    continue;
                }
                Optional<float[]> v = model.itemEmbedding(id);
                if (v.isPresent() && v.get().length == dim) {
                    System.arraycopy(v.get(), 0, m, kept.size() * dim, dim);
                    kept.add(id);
                }
            }
            float[] matrix = java.util.Arrays.copyOf(m, kept.size() * dim);
            ExactVectorIndex ex = new ExactVectorIndex(matrix, dim);
            ApproximateIndex h = annParams == null || kept.isEmpty() ? null : annParams.build(matrix, dim);
            return new EmbeddingRetrievalRecommender(name, ItemIndex.of(kept), catalog, model, ex, h);
        }
    }

    /** @return whether an approximate index serves {@link #recommend} */
    public boolean usesAnn() {
        return ann != null;
    }

    private float[] userVector(RecommendationRequest r) {
        Optional<UserProfile> p = r.profile();
        if (p.isPresent() && p.get().embeddingSize() == exact.dim()) {
            return p.get().embedding();
        }
        UserProfile prof = model.profile(r.userId().orElse("anonymous"), r.history());
        float[] e = prof.embedding();
        return e.length == exact.dim() ? e : new float[exact.dim()];
    }

    @Override
    public void scoreAll(RecommendationRequest request, float[] out) {
        exact.scoreAll(userVector(request), out);
    }

    @Override
    public List<Recommendation> recommend(RecommendationRequest request) {
        if (request == null) {
            throw new BadInputException(name() + ": request must not be null");
        }
        if (ann == null || items.size() == 0) {
            return super.recommend(request);
        }
        float[] u = userVector(request);
        Set<String> seen = seenItems(request);
        int fetch = request.k() + (request.excludeSeen() ? seen.size() : 0) + request.excludeItems().size() + 10;
        for (int attempt = 0; attempt < 3 && fetch <= items.size() * 2; attempt++, fetch *= 4) {
            int[] cand = ann.search(u, Math.min(fetch, items.size()));
            float[] s = new float[cand.length];
            List<Integer> ok = new ArrayList<>();
            for (int c = 0; c < cand.length; c++) {
                String id = items.id(cand[c]);
                if (request.admits(id, catalog.item(id).orElse(null), seen)) {
                    s[c] = exact.dot(u, cand[c]);
                    ok.add(c);
                }
            }
            if (ok.size() >= request.k() || cand.length >= items.size()) {
                ok.sort((a, b) -> s[a] != s[b] ? Float.compare(s[b], s[a]) : Integer.compare(cand[a], cand[b]));
                List<Recommendation> out = new ArrayList<>();
                for (int t = 0; t < Math.min(request.k(), ok.size()); t++) {
                    int c = ok.get(t);
                    out.add(new Recommendation(items.id(cand[c]), s[c], explain(request, cand[c], s[c])));
                }
                return out;
            }
        }
        return super.recommend(request);
    }

    /**
     * The answer of exact search for the request, as {@link #recommend} gives without an approximate
     * index: the reference to measure the index's recall against. Costs a scan of every item.
     *
     * @param request the request
     * @return the top items with their reasons
     */
    public List<Recommendation> recommendExact(RecommendationRequest request) {
        return super.recommend(request); // which refuses a null request
    }

    @Override
    protected List<Reason> explain(RecommendationRequest request, int item, float score) {
        List<Reason> out = new ArrayList<>();
        out.add(Reason.of(ReasonKind.PROFILE_MATCH, "close to your taste profile", "score", score, "model", model.version()));
        float[] target = new float[exact.dim()];
        exact.vector(item, target);
        List<BehaviorEvent> h = request.history();
        String best = null;
        float bestSim = 0;
        for (int t = h.size() - 1, n = 0; t >= 0 && n < 20; t--, n++) {
            int i = items.indexOf(h.get(t).itemId());
            if (i >= 0 && i != item) {
                float s = exact.dot(target, i);
                if (s > bestSim) { // only positive similarity is a reason; a negative one argues against
                    best = items.id(i);
                    bestSim = s;
                }
            }
        }
        if (best != null) {
            out.add(Reason.of(ReasonKind.SIMILAR_TO_HISTORY, "because you viewed " + label(best), "item", best,
                    "similarity", bestSim));
        }
        return out;
    }

    @Override
    public void close() {
        if (ann != null) {
            ann.close();
        }
    }
}
