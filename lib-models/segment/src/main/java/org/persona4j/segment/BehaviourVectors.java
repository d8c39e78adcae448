package org.persona4j.segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.EventType;
import org.persona4j.core.Item;
import org.persona4j.core.UserProfile;

/**
 * The behaviour-vector fallback for segmenting without a profile model: per user, a normalised
 * histogram of event weight over top-level categories, over the most frequent brands and over
 * three price bands (catalogue price tertiles), the three blocks scaled by
 * {@code sqrt(1)}, {@code sqrt(0.5)} and {@code sqrt(0.5)}. Event weights: purchase 3, add to cart
 * and favourite 2, anything else 1. The vocabularies and price cut points are fitted once
 * ({@link #fit}) and then frozen, so later users map to the same dimensions. Immutable.
 */
public final class BehaviourVectors {
    private final List<String> categories;
    private final List<String> brands;
    private final double[] priceCuts;
    private final Map<String, Integer> catIndex = new HashMap<>();
    private final Map<String, Integer> brandIndex = new HashMap<>();

    private BehaviourVectors(List<String> categories, List<String> brands, double[] priceCuts) {
        this.categories = List.copyOf(categories);
        this.brands = List.copyOf(brands);
        this.priceCuts = priceCuts;
        for (int i = 0; i < this.categories.size(); i++) {
            catIndex.put(this.categories.get(i), i);
        }
        for (int i = 0; i < this.brands.size(); i++) {
            brandIndex.put(this.brands.get(i), i);
        }
    }

    /**
     * @param events training events
     * @param catalog the catalogue (items without a category or brand add nothing to those blocks)
     * @param maxBrands the number of most frequent brands kept
     * @return the fitted vocabularies
     */
    public static BehaviourVectors fit(Iterable<BehaviorEvent> events, Catalog catalog, int maxBrands) {
        if (maxBrands < 0) {
            throw new BadInputException("BehaviourVectors: field 'maxBrands': expected >= 0, was " + maxBrands);
        }
        Map<String, Long> cats = new HashMap<>();
        Map<String, Long> brands = new HashMap<>();
        for (BehaviorEvent e : events) {
            Item it = e.itemId() == null ? null : catalog.item(e.itemId()).orElse(null);
            if (it == null) {
                continue;
            }
            if (it.topCategory() != null) {
                cats.merge(it.topCategory(), 1L, Long::sum);
            }
            if (it.brand() != null) {
                brands.merge(it.brand(), 1L, Long::sum);
            }
        }
        List<String> c = new ArrayList<>(cats.keySet());
        c.sort(null);
        List<String> b = new ArrayList<>(brands.keySet());
        b.sort((x, y) -> brands.get(y).equals(brands.get(x)) ? x.compareTo(y) : Long.compare(brands.get(y), brands.get(x)));
        b = new ArrayList<>(b.subList(0, Math.min(maxBrands, b.size())));
        double[] prices = catalog.items().stream().mapToDouble(Item::price).filter(p -> !Double.isNaN(p)).sorted().toArray();
        double[] cuts = prices.length == 0 ? new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY}
                : new double[] {prices[prices.length / 3], prices[2 * prices.length / 3]};
        return new BehaviourVectors(c, b, cuts);
    }

    /** @return the vector dimension */
    public int dimension() {
        return categories.size() + brands.size() + 3;
    }

    /** @return the top-level categories of the first block, in dimension order */
    public List<String> categories() {
        return categories;
    }

    /** @param d a dimension @return its readable name ("category Beauty", "brand Acme", "price band low") */
    public String dimensionName(int d) {
        if (d < categories.size()) {
            return "category " + categories.get(d);
        }
        d -= categories.size();
        if (d < brands.size()) {
            return "brand " + brands.get(d);
        }
        d -= brands.size();
        return "price band " + (d == 0 ? "low" : d == 1 ? "mid" : "high");
    }

    /**
     * @param events events of any users (any order)
     * @param catalog the catalogue
     * @return one vector per user, users in order of first appearance
     */
    public Map<String, float[]> vectors(Iterable<BehaviorEvent> events, Catalog catalog) {
        Map<String, double[]> acc = new LinkedHashMap<>();
        int nc = categories.size();
        int nb = brands.size();
        for (BehaviorEvent e : events) {
            double[] v = acc.computeIfAbsent(e.userId(), u -> new double[nc + nb + 3]);
            Item it = e.itemId() == null ? null : catalog.item(e.itemId()).orElse(null);
            if (it == null) {
                continue;
            }
            double w = e.type() == EventType.PURCHASE ? 3 : e.type() == EventType.ADD_TO_CART
                    || e.type() == EventType.FAVORITE ? 2 : 1;
            Integer c = it.topCategory() == null ? null : catIndex.get(it.topCategory());
            if (c != null) {
                v[c] += w;
            }
            Integer b = it.brand() == null ? null : brandIndex.get(it.brand());
            if (b != null) {
                v[nc + b] += w;
            }
            if (!Double.isNaN(it.price())) {
                int band = it.price() <= priceCuts[0] ? 0 : it.price() <= priceCuts[1] ? 1 : 2;
                v[nc + nb + band] += w;
            }
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : acc.entrySet()) {
            double[] v = e.getValue();
            float[] f = new float[v.length];
            block(v, f, 0, nc, 1.0);
            block(v, f, nc, nc + nb, Math.sqrt(0.5));
            block(v, f, nc + nb, v.length, Math.sqrt(0.5));
            out.put(e.getKey(), f);
        }
        return out;
    }

    private static void block(double[] v, float[] f, int from, int to, double scale) {
        double s = Arrays.stream(v, from, to).sum();
        for (int i = from; i < to; i++) {
            f[i] = s == 0 ? 0f : (float) (scale * v[i] / s);
        }
    }

    /**
     * @return a {@link ProfileVector} naming these dimensions; profiles do not carry the histogram,
     *         so its {@code of} refuses them: assign new users with {@link #vectors} and
     *         {@link KMeansSegmenter#nearest(float[], String)}
     */
    public ProfileVector asProfileVector() {
        return new ProfileVector() {
            @Override
            public float[] of(UserProfile p) {
                throw new BadInputException("profile " + p.userId() + ": the behaviour-vector fallback is computed from"
                        + " events, not profiles: use BehaviourVectors.vectors(events) and KMeansSegmenter.nearest");
            }

            @Override
            public String dimensionName(int d) {
                return BehaviourVectors.this.dimensionName(d);
            }
        };
    }
}
