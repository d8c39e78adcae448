package org.persona4j.recommend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.Reason;
import org.persona4j.core.ReasonKind;
import org.persona4j.core.RecommendationRequest;

/**
 * Item-kNN on co-occurrence in user histories: {@code sim(i, j) = c(i, j) / (sqrt(n(i) n(j)) + shrink)}
 * (shrunk cosine over binary user vectors), where {@code c(i, j)} counts users whose histories hold
 * both items within {@code window} positions (0: anywhere). Each item keeps its {@code neighbours}
 * most similar items. A user's score for item j sums {@code decay^t sim(h_t, j)} over the last
 * {@code maxHistory} distinct items of the history, t = 0 for the most recent. Items with no
 * similarity fall back to popularity below every similar item.
 */
public final class ItemKnnRecommender extends AbstractScoringRecommender {

    /**
     * Hyper-parameters.
     *
     * @param neighbours neighbours kept per item, {@code >= 1}
     * @param shrink shrinkage added to the cosine denominator, {@code >= 0}
     * @param decay recency weight per step back in the history, in (0, 1]
     * @param window co-occurrence window in positions, 0 for the whole history
     * @param maxHistory distinct history items used at query time, {@code >= 1}
     */
    public record Config(int neighbours, double shrink, double decay, int window, int maxHistory) {
        /** Validates. @throws BadInputException naming the bad field */
        public Config {
            if (neighbours < 1) {
                throw new BadInputException("itemknn: field 'neighbours': expected >= 1, was " + neighbours);
            }
            if (!(shrink >= 0) || Double.isInfinite(shrink)) {
                throw new BadInputException("itemknn: field 'shrink': expected a finite number >= 0, was " + shrink);
            }
            if (!(decay > 0 && decay <= 1)) {
                throw new BadInputException("itemknn: field 'decay': expected (0, 1], was " + decay);
            }
            if (window < 0) {
                throw new BadInputException("itemknn: field 'window': expected >= 0, was " + window);
            }
            if (maxHistory < 1) {
                throw new BadInputException("itemknn: field 'maxHistory': expected >= 1, was " + maxHistory);
            }
        }

        /** @return the defaults tuned on the Beauty validation split: 300 neighbours, shrink 30, decay 0.7, window 5, 50 history items */
        public static Config defaults() {
            return new Config(300, 30, 0.7, 5, 50);
        }
    }

    private final Config config;
    private final int[][] nbr;
    private final float[][] sim;
    private final float[] popNorm;

    private ItemKnnRecommender(ItemIndex idx, Catalog catalog, Config config, int[][] nbr, float[][] sim, float[] popNorm) {
        super("itemknn", idx, catalog);
        this.config = config;
        this.nbr = nbr;
        this.sim = sim;
        this.popNorm = popNorm;
    }

    /**
     * @param events training events
     * @param catalog the catalogue, may be null
     * @param config hyper-parameters
     * @param threads fitting threads
     * @return the fitted recommender
     */
    public static ItemKnnRecommender fit(List<BehaviorEvent> events, Catalog catalog, Config config, int threads) {
        ItemIndex idx = ItemIndex.fromEvents(events);
        int n = idx.size();
        List<int[]> seqs = new ArrayList<>();
        for (List<BehaviorEvent> h : Histories.byUser(events).values()) {
            LinkedHashSet<Integer> distinct = new LinkedHashSet<>();
            for (BehaviorEvent e : h) {
                if (e.itemId() != null) {
                    distinct.add(idx.indexOf(e.itemId()));
                }
            }
            seqs.add(distinct.stream().mapToInt(Integer::intValue).toArray());
        }
        int[] cnt = new int[n];
        for (int[] s : seqs) {
            for (int i : s) {
                cnt[i]++;
            }
        }
        // inverted index: item -> (sequence, position) pairs
        int[][] occSeq = new int[n][];
        int[][] occPos = new int[n][];
        int[] fill = new int[n];
        for (int i = 0; i < n; i++) {
            occSeq[i] = new int[cnt[i]];
            occPos[i] = new int[cnt[i]];
        }
        for (int u = 0; u < seqs.size(); u++) {
            int[] s = seqs.get(u);
            for (int p = 0; p < s.length; p++) {
                int i = s[p];
                occSeq[i][fill[i]] = u;
                occPos[i][fill[i]++] = p;
            }
        }
        int[][] nbr = new int[n][];
        float[][] sim = new float[n][];
        int w = config.window();
        Parallel.forEach(threads, n, () -> new int[n], (co, i) -> {
            List<Integer> touched = new ArrayList<>();
            for (int o = 0; o < occSeq[i].length; o++) {
                int[] s = seqs.get(occSeq[i][o]);
                int p = occPos[i][o];
                int from = w == 0 ? 0 : Math.max(0, p - w);
                int to = w == 0 ? s.length : Math.min(s.length, p + w + 1);
                for (int q = from; q < to; q++) {
                    int j = s[q];
                    if (j != i) {
                        if (co[j] == 0) {
                            touched.add(j);
                        }
                        co[j]++;
                    }
                }
            }
            float[] cand = new float[touched.size()];
            int[] ids = new int[touched.size()];
            for (int t = 0; t < ids.length; t++) {
                int j = touched.get(t);
                ids[t] = j;
                cand[t] = (float) (co[j] / (Math.sqrt((double) cnt[i] * cnt[j]) + config.shrink()));
                co[j] = 0;
            }
            int[] top = TopK.select(cand, config.neighbours(), x -> true);
            nbr[i] = new int[top.length];
            sim[i] = new float[top.length];
            for (int t = 0; t < top.length; t++) {
                nbr[i][t] = ids[top[t]];
                sim[i][t] = cand[top[t]];
            }
        });
        return new ItemKnnRecommender(idx, catalog, config, nbr, sim, popularityShare(cnt));
    }

    static float[] popularityShare(int[] cnt) {
        int max = 1;
        for (int c : cnt) {
            max = Math.max(max, c);
        }
        float[] p = new float[cnt.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = cnt[i] / (float) (max + 1);
        }
        return p;
    }

    /** @return the configuration */
    public Config config() {
        return config;
    }

    /**
     * @param itemId an item
     * @return its neighbours with similarities, most similar first (empty for unknown items)
     */
    public Map<String, Float> neighbours(String itemId) {
        int i = items.indexOf(itemId);
        java.util.LinkedHashMap<String, Float> m = new java.util.LinkedHashMap<>();
        if (i >= 0) {
            for (int t = 0; t < nbr[i].length; t++) {
                m.put(items.id(nbr[i][t]), sim[i][t]);
            }
        }
        return m;
    }

    /** Recent distinct known items of the history, most recent first. */
    private int[] recent(RecommendationRequest r) {
        List<BehaviorEvent> h = r.history();
        LinkedHashSet<Integer> seen = new LinkedHashSet<>();
        for (int t = h.size() - 1; t >= 0 && seen.size() < config.maxHistory(); t--) {
            int i = items.indexOf(h.get(t).itemId());
            if (i >= 0) {
                seen.add(i);
            }
        }
        r.currentItem().ifPresent(c -> {
            int i = items.indexOf(c);
            if (i >= 0 && !seen.contains(i)) {
                seen.add(i);
            }
        });
        return seen.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public void scoreAll(RecommendationRequest request, float[] out) {
        Arrays.fill(out, 0f);
        int[] rec = recent(request);
        double wt = 1;
        for (int i : rec) {
            for (int t = 0; t < nbr[i].length; t++) {
                out[nbr[i][t]] += (float) (wt * sim[i][t]);
            }
            wt *= config.decay();
        }
        for (int j = 0; j < out.length; j++) {
            if (out[j] <= 0) {
                out[j] = popNorm[j] - 1f;
            }
        }
    }

    @Override
    protected List<Reason> explain(RecommendationRequest request, int item, float score) {
        if (score <= 0) {
            return List.of(Reason.of(ReasonKind.FALLBACK, "popular overall (nothing in your history is similar yet)",
                    "item", items.id(item)));
        }
        int best = -1;
        double bestW = 0;
        double wt = 1;
        for (int i : recent(request)) {
            for (int t = 0; t < nbr[i].length; t++) {
                if (nbr[i][t] == item && wt * sim[i][t] > bestW) {
                    bestW = wt * sim[i][t];
                    best = i;
                }
            }
            wt *= config.decay();
        }
        String src = best < 0 ? "your history" : items.id(best);
        return List.of(Reason.of(ReasonKind.SIMILAR_TO_HISTORY, "because you viewed " + (best < 0 ? src : label(src)),
                "item", src, "similarity", (float) bestW, "score", score));
    }
}
