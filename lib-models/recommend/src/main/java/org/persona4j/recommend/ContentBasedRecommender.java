package org.persona4j.recommend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.Item;
import org.persona4j.core.Reason;
import org.persona4j.core.ReasonKind;
import org.persona4j.core.RecommendationRequest;

/**
 * Content-based: each item is a bag of features (every category of its path, its brand, its
 * attributes and the words of its title), weighted by inverse document frequency. The user's
 * interest vector sums the features of the history items (recency decay 0.9 per step) and the
 * profile's interest scores whose names match a category or brand. An item scores the dot product
 * with its IDF-weighted features divided by the square root of its feature count. Items of the
 * catalogue that never occurred in events are ranked too (new items).
 */
public final class ContentBasedRecommender extends AbstractScoringRecommender {
    private static final double DECAY = 0.9;
    private static final int MAX_HISTORY = 50;

    private final String[] featureName;
    private final Map<String, Integer> featureIndex;
    private final float[] idf;
    private final int[][] featuresOf;
    private final int[][] itemsOf;

    private ContentBasedRecommender(ItemIndex idx, Catalog catalog, String[] featureName, Map<String, Integer> featureIndex,
                                    float[] idf, int[][] featuresOf, int[][] itemsOf) {
        super("content", idx, catalog);
        this.featureName = featureName;
        this.featureIndex = featureIndex;
        this.idf = idf;
        this.featuresOf = featuresOf;
        this.itemsOf = itemsOf;
    }

    /**
     * @param events training events (their items come first in the index)
     * @param catalog the catalogue with item attributes, may be empty (then nothing scores above 0)
     * @return the fitted recommender
     */
    public static ContentBasedRecommender fit(List<BehaviorEvent> events, Catalog catalog) {
        List<String> ids = new ArrayList<>(ItemIndex.fromEvents(events).ids());
        LinkedHashSet<String> known = new LinkedHashSet<>(ids);
        if (catalog != null) {
            catalog.items().stream().map(Item::id).filter(i -> !known.contains(i)).sorted().forEach(ids::add);
        }
        ItemIndex idx = ItemIndex.of(ids);
        Map<String, Integer> fi = new HashMap<>();
        List<String> names = new ArrayList<>();
        int[][] fo = new int[idx.size()][];
        List<Integer> df = new ArrayList<>();
        for (int i = 0; i < idx.size(); i++) {
            Item it = catalog == null ? null : catalog.item(idx.id(i)).orElse(null);
            LinkedHashSet<String> feats = features(it);
            int[] f = new int[feats.size()];
            int t = 0;
            for (String s : feats) {
                Integer k = fi.get(s);
                if (k == null) {
                    k = names.size();
                    fi.put(s, k);
                    names.add(s);
                    df.add(0);
                }
                df.set(k, df.get(k) + 1);
                f[t++] = k;
            }
            fo[i] = f;
        }
        float[] idf = new float[names.size()];
        int[] cnt = new int[names.size()];
        for (int k = 0; k < idf.length; k++) {
            idf[k] = (float) Math.log(1 + idx.size() / (double) df.get(k));
            cnt[k] = df.get(k);
        }
        int[][] io = new int[names.size()][];
        int[] fill = new int[names.size()];
        for (int k = 0; k < io.length; k++) {
            io[k] = new int[cnt[k]];
        }
        for (int i = 0; i < fo.length; i++) {
            for (int k : fo[i]) {
                io[k][fill[k]++] = i;
            }
        }
        return new ContentBasedRecommender(idx, catalog, names.toArray(new String[0]), fi, idf, fo, io);
    }

    static LinkedHashSet<String> features(Item it) {
        LinkedHashSet<String> f = new LinkedHashSet<>();
        if (it == null) {
            return f;
        }
        for (String c : it.categoryPath()) {
            f.add("category:" + c);
        }
        if (it.brand() != null) {
            f.add("brand:" + it.brand());
        }
        for (Map.Entry<String, String> a : it.attributes().entrySet()) {
            f.add("attribute:" + a.getKey() + "=" + a.getValue());
        }
        if (it.title() != null) {
            for (String w : it.title().toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                if (w.length() >= 3) {
                    f.add("word:" + w);
                }
            }
        }
        return f;
    }

    /** The user's interest weights by feature index. */
    private Map<Integer, Double> interests(RecommendationRequest r) {
        Map<Integer, Double> u = new HashMap<>();
        List<BehaviorEvent> h = r.history();
        double w = 1;
        int used = 0;
        for (int t = h.size() - 1; t >= 0 && used < MAX_HISTORY; t--) {
            int i = items.indexOf(h.get(t).itemId());
            if (i < 0) {
                continue;
            }
            for (int k : featuresOf[i]) {
                u.merge(k, w, Double::sum);
            }
            w *= DECAY;
            used++;
        }
        r.profile().ifPresent(p -> {
            for (Map.Entry<String, Double> e : p.interests().entrySet()) {
                String name = e.getKey();
                int colon = name.indexOf(':');
                String bare = colon >= 0 ? name.substring(colon + 1) : name;
                for (String f : new String[] {"category:" + bare, "brand:" + bare, name}) {
                    Integer k = featureIndex.get(f);
                    if (k != null) {
                        u.merge(k, e.getValue(), Double::sum);
                    }
                }
            }
        });
        return u;
    }

    @Override
    public void scoreAll(RecommendationRequest request, float[] out) {
        Arrays.fill(out, 0f);
        for (Map.Entry<Integer, Double> e : interests(request).entrySet()) {
            int k = e.getKey();
            float v = (float) (e.getValue() * idf[k] * idf[k]);
            for (int i : itemsOf[k]) {
                out[i] += v;
            }
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i] != 0) {
                out[i] /= (float) Math.sqrt(featuresOf[i].length);
            }
        }
    }

    @Override
    protected List<Reason> explain(RecommendationRequest request, int item, float score) {
        Map<Integer, Double> u = interests(request);
        int best = -1;
        double bestV = 0;
        for (int k : featuresOf[item]) {
            Double v = u.get(k);
            if (v != null && v * idf[k] > bestV) {
                bestV = v * idf[k];
                best = k;
            }
        }
        if (best < 0) {
            return List.of(Reason.of(ReasonKind.OTHER, "no known interest matches this item yet", "item", items.id(item)));
        }
        String f = featureName[best];
        String what = f.substring(f.indexOf(':') + 1);
        return List.of(Reason.of(ReasonKind.MATCHES_INTEREST, "matches your interest in " + what, "feature", f,
                "weight", (float) bestV, "score", score));
    }

    /** @return the number of distinct content features */
    public int featureCount() {
        return featureName.length;
    }

    /** Sorts feature names for tests and debugging. @return the feature names, sorted */
    public List<String> featureNames() {
        List<String> l = new ArrayList<>(Arrays.asList(featureName));
        l.sort(Comparator.naturalOrder());
        return l;
    }
}
