package org.persona4j.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.EventType;
import org.persona4j.core.Item;
import org.persona4j.core.Reason;
import org.persona4j.core.ReasonKind;
import org.persona4j.core.Recommendation;
import org.persona4j.core.SearchReranker;
import org.persona4j.core.UserProfile;

/**
 * The SDK's search re-ranker and the engine's default: re-orders a search engine's candidates by
 * the user's profile and recent history. Candidate {@code c} at position {@code p} (0-based, after
 * dropping repeated and null ids; a repeated id keeps its first position) scores
 *
 * <pre>
 *   score(c) = wSearch / log2(p + 2)  +  wInterest × I(c)  +  wHistory × H(c)
 * </pre>
 *
 * <ul>
 *   <li>{@code wSearch / log2(p + 2)}: the search engine's order as a prior (it knows relevance to
 *       the query), discounted like DCG: 1 at the top, 0.63 at position 2, 0.5 at position 4;</li>
 *   <li>{@code I(c)}: the strongest of the profile's {@link UserProfile#interests() interests}
 *       that matches the item — an interest key (or its part after a {@code "kind:"} prefix such
 *       as {@code "category:"} or {@code "brand:"}) equal, ignoring case, to one of the item's
 *       categories, to a leading part of its category path joined with {@code " > "}, or to its
 *       brand; 0 for items not in the catalogue;</li>
 *   <li>{@code H(c)}: the largest {@link ItemSimilarity similarity} between the item and one of
 *       the {@value #HISTORY_ITEMS} most recent distinct items of the user's history (scores below
 *       0 count as 0; 0 without a similarity source).</li>
 * </ul>
 *
 * <p>Candidates are returned best first, ties in the search engine's order, so a user with no
 * interests and no history keeps the search order exactly. Every candidate comes back once,
 * unknown ids included (scored by position only). Each result carries one
 * {@link ReasonKind#SEARCH_RERANK} reason saying how far it moved and why (the stronger of its
 * weighted interest and history terms), with evidence {@code from}, {@code to}, {@code query},
 * {@code interest} ({@code I}) and {@code similarity} ({@code H}).
 *
 * <p>In a {@link PersonaEngine} without a configured re-ranker this class serves with weights 1,
 * 1, 1 and {@link ItemSimilarity#ofEmbeddings the serving model's item embeddings} as the
 * similarity. Immutable and thread-safe.
 */
public final class ProfileReranker implements SearchReranker {
    /** How many of the most recent distinct history items the history term compares with. */
    public static final int HISTORY_ITEMS = 10;

    private final Catalog catalog;
    private final ItemSimilarity similarity;
    private final double wSearch;
    private final double wInterest;
    private final double wHistory;

    /**
     * @param catalog the catalogue (categories, brands and titles); items added later are seen
     * @param similarity the source of the history term, or null for none
     * @param wSearch weight of the search engine's order, finite and {@code >= 0}
     * @param wInterest weight of profile interests, finite and {@code >= 0}
     * @param wHistory weight of similarity to the recent history, finite and {@code >= 0}
     * @throws BadInputException when the catalogue is null or a weight is negative or not finite
     */
    public ProfileReranker(Catalog catalog, ItemSimilarity similarity, double wSearch, double wInterest, double wHistory) {
        if (catalog == null) {
            throw new BadInputException("search re-ranker: field 'catalog': required");
        }
        for (double w : new double[] {wSearch, wInterest, wHistory}) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new BadInputException("search re-ranker: weights must be finite and >= 0, was " + w);
            }
        }
        this.catalog = catalog;
        this.similarity = similarity;
        this.wSearch = wSearch;
        this.wInterest = wInterest;
        this.wHistory = wHistory;
    }

    /**
     * @param catalog the catalogue
     * @param similarity the source of the history term (e.g. {@code ItemSimilarity.ofNeighbours(knn::neighbours)}), or null
     * @return a re-ranker with weights 1, 1, 1
     */
    public static ProfileReranker withDefaults(Catalog catalog, ItemSimilarity similarity) {
        return new ProfileReranker(catalog, similarity, 1.0, 1.0, 1.0);
    }

    @Override
    public List<Recommendation> rerank(UserProfile profile, List<BehaviorEvent> history, String query, List<String> candidates) {
        return rerank(profile, history, query, candidates, similarity);
    }

    /** The same formula with another similarity source (the engine binds its serving model per call). */
    List<Recommendation> rerank(UserProfile profile, List<BehaviorEvent> history, String query, List<String> candidates,
                                ItemSimilarity sim) {
        if (candidates == null || history == null) {
            throw new BadInputException("search re-ranker: candidates and history must not be null");
        }
        String q = query == null ? "" : query;
        Map<String, Interest> interests = interestIndex(profile);
        // the most recent distinct items, newest first, with the type of their latest event
        Map<String, EventType> recent = new LinkedHashMap<>();
        for (int t = history.size() - 1; t >= 0 && recent.size() < HISTORY_ITEMS; t--) {
            BehaviorEvent e = history.get(t);
            if (e != null && e.itemId() != null) {
                recent.putIfAbsent(e.itemId(), e.type());
            }
        }
        List<String> recentIds = new ArrayList<>(recent.keySet());
        List<ToDoubleFunction<String>> near = new ArrayList<>(recentIds.size());
        if (sim != null && wHistory > 0) {
            for (String r : recentIds) {
                near.add(sim.similarTo(r));
            }
        }
        List<String> uniq = new ArrayList<>(candidates.size());
        Set<String> dup = new HashSet<>();
        for (String c : candidates) {
            if (c != null && dup.add(c)) {
                uniq.add(c);
            }
        }
        int n = uniq.size();
        double[] score = new double[n];
        double[] interestOf = new double[n];
        double[] similarityOf = new double[n];
        String[] why = new String[n];
        for (int p = 0; p < n; p++) {
            String id = uniq.get(p);
            Item it = catalog.item(id).orElse(null);
            double bestI = 0;
            String interest = null;
            if (it != null && !interests.isEmpty()) {
                for (String name : matchNames(it)) {
                    Interest m = interests.get(name.toLowerCase(Locale.ROOT));
                    if (m != null && m.value > bestI) {
                        bestI = m.value;
                        interest = m.name;
                    }
                }
            }
            double bestH = 0;
            String via = null;
            for (int r = 0; r < near.size(); r++) {
                double v = near.get(r).applyAsDouble(id);
                if (v > bestH) {
                    bestH = v;
                    via = recentIds.get(r);
                }
            }
            score[p] = wSearch / (Math.log(p + 2) / Math.log(2)) + wInterest * bestI + wHistory * bestH;
            interestOf[p] = bestI;
            similarityOf[p] = bestH;
            if (interest != null && wInterest * bestI >= wHistory * bestH) {
                why[p] = "matches your interest in " + interest;
            } else if (via != null) {
                String verb = Explainer.verb(recent.get(via));
                why[p] = via.equals(id) ? "you " + verb + " it recently"
                        : "similar to " + catalog.item(via).map(Item::title).filter(s -> !s.isBlank()).orElse(via) + " you " + verb;
            } else {
                why[p] = "search relevance";
            }
        }
        Integer[] order = new Integer[n];
        for (int p = 0; p < n; p++) {
            order[p] = p;
        }
        Arrays.sort(order, (a, b) -> score[a] != score[b] ? Double.compare(score[b], score[a]) : Integer.compare(a, b));
        List<Recommendation> out = new ArrayList<>(n);
        for (int to = 0; to < n; to++) {
            int from = order[to];
            String move = to < from ? "moved up " + places(from - to)
                    : to > from ? "moved down " + places(to - from)
                    : "kept at position " + (to + 1);
            String text = to > from ? move + " (others match your profile better)" : move + ": " + why[from];
            out.add(Recommendation.of(uniq.get(from), score[from], Reason.of(ReasonKind.SEARCH_RERANK, text,
                    "from", from + 1, "to", to + 1, "query", q,
                    "interest", String.format(Locale.ROOT, "%.3f", interestOf[from]),
                    "similarity", String.format(Locale.ROOT, "%.3f", similarityOf[from]))));
        }
        return out;
    }

    private static String places(int k) {
        return k + (k == 1 ? " place" : " places");
    }

    /** An interest as matched: its value and the name shown in reasons. */
    private record Interest(double value, String name) {
    }

    /** The profile's interests by lower-case key and by lower-case key without its "kind:" prefix. */
    private static Map<String, Interest> interestIndex(UserProfile profile) {
        if (profile == null || profile.interests().isEmpty()) {
            return Map.of();
        }
        Map<String, Interest> index = new HashMap<>();
        for (Map.Entry<String, Double> e : profile.interests().entrySet()) {
            String k = e.getKey();
            Double v = e.getValue();
            if (k == null || v == null || !(v > 0)) {
                continue;
            }
            String bare = k.substring(k.indexOf(':') + 1);
            Interest in = new Interest(v, bare);
            for (String name : new String[] {k, bare}) {
                index.merge(name.toLowerCase(Locale.ROOT), in, (a, b) -> b.value > a.value ? b : a);
            }
        }
        return index;
    }

    /** The names an interest may match: each category, each leading path "A > B", the brand. */
    private static List<String> matchNames(Item it) {
        List<String> path = it.categoryPath();
        List<String> names = new ArrayList<>(path.size() * 2 + 1);
        names.addAll(path);
        for (int i = 2; i <= path.size(); i++) {
            names.add(String.join(" > ", path.subList(0, i)));
        }
        if (it.brand() != null && !it.brand().isBlank()) {
            names.add(it.brand());
        }
        return names;
    }
}
