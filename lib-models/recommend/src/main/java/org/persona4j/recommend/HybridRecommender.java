package org.persona4j.recommend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Reason;
import org.persona4j.core.ReasonKind;
import org.persona4j.core.RecommendationRequest;

/**
 * Blends scoring recommenders and falls back for the rest. Each component's positive scores are
 * divided by its largest positive score (scores {@code <= 0}, the components' own back-offs, count
 * as no evidence); the blend is the weighted sum. Items with no evidence from any component (new
 * users, unseen items) are ranked below every blended item by the fallback (popularity by default).
 * The reasons are those of the component contributing most, then the next one's.
 */
public final class HybridRecommender extends AbstractScoringRecommender {
    private final List<AbstractScoringRecommender> parts;
    private final double[] weights;
    private final AbstractScoringRecommender fallback;
    /** For each part, the hybrid index of each of its items. */
    private final int[][] map;
    private final int[] fallbackMap;

    private HybridRecommender(String name, ItemIndex idx, List<AbstractScoringRecommender> parts, double[] weights,
                              AbstractScoringRecommender fallback) {
        super(name, idx, parts.isEmpty() ? fallback.catalog : parts.get(0).catalog);
        this.parts = List.copyOf(parts);
        this.weights = weights;
        this.fallback = fallback;
        this.map = new int[parts.size()][];
        for (int p = 0; p < parts.size(); p++) {
            map[p] = mapping(parts.get(p).itemIndex(), idx);
        }
        this.fallbackMap = fallback == null ? null : mapping(fallback.itemIndex(), idx);
    }

    private static int[] mapping(ItemIndex from, ItemIndex to) {
        int[] m = new int[from.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = to.indexOf(from.id(i));
        }
        return m;
    }

    /** @param name the hybrid's name @return a builder */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builder of a {@link HybridRecommender}. */
    public static final class Builder {
        private final String name;
        private final List<AbstractScoringRecommender> parts = new ArrayList<>();
        private final List<Double> weights = new ArrayList<>();
        private AbstractScoringRecommender fallback;

        private Builder(String name) {
            this.name = name;
        }

        /**
         * @param part a scoring recommender (every built-in recommender is one)
         * @param weight its weight, finite and {@code > 0}
         * @return this
         */
        public Builder add(org.persona4j.core.Recommender part, double weight) {
            return add(part, weight, false);
        }

        /** As {@link #add(org.persona4j.core.Recommender, double)}, optionally with weight 0 (a part that adds nothing). */
        Builder add(org.persona4j.core.Recommender part, double weight, boolean zeroAllowed) {
            if (zeroAllowed && weight == 0 && part instanceof AbstractScoringRecommender) {
                parts.add((AbstractScoringRecommender) part);
                weights.add(0.0);
                return this;
            }
            if (!(part instanceof AbstractScoringRecommender)) {
                throw new BadInputException("hybrid " + name + ": component " + (part == null ? "null" : part.name())
                        + " must be a scoring recommender (AbstractScoringRecommender)");
            }
            if (!(weight > 0) || Double.isInfinite(weight)) {
                throw new BadInputException("hybrid " + name + ": weight of " + part.name() + ": expected a finite number > 0, was " + weight);
            }
            parts.add((AbstractScoringRecommender) part);
            weights.add(weight);
            return this;
        }

        /** @param f the fallback for items without evidence @return this */
        public Builder fallback(org.persona4j.core.Recommender f) {
            if (!(f instanceof AbstractScoringRecommender)) {
                throw new BadInputException("hybrid " + name + ": the fallback must be a scoring recommender");
            }
            this.fallback = (AbstractScoringRecommender) f;
            return this;
        }

        /** @return the hybrid @throws BadInputException when it has no component and no fallback */
        public HybridRecommender build() {
            if (parts.isEmpty() && fallback == null) {
                throw new BadInputException("hybrid " + name + ": at least one component or a fallback is required");
            }
            LinkedHashSet<String> ids = new LinkedHashSet<>();
            parts.forEach(p -> ids.addAll(p.itemIndex().ids()));
            if (fallback != null) {
                ids.addAll(fallback.itemIndex().ids());
            }
            return new HybridRecommender(name, ItemIndex.of(new ArrayList<>(ids)), parts,
                    weights.stream().mapToDouble(Double::doubleValue).toArray(), fallback);
        }
    }

    private float[][] partScores(RecommendationRequest r) {
        float[][] s = new float[parts.size()][];
        for (int p = 0; p < parts.size(); p++) {
            s[p] = new float[parts.get(p).itemIndex().size()];
            if (weights[p] == 0) {
                continue; // a part kept at weight 0 adds nothing: not asked
            }
            parts.get(p).scoreAll(r, s[p]);
            float max = 0;
            for (float v : s[p]) {
                max = Math.max(max, v);
            }
            for (int i = 0; i < s[p].length; i++) {
                s[p][i] = s[p][i] > 0 ? (float) (weights[p] * s[p][i] / max) : 0f;
            }
        }
        return s;
    }

    @Override
    public void scoreAll(RecommendationRequest request, float[] out) {
        Arrays.fill(out, 0f);
        float[][] s = partScores(request);
        for (int p = 0; p < s.length; p++) {
            for (int i = 0; i < s[p].length; i++) {
                out[map[p][i]] += s[p][i];
            }
        }
        float[] fb = null;
        float fbMax = 0;
        if (fallback != null) {
            fb = new float[fallback.itemIndex().size()];
            fallback.scoreAll(request, fb);
            for (float v : fb) {
                fbMax = Math.max(fbMax, v);
            }
        }
        float[] back = new float[out.length];
        if (fb != null) {
            for (int i = 0; i < fb.length; i++) {
                back[fallbackMap[i]] = fbMax > 0 && fb[i] > 0 ? fb[i] / (fbMax * 1.0001f) : 0f;
            }
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i] <= 0) {
                out[i] = back[i] - 1f;
            }
        }
    }

    @Override
    protected List<Reason> explain(RecommendationRequest request, int item, float score) {
        String id = items.id(item);
        if (score <= 0) {
            List<Reason> r = new ArrayList<>();
            if (fallback != null) {
                int fi = fallback.itemIndex().indexOf(id);
                if (fi >= 0) {
                    float[] fb = new float[fallback.itemIndex().size()];
                    fallback.scoreAll(request, fb);
                    Reason inner = fallback.explain(request, fi, fb[fi]).get(0);
                    r.add(Reason.of(ReasonKind.FALLBACK, "fallback (" + fallback.name() + "): " + inner.text(), "item", id));
                    r.add(inner);
                }
            }
            if (r.isEmpty()) {
                r.add(Reason.of(ReasonKind.FALLBACK, "fallback: no evidence for this item yet", "item", id));
            }
            return r;
        }
        float[][] s = partScores(request);
        List<Reason> out = new ArrayList<>();
        Integer[] order = new Integer[parts.size()];
        float[] contrib = new float[parts.size()];
        int[] local = new int[parts.size()];
        for (int p = 0; p < parts.size(); p++) {
            order[p] = p;
            local[p] = parts.get(p).itemIndex().indexOf(id);
            contrib[p] = local[p] >= 0 ? s[p][local[p]] : 0f;
        }
        Arrays.sort(order, (a, b) -> Float.compare(contrib[b], contrib[a]));
        for (int p : order) {
            if (contrib[p] > 0 && out.size() < 2) {
                AbstractScoringRecommender part = parts.get(p);
                float[] raw = new float[part.itemIndex().size()];
                part.scoreAll(request, raw);
                out.add(part.explain(request, local[p], raw[local[p]]).get(0));
            }
        }
        return out;
    }
}
