package org.persona4j.features.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;

/** Keywords of a user's searches: tokens of the queries ranked by summed TF-IDF weight. */
public final class SearchKeywords {
    private SearchKeywords() {
    }

    /**
     * A keyword and its score.
     *
     * @param token the token
     * @param score term count times the token's IDF
     */
    public record Keyword(String token, double score) {
    }

    /**
     * @param events a user's events (only SEARCH events with a query are read; nulls ignored)
     * @param tfidf the fitted vectoriser (its tokenizer and IDF weights)
     * @param k how many keywords
     * @return the top-k keywords, best first (ties by token)
     */
    public static List<Keyword> of(Iterable<BehaviorEvent> events, HashingTfIdf tfidf, int k) {
        Map<String, Integer> tf = new HashMap<>();
        for (BehaviorEvent e : events) {
            if (e != null && e.type() == EventType.SEARCH && e.query().isPresent()) {
                for (String t : tfidf.tokenizer().tokenize(e.query().get())) {
                    tf.merge(t, 1, Integer::sum);
                }
            }
        }
        List<Keyword> out = new ArrayList<>();
        tf.forEach((t, c) -> out.add(new Keyword(t, c * tfidf.idf(t))));
        out.sort((a, b) -> {
            int c = Double.compare(b.score(), a.score());
            return c != 0 ? c : a.token().compareTo(b.token());
        });
        return out.size() > k ? new ArrayList<>(out.subList(0, Math.max(0, k))) : out;
    }
}
