package org.persona4j.recommend;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Catalog;
import org.persona4j.core.Item;
import org.persona4j.core.Recommendation;

/**
 * Maximal marginal relevance (MMR) re-ranking: repeatedly picks the candidate maximising
 * {@code lambda * relevance - (1 - lambda) * max similarity to the items already picked}, relevance
 * being the candidate's score scaled to [0, 1] within the list.
 */
public final class Diversity {
    private Diversity() {
    }

    /**
     * @param candidates candidates, best first
     * @param k how many to keep
     * @param lambda 1 = relevance only, 0 = diversity only
     * @param similarity similarity of two item ids in [0, 1]
     * @return the re-ranked top k; scores become the MMR objective (made non-increasing), moved items get
     *     an extra reason
     */
    public static List<Recommendation> mmr(List<Recommendation> candidates, int k, double lambda,
                                           BiFunction<String, String, Double> similarity) {
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new BadInputException("mmr: field 'lambda': expected [0, 1], was " + lambda);
        }
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (Recommendation r : candidates) {
            max = Math.max(max, r.score());
            min = Math.min(min, r.score());
        }
        double span = max - min;
        List<Recommendation> left = new ArrayList<>(candidates);
        List<Recommendation> out = new ArrayList<>();
        while (out.size() < k && !left.isEmpty()) {
            int best = 0;
            double bestV = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < left.size(); c++) {
                Recommendation r = left.get(c);
                double rel = span > 0 ? (r.score() - min) / span : 1;
                double sim = 0;
                for (Recommendation p : out) {
                    sim = Math.max(sim, similarity.apply(r.itemId(), p.itemId()));
                }
                double v = lambda * rel - (1 - lambda) * sim;
                if (v > bestV) {
                    bestV = v;
                    best = c;
                }
            }
            Recommendation r = left.remove(best);
            double score = out.isEmpty() ? bestV : Math.min(out.get(out.size() - 1).score(), bestV);
            int was = candidates.indexOf(r);
            List<org.persona4j.core.Reason> reasons = new ArrayList<>(r.reasons());
            if (was != out.size()) {
                reasons.add(org.persona4j.core.Reason.of(org.persona4j.core.ReasonKind.OTHER,
                        "placed for variety (was " + (was + 1) + ", now " + (out.size() + 1) + ")", "lambda", lambda));
            }
            out.add(new Recommendation(r.itemId(), score, reasons));
        }
        return out;
    }

    /**
     * @param catalog the catalogue
     * @return Jaccard similarity of the category paths (0 for unknown items)
     */
    public static BiFunction<String, String, Double> categorySimilarity(Catalog catalog) {
        return (a, b) -> {
            List<String> pa = catalog.item(a).map(Item::categoryPath).orElse(List.of());
            List<String> pb = catalog.item(b).map(Item::categoryPath).orElse(List.of());
            if (pa.isEmpty() || pb.isEmpty()) {
                return 0.0;
            }
            Set<String> u = new HashSet<>(pa);
            u.addAll(pb);
            Set<String> i = new HashSet<>(pa);
            i.retainAll(pb);
            return i.size() / (double) u.size();
        };
    }
}
