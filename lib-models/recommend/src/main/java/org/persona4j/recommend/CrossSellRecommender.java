package org.persona4j.recommend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.EventType;
import org.persona4j.core.Reason;
import org.persona4j.core.ReasonKind;
import org.persona4j.core.RecommendationRequest;

/**
 * Cross-sell rules {@code A -> B} mined from baskets: the items a user put in the cart or bought in
 * one session (session id, else 30 minutes of inactivity). A rule is kept when its pair occurs in at
 * least {@code minCount} baskets and its confidence {@code P(B | A)} reaches {@code minConfidence};
 * support, confidence and lift ({@code confidence / P(B)}) are kept for the reasons. The antecedents
 * of a request are its cart, else its current item, else the last 5 items bought or carted in its
 * history; an item scores the summed confidence of the rules that lead to it.
 */
public final class CrossSellRecommender extends AbstractScoringRecommender {

    /**
     * Mining thresholds.
     *
     * @param minCount baskets holding the pair, {@code >= 1}
     * @param minConfidence in [0, 1]
     * @param maxBasket items of a basket considered (larger baskets are truncated), {@code >= 2}
     */
    public record Config(int minCount, double minConfidence, int maxBasket) {
        /** Validates. @throws BadInputException naming the bad field */
        public Config {
            if (minCount < 1) {
                throw new BadInputException("cross-sell: field 'minCount': expected >= 1, was " + minCount);
            }
            if (!(minConfidence >= 0 && minConfidence <= 1)) {
                throw new BadInputException("cross-sell: field 'minConfidence': expected [0, 1], was " + minConfidence);
            }
            if (maxBasket < 2) {
                throw new BadInputException("cross-sell: field 'maxBasket': expected >= 2, was " + maxBasket);
            }
        }

        /** @return min count 2, min confidence 0.01, baskets of up to 50 items */
        public static Config defaults() {
            return new Config(2, 0.01, 50);
        }
    }

    /**
     * One mined rule.
     *
     * @param antecedent A
     * @param consequent B
     * @param support share of baskets holding both
     * @param confidence P(B | A)
     * @param lift confidence / P(B)
     */
    public record Rule(String antecedent, String consequent, double support, double confidence, double lift) {
    }

    private final int[][] to;
    private final float[][] conf;
    private final float[][] lift;
    private final float[][] support;
    private final int baskets;

    private CrossSellRecommender(ItemIndex idx, Catalog catalog, int[][] to, float[][] conf, float[][] lift,
                                 float[][] support, int baskets) {
        super("crosssell", idx, catalog);
        this.to = to;
        this.conf = conf;
        this.lift = lift;
        this.support = support;
        this.baskets = baskets;
    }

    private static boolean basketEvent(BehaviorEvent e) {
        return e.type() == EventType.PURCHASE || e.type() == EventType.ADD_TO_CART;
    }

    /**
     * @param events training events (only cart and purchase events form baskets)
     * @param catalog the catalogue, may be null
     * @param config thresholds
     * @return the mined rules as a recommender
     */
    public static CrossSellRecommender fit(List<BehaviorEvent> events, Catalog catalog, Config config) {
        List<BehaviorEvent> be = new ArrayList<>();
        for (BehaviorEvent e : events) {
            if (basketEvent(e) && e.itemId() != null) {
                be.add(e);
            }
        }
        ItemIndex idx = ItemIndex.fromEvents(be);
        int n = idx.size();
        int[] single = new int[n];
        Map<Long, Integer> pairs = new HashMap<>();
        int nb = 0;
        for (List<BehaviorEvent> s : Histories.sessions(be, 30 * 60_000L)) {
            LinkedHashSet<Integer> b = new LinkedHashSet<>();
            for (BehaviorEvent e : s) {
                if (b.size() < config.maxBasket()) {
                    b.add(idx.indexOf(e.itemId()));
                }
            }
            nb++;
            int[] a = b.stream().mapToInt(Integer::intValue).toArray();
            for (int i : a) {
                single[i]++;
            }
            for (int x = 0; x < a.length; x++) {
                for (int y = 0; y < a.length; y++) {
                    if (x != y) {
                        pairs.merge(((long) a[x] << 32) | a[y], 1, Integer::sum);
                    }
                }
            }
        }
        List<List<float[]>> rules = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rules.add(new ArrayList<>());
        }
        long[] keys = pairs.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        for (long key : keys) {
            int c = pairs.get(key);
            int a = (int) (key >>> 32);
            int b = (int) key;
            double cf = c / (double) single[a];
            if (c >= config.minCount() && cf >= config.minConfidence()) {
                double lf = cf / (single[b] / (double) nb);
                rules.get(a).add(new float[] {b, (float) cf, (float) lf, (float) (c / (double) nb)});
            }
        }
        int[][] to = new int[n][];
        float[][] conf = new float[n][];
        float[][] lift = new float[n][];
        float[][] sup = new float[n][];
        for (int i = 0; i < n; i++) {
            List<float[]> r = rules.get(i);
            r.sort((x, y) -> x[1] != y[1] ? Float.compare(y[1], x[1]) : Float.compare(x[0], y[0]));
            to[i] = new int[r.size()];
            conf[i] = new float[r.size()];
            lift[i] = new float[r.size()];
            sup[i] = new float[r.size()];
            for (int t = 0; t < r.size(); t++) {
                to[i][t] = (int) r.get(t)[0];
                conf[i][t] = r.get(t)[1];
                lift[i][t] = r.get(t)[2];
                sup[i][t] = r.get(t)[3];
            }
        }
        return new CrossSellRecommender(idx, catalog, to, conf, lift, sup, nb);
    }

    /**
     * @param itemId the antecedent
     * @return its rules, highest confidence first (empty for unknown items)
     */
    public List<Rule> rules(String itemId) {
        int i = items.indexOf(itemId);
        List<Rule> out = new ArrayList<>();
        if (i >= 0) {
            for (int t = 0; t < to[i].length; t++) {
                out.add(new Rule(itemId, items.id(to[i][t]), support[i][t], conf[i][t], lift[i][t]));
            }
        }
        return out;
    }

    /** @return the number of baskets mined */
    public int baskets() {
        return baskets;
    }

    private int[] antecedents(RecommendationRequest r) {
        LinkedHashSet<Integer> a = new LinkedHashSet<>();
        for (String c : r.cart()) {
            int i = items.indexOf(c);
            if (i >= 0) {
                a.add(i);
            }
        }
        if (a.isEmpty()) {
            r.currentItem().ifPresent(c -> {
                int i = items.indexOf(c);
                if (i >= 0) {
                    a.add(i);
                }
            });
        }
        if (a.isEmpty()) {
            List<BehaviorEvent> h = r.history();
            for (int t = h.size() - 1; t >= 0 && a.size() < 5; t--) {
                if (basketEvent(h.get(t))) {
                    int i = items.indexOf(h.get(t).itemId());
                    if (i >= 0) {
                        a.add(i);
                    }
                }
            }
        }
        return a.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public void scoreAll(RecommendationRequest request, float[] out) {
        Arrays.fill(out, 0f);
        for (int a : antecedents(request)) {
            for (int t = 0; t < to[a].length; t++) {
                out[to[a][t]] += conf[a][t];
            }
        }
    }

    @Override
    public List<org.persona4j.core.Recommendation> recommend(RecommendationRequest request) {
        List<org.persona4j.core.Recommendation> all = super.recommend(request);
        List<org.persona4j.core.Recommendation> out = new ArrayList<>();
        for (org.persona4j.core.Recommendation r : all) {
            if (r.score() > 0) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    protected List<Reason> explain(RecommendationRequest request, int item, float score) {
        int bestA = -1;
        int bestT = -1;
        for (int a : antecedents(request)) {
            for (int t = 0; t < to[a].length; t++) {
                if (to[a][t] == item && (bestA < 0 || conf[a][t] > conf[bestA][bestT])) {
                    bestA = a;
                    bestT = t;
                }
            }
        }
        if (bestA < 0) {
            return List.of(Reason.of(ReasonKind.OTHER, "no rule leads to this item", "item", items.id(item)));
        }
        String w = items.id(bestA);
        String where = request.cart().contains(w) ? " in your cart" : "";
        return List.of(Reason.of(ReasonKind.BOUGHT_TOGETHER, "often bought with " + label(w) + where, "item", w,
                "support", support[bestA][bestT], "confidence", conf[bestA][bestT], "lift", lift[bestA][bestT]));
    }
}
