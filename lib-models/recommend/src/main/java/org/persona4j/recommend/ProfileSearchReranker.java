package org.persona4j.recommend;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.Item;
import org.persona4j.core.Reason;
import org.persona4j.core.ReasonKind;
import org.persona4j.core.Recommendation;
import org.persona4j.core.SearchReranker;
import org.persona4j.core.UserProfile;

/**
 * Re-orders a search engine's candidates by the user's profile. Each candidate scores
 * {@code wSearch / log2(position + 2)} (the engine's order as a prior) plus {@code wInterest} times
 * the strongest profile interest matching its categories or brand, plus {@code wHistory} times its
 * largest item-kNN similarity to the recent history (when an {@link ItemKnnRecommender} is given).
 * Ties keep the engine's order; unknown ids stay, scored by position only. Each result's reason
 * says how far it moved and why.
 */
public final class ProfileSearchReranker implements SearchReranker {
    private final Catalog catalog;
    private final ItemKnnRecommender knn;
    private final double wSearch;
    private final double wInterest;
    private final double wHistory;

    /**
     * @param catalog the catalogue (categories and brands)
     * @param knn item similarities, or null
     * @param wSearch weight of the engine's order, {@code >= 0}
     * @param wInterest weight of profile interests, {@code >= 0}
     * @param wHistory weight of similarity to the history, {@code >= 0}
     */
    public ProfileSearchReranker(Catalog catalog, ItemKnnRecommender knn, double wSearch, double wInterest, double wHistory) {
        if (catalog == null) {
            throw new BadInputException("search re-ranker: field 'catalog': required");
        }
        for (double w : new double[] {wSearch, wInterest, wHistory}) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new BadInputException("search re-ranker: weights must be finite and >= 0, was " + w);
            }
        }
        this.catalog = catalog;
        this.knn = knn;
        this.wSearch = wSearch;
        this.wInterest = wInterest;
        this.wHistory = wHistory;
    }

    /** @param catalog the catalogue @param knn item similarities or null @return weights 1, 1, 1 */
    public static ProfileSearchReranker withDefaults(Catalog catalog, ItemKnnRecommender knn) {
        return new ProfileSearchReranker(catalog, knn, 1.0, 1.0, 1.0);
    }

    @Override
    public List<Recommendation> rerank(UserProfile profile, List<BehaviorEvent> history, String query, List<String> candidates) {
        if (candidates == null || history == null) {
            throw new BadInputException("search re-ranker: candidates and history must not be null");
        }
        Map<String, Double> interests = profile == null ? Map.of() : profile.interests();
        List<String> recent = new ArrayList<>();
        for (int t = history.size() - 1; t >= 0 && recent.size() < 10; t--) {
            String i = history.get(t).itemId();
            if (i != null && !recent.contains(i)) {
                recent.add(i);
            }
        }
        List<Map<String, Float>> nbrs = new ArrayList<>();
        if (knn != null) {
            for (String r : recent) {
                nbrs.add(knn.neighbours(r));
            }
        }
        int n = candidates.size();
        double[] score = new double[n];
        String[] why = new String[n];
        List<String> uniq = new ArrayList<>();
        Set<String> dup = new HashSet<>();
        for (String c : candidates) {
            if (c != null && dup.add(c)) {
                uniq.add(c);
            }
        }
        n = uniq.size();
        for (int p = 0; p < n; p++) {
            String id = uniq.get(p);
            double s = wSearch / (Math.log(p + 2) / Math.log(2));
            Item it = catalog.item(id).orElse(null);
            double bestI = 0;
            String interest = null;
            if (it != null) {
                for (Map.Entry<String, Double> e : interests.entrySet()) {
                    String k = e.getKey();
                    String bare = k.substring(k.indexOf(':') + 1).toLowerCase(Locale.ROOT);
                    boolean match = it.categoryPath().stream().anyMatch(c -> c.toLowerCase(Locale.ROOT).equals(bare))
                            || (it.brand() != null && it.brand().toLowerCase(Locale.ROOT).equals(bare));
                    if (match && e.getValue() > bestI) {
                        bestI = e.getValue();
                        interest = k.substring(k.indexOf(':') + 1);
                    }
                }
            }
            double bestH = 0;
            String via = null;
            for (int r = 0; r < nbrs.size(); r++) {
                Float v = nbrs.get(r).get(id);
                if (v != null && v > bestH) {
                    bestH = v;
                    via = recent.get(r);
                }
            }
            s += wInterest * bestI + wHistory * bestH;
            score[p] = s;
            if (wInterest * bestI >= wHistory * bestH && interest != null) {
                why[p] = "matches your interest in " + interest;
            } else if (via != null) {
                why[p] = "similar to " + catalog.item(via).map(Item::title).orElse(via) + " you viewed";
            } else {
                why[p] = "search relevance";
            }
        }
        Integer[] order = new Integer[n];
        for (int p = 0; p < n; p++) {
            order[p] = p;
        }
        java.util.Arrays.sort(order, (a, b) -> score[a] != score[b] ? Double.compare(score[b], score[a]) : Integer.compare(a, b));
        List<Recommendation> out = new ArrayList<>(n);
        for (int to = 0; to < n; to++) {
            int from = order[to];
            String move = to < from ? "moved up " + (from - to) + (from - to == 1 ? " place" : " places")
                    : to > from ? "moved down " + (to - from) + (to - from == 1 ? " place" : " places")
                    : "kept at position " + (to + 1);
            String text = to > from ? move + " (others match your profile better)" : move + ": " + why[from];
            out.add(Recommendation.of(uniq.get(from), score[from], Reason.of(ReasonKind.SEARCH_RERANK, text,
                    "from", from + 1, "to", to + 1, "query", query == null ? "" : query)));
        }
        return out;
    }
}
