package org.persona4j.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.Item;
import org.persona4j.core.ProfileModel;
import org.persona4j.core.Reason;
import org.persona4j.core.ReasonKind;
import org.persona4j.core.Recommendation;
import org.persona4j.core.UserProfile;

/**
 * The engine's default search re-ranker: blends the search engine's order (it knows relevance to
 * the query) with the user's profile — the cosine between the user and item embeddings and the
 * user's interest in the item's categories. Score = {@value #W_POSITION} × (1 − position / n) +
 * {@value #W_PROFILE} × cosine + {@value #W_INTEREST} × interest; ties keep the search order.
 */
final class ProfileReranker {
    static final double W_POSITION = 0.5;
    static final double W_PROFILE = 0.3;
    static final double W_INTEREST = 0.2;

    private ProfileReranker() {
    }

    static List<Recommendation> rerank(ProfileModel model, Catalog catalog, UserProfile profile, List<BehaviorEvent> history,
                                       String query, List<String> candidates) {
        int n = candidates.size();
        float[] user = profile.embedding();
        boolean personal = profile.eventCount() > 0 && user.length > 0;
        record Scored(String id, int from, double score, double sim, double interest) {
        }
        List<Scored> scored = new ArrayList<>(n);
        java.util.Set<String> dup = new java.util.HashSet<>();
        for (int p = 0; p < n; p++) {
            String id = candidates.get(p);
            if (!dup.add(id)) {
                continue; // a repeated candidate keeps its first position
            }
            double sim = 0;
            double interest = 0;
            if (personal) {
                Optional<float[]> emb = model.itemEmbedding(id);
                if (emb.isPresent() && emb.get().length == user.length) {
                    sim = Explainer.cosine(user, emb.get());
                }
                Optional<Item> item = catalog.item(id);
                if (item.isPresent()) {
                    interest = Math.min(1.0, Explainer.interestScore(profile, item.get()));
                }
            }
            double score = W_POSITION * (1.0 - (double) p / n) + W_PROFILE * sim + W_INTEREST * interest;
            scored.add(new Scored(id, p, score, sim, interest));
        }
        List<Scored> order = new ArrayList<>(scored);
        order.sort(Comparator.comparingDouble(Scored::score).reversed().thenComparingInt(Scored::from));
        List<Recommendation> out = new ArrayList<>(order.size());
        for (int to = 0; to < order.size(); to++) {
            Scored s = order.get(to);
            String why;
            if (!personal) {
                why = "kept in search order (no profile yet)";
            } else if (to < s.from) {
                why = "moved up from " + (s.from + 1) + " to " + (to + 1) + ": " + driver(s.sim, s.interest);
            } else if (to > s.from) {
                why = "moved down from " + (s.from + 1) + " to " + (to + 1) + ": weaker match with your profile";
            } else {
                why = "kept at " + (to + 1);
            }
            out.add(new Recommendation(s.id, s.score, List.of(Reason.of(ReasonKind.SEARCH_RERANK, why,
                    "from", String.valueOf(s.from + 1), "to", String.valueOf(to + 1), "query", query,
                    "similarity", String.format(Locale.ROOT, "%.3f", s.sim),
                    "interest", String.format(Locale.ROOT, "%.3f", s.interest)))));
        }
        return out;
    }

    private static String driver(double sim, double interest) {
        return W_INTEREST * interest > W_PROFILE * sim
                ? String.format(Locale.ROOT, "matches your category interests (%.2f)", interest)
                : String.format(Locale.ROOT, "close to your profile (similarity %.2f)", sim);
    }
}
