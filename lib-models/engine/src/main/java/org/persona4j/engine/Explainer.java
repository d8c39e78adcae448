package org.persona4j.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.EventType;
import org.persona4j.core.Item;
import org.persona4j.core.ProfileModel;
import org.persona4j.core.Reason;
import org.persona4j.core.ReasonKind;
import org.persona4j.core.Recommendation;
import org.persona4j.core.UserProfile;

/** Builds the reasons that link one item to one user from the model's embeddings and the profile. */
final class Explainer {
    /** How many distinct recent items are compared with the explained item. */
    static final int HISTORY_SCAN = 50;

    private Explainer() {
    }

    static Recommendation explain(ProfileModel model, Catalog catalog, UserProfile profile, List<BehaviorEvent> history,
                                  String itemId) {
        List<Reason> reasons = new ArrayList<>();
        Optional<float[]> itemEmb = model.itemEmbedding(itemId);
        float[] user = profile.embedding();
        double score = 0;
        if (itemEmb.isPresent() && user.length == itemEmb.get().length && profile.eventCount() > 0) {
            score = dot(user, itemEmb.get());
            reasons.add(Reason.of(ReasonKind.PROFILE_MATCH,
                    String.format(Locale.ROOT, "matches your profile (score %.3f)", score),
                    "score", String.format(Locale.ROOT, "%.4f", score), "model", String.valueOf(model.version())));
        }
        similarInHistory(model, catalog, history, itemId, itemEmb.orElse(null)).ifPresent(reasons::add);
        catalog.item(itemId).flatMap(item -> interest(profile, item)).ifPresent(reasons::add);
        if (reasons.isEmpty()) {
            reasons.add(Reason.of(ReasonKind.FALLBACK, "nothing in your history relates to this item yet", "item", itemId));
        }
        return new Recommendation(itemId, Double.isFinite(score) ? score : 0, reasons);
    }

    /**
     * The most similar recent item, cited by its title when the catalogue has one; only a positive
     * similarity is a reason (a negative one is evidence against, so no reason is given).
     */
    static Optional<Reason> similarInHistory(ProfileModel model, Catalog catalog, List<BehaviorEvent> history, String itemId,
                                             float[] target) {
        if (target == null) {
            return Optional.empty();
        }
        Set<String> seen = new HashSet<>();
        BehaviorEvent best = null;
        double bestSim = 0;
        for (int i = history.size() - 1; i >= 0 && seen.size() < HISTORY_SCAN; i--) {
            BehaviorEvent e = history.get(i);
            String other = e.itemId();
            if (other == null || other.equals(itemId) || !seen.add(other)) {
                continue;
            }
            Optional<float[]> emb = model.itemEmbedding(other);
            if (emb.isEmpty() || emb.get().length != target.length) {
                continue;
            }
            double sim = cosine(emb.get(), target);
            if (sim > bestSim) {
                bestSim = sim;
                best = e;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        return Optional.of(Reason.of(ReasonKind.SIMILAR_TO_HISTORY,
                "because you " + verb(best.type()) + " " + catalog.item(best.itemId()).map(Item::title)
                        .filter(t -> !t.isBlank()).orElse(best.itemId()),
                "item", best.itemId(), "event", best.type().name(),
                "similarity", String.format(Locale.ROOT, "%.3f", bestSim)));
    }

    static Optional<Reason> interest(UserProfile profile, Item item) {
        String bestCat = null;
        double best = 0;
        List<String> path = item.categoryPath();
        for (int i = 0; i < path.size(); i++) {
            String key = String.join(" > ", path.subList(0, i + 1));
            for (String k : new String[] {key, path.get(i)}) {
                Double v = profile.interests().get(k);
                if (v != null && v > best) {
                    best = v;
                    bestCat = key;
                }
            }
        }
        if (bestCat == null) {
            return Optional.empty();
        }
        return Optional.of(Reason.of(ReasonKind.MATCHES_INTEREST,
                String.format(Locale.ROOT, "matches your interest in %s (%.2f)", bestCat, best),
                "category", bestCat, "interest", String.format(Locale.ROOT, "%.3f", best)));
    }

    static double interestScore(UserProfile profile, Item item) {
        return interest(profile, item).map(r -> Double.parseDouble(r.evidence().get("interest"))).orElse(0.0);
    }

    static String verb(EventType t) {
        return switch (t) {
            case PURCHASE -> "bought";
            case ADD_TO_CART -> "added to your cart";
            case REMOVE_FROM_CART -> "looked at";
            case FAVORITE -> "saved";
            case RATE -> "rated";
            case REVIEW -> "reviewed";
            case CLICK -> "clicked";
            default -> "viewed";
        };
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    static double cosine(float[] a, float[] b) {
        double na = 0;
        double nb = 0;
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : d / Math.sqrt(na * nb);
    }
}
