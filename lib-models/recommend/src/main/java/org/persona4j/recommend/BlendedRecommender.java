package org.persona4j.recommend;

import java.util.ArrayList;
import java.util.List;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Reason;
import org.persona4j.core.ReasonKind;
import org.persona4j.core.RecommendationRequest;

/**
 * A {@link HybridRecommender} whose weights come from a {@link LearnedBlend}: one hybrid for short
 * histories and one for long ones, over the same parts and fallback. Closing it closes the parts
 * that are {@link AutoCloseable}. Every recommendation's reasons
 * end with the blend that ranked it ("blend learned on 4,960 validation users: lstm 1, itemknn 0.5,
 * sknn 0.25 (histories of more than 5 events)").
 */
public final class BlendedRecommender extends AbstractScoringRecommender implements AutoCloseable {
    private final LearnedBlend blend;
    private final HybridRecommender shortOne;
    private final HybridRecommender longOne;
    private final List<? extends org.persona4j.core.Recommender> parts;

    private BlendedRecommender(String name, LearnedBlend blend, HybridRecommender shortOne, HybridRecommender longOne,
                               List<? extends org.persona4j.core.Recommender> parts) {
        super(name, shortOne.itemIndex(), shortOne.catalog);
        this.blend = blend;
        this.shortOne = shortOne;
        this.longOne = longOne;
        this.parts = List.copyOf(parts);
    }

    /**
     * @param name the recommender's name
     * @param blend the learned weights; its part names must match {@code parts}' order
     * @param parts the scorers, one per part of the blend
     * @param fallback ranks what no part scores (popularity), or null
     * @return the recommender
     */
    public static BlendedRecommender of(String name, LearnedBlend blend, List<? extends org.persona4j.core.Recommender> parts,
                                        org.persona4j.core.Recommender fallback) {
        if (blend == null || parts == null || parts.size() != blend.parts().size()) {
            throw new BadInputException("blended recommender " + name + ": one part per weight of the blend is required ("
                    + (blend == null ? "no blend" : blend.parts()) + ", " + (parts == null ? 0 : parts.size()) + " parts)");
        }
        return new BlendedRecommender(name, blend, hybrid(name, parts, blend.shortWeights(), fallback),
                hybrid(name, parts, blend.longWeights(), fallback), parts);
    }

    private static HybridRecommender hybrid(String name, List<? extends org.persona4j.core.Recommender> parts, double[] w,
                                            org.persona4j.core.Recommender fallback) {
        HybridRecommender.Builder b = HybridRecommender.builder(name);
        for (int p = 0; p < parts.size(); p++) {
            // a zero weight keeps the part (so both hybrids share one item index) but it adds nothing
            b.add(parts.get(p), w[p], true);
        }
        if (fallback != null) {
            b.fallback(fallback);
        }
        return b.build();
    }

    /** @return the weights in use */
    public LearnedBlend blend() {
        return blend;
    }

    private HybridRecommender pick(RecommendationRequest r) {
        return r.history().size() <= blend.shortHistory() ? shortOne : longOne;
    }

    @Override
    public void scoreAll(RecommendationRequest request, float[] out) {
        pick(request).scoreAll(request, out);
    }

    @Override
    protected List<Reason> explain(RecommendationRequest request, int item, float score) {
        List<Reason> out = new ArrayList<>(pick(request).explain(request, item, score));
        int n = request.history().size();
        boolean isShort = n <= blend.shortHistory();
        int cases = blend.shortCases() + blend.longCases();
        out.add(Reason.of(ReasonKind.OTHER, (cases > 0 ? "blend learned on " + cases + " validation users: "
                : "blend with fixed weights (none learned): ") + blend.describe(n)
                + (isShort ? " (histories of at most " : " (histories of more than ") + blend.shortHistory() + " events)",
                "blend", blend.describe(n)));
        return out;
    }

    /** Closes the parts that hold resources (the retrieval index). */
    @Override
    public void close() {
        for (org.persona4j.core.Recommender p : parts) {
            if (p instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing part " + p.name() + " of " + name() + " failed", e);
                }
            }
        }
    }
}
