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
import org.persona4j.core.Reason;
import org.persona4j.core.ReasonKind;
import org.persona4j.core.RecommendationRequest;

/**
 * Session kNN in the V-SKNN style, for anonymous shoppers with only a few events. The query is the
 * last {@code maxQuery} distinct items of the request's history, weighted linearly by position (the
 * most recent weighs 1). Candidate neighbour sessions are the {@code sampleSize} most recent past
 * sessions holding each query item; a session's similarity is the summed weight of the shared items
 * divided by {@code sqrt(|query| |session|)}; the {@code neighbours} most similar sessions vote for
 * their items with their similarity. Items with no vote fall back to popularity below every voted
 * item. Sessions come from session ids, else from a user's events split at 30 minutes of inactivity.
 */
public final class SessionKnnRecommender extends AbstractScoringRecommender {

    /**
     * Hyper-parameters.
     *
     * @param neighbours neighbour sessions that vote, {@code >= 1}
     * @param sampleSize most recent sessions considered per query item, {@code >= 1}
     * @param maxQuery distinct recent items forming the query, {@code >= 1}
     * @param sessionGapMinutes inactivity that splits sessions without a session id, {@code >= 1}
     */
    public record Config(int neighbours, int sampleSize, int maxQuery, int sessionGapMinutes) {
        /** Validates. @throws BadInputException naming the bad field */
        public Config {
            if (neighbours < 1) {
                throw new BadInputException("sknn: field 'neighbours': expected >= 1, was " + neighbours);
            }
            if (sampleSize < 1) {
                throw new BadInputException("sknn: field 'sampleSize': expected >= 1, was " + sampleSize);
            }
            if (maxQuery < 1) {
                throw new BadInputException("sknn: field 'maxQuery': expected >= 1, was " + maxQuery);
            }
            if (sessionGapMinutes < 1) {
                throw new BadInputException("sknn: field 'sessionGapMinutes': expected >= 1, was " + sessionGapMinutes);
            }
        }

        /** @return the defaults (docs/recommenders.md) */
        public static Config defaults() {
            return new Config(100, 1000, 10, 30);
        }
    }

    private final Config config;
    /** Sorted distinct items of each session. */
    private final int[][] sessions;
    /** Session ids holding each item, most recent session first, at most sampleSize. */
    private final int[][] sessionsOf;
    private final float[] popNorm;

    private SessionKnnRecommender(ItemIndex idx, Catalog catalog, Config config, int[][] sessions, int[][] sessionsOf,
                                  float[] popNorm) {
        super("sknn", idx, catalog);
        this.config = config;
        this.sessions = sessions;
        this.sessionsOf = sessionsOf;
        this.popNorm = popNorm;
    }

    /**
     * @param events training events
     * @param catalog the catalogue, may be null
     * @param config hyper-parameters
     * @return the fitted recommender
     */
    public static SessionKnnRecommender fit(List<BehaviorEvent> events, Catalog catalog, Config config) {
        ItemIndex idx = ItemIndex.fromEvents(events);
        List<List<BehaviorEvent>> raw = Histories.sessions(events, config.sessionGapMinutes() * 60_000L);
        // order sessions by end time (stable), so "most recent" is well defined
        Integer[] order = new Integer[raw.size()];
        long[] end = new long[raw.size()];
        for (int s = 0; s < order.length; s++) {
            order[s] = s;
            List<BehaviorEvent> l = raw.get(s);
            end[s] = l.get(l.size() - 1).timestampMillis();
        }
        Arrays.sort(order, (a, b) -> Long.compare(end[a], end[b]));
        int[][] sessions = new int[order.length][];
        int[] cnt = new int[idx.size()];
        for (int s = 0; s < order.length; s++) {
            sessions[s] = raw.get(order[s]).stream().mapToInt(e -> idx.indexOf(e.itemId())).distinct().sorted().toArray();
            for (int i : sessions[s]) {
                cnt[i]++;
            }
        }
        int[][] of = new int[idx.size()][];
        int[] fill = new int[idx.size()];
        for (int i = 0; i < of.length; i++) {
            of[i] = new int[Math.min(cnt[i], config.sampleSize())];
        }
        for (int s = sessions.length - 1; s >= 0; s--) {
            for (int i : sessions[s]) {
                if (fill[i] < of[i].length) {
                    of[i][fill[i]++] = s;
                }
            }
        }
        return new SessionKnnRecommender(idx, catalog, config, sessions, of, ItemKnnRecommender.popularityShare(cnt));
    }

    /** @return the configuration */
    public Config config() {
        return config;
    }

    private int[] query(RecommendationRequest r) {
        List<BehaviorEvent> h = r.history();
        LinkedHashSet<Integer> q = new LinkedHashSet<>();
        r.currentItem().ifPresent(c -> {
            int i = items.indexOf(c);
            if (i >= 0) {
                q.add(i);
            }
        });
        for (int t = h.size() - 1; t >= 0 && q.size() < config.maxQuery(); t--) {
            int i = items.indexOf(h.get(t).itemId());
            if (i >= 0) {
                q.add(i);
            }
        }
        return q.stream().mapToInt(Integer::intValue).toArray(); // most recent first
    }

    /** Neighbour sessions with their similarity, best first. */
    private Map<Integer, Float> neighbourSessions(int[] q) {
        Map<Integer, Float> simOf = new HashMap<>();
        for (int p = 0; p < q.length; p++) {
            float w = (q.length - p) / (float) q.length;
            for (int s : sessionsOf[q[p]]) {
                simOf.merge(s, w, Float::sum);
            }
        }
        List<Map.Entry<Integer, Float>> all = new ArrayList<>(simOf.entrySet());
        for (Map.Entry<Integer, Float> e : all) {
            e.setValue((float) (e.getValue() / Math.sqrt((double) q.length * sessions[e.getKey()].length)));
        }
        all.sort((a, b) -> {
            int c = Float.compare(b.getValue(), a.getValue());
            return c != 0 ? c : Integer.compare(b.getKey(), a.getKey());
        });
        java.util.LinkedHashMap<Integer, Float> top = new java.util.LinkedHashMap<>();
        for (int t = 0; t < Math.min(config.neighbours(), all.size()); t++) {
            top.put(all.get(t).getKey(), all.get(t).getValue());
        }
        return top;
    }

    @Override
    public void scoreAll(RecommendationRequest request, float[] out) {
        Arrays.fill(out, 0f);
        for (Map.Entry<Integer, Float> e : neighbourSessions(query(request)).entrySet()) {
            for (int i : sessions[e.getKey()]) {
                out[i] += e.getValue();
            }
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
            return List.of(Reason.of(ReasonKind.FALLBACK, "popular overall (no similar sessions yet)", "item", items.id(item)));
        }
        int[] q = query(request);
        int voters = 0;
        int via = -1;
        for (int s : neighbourSessions(q).keySet()) {
            if (Arrays.binarySearch(sessions[s], item) >= 0) {
                voters++;
                if (via < 0) {
                    for (int i : q) {
                        if (Arrays.binarySearch(sessions[s], i) >= 0) {
                            via = i;
                            break;
                        }
                    }
                }
            }
        }
        String src = via < 0 ? "this session" : items.id(via);
        return List.of(Reason.of(ReasonKind.SIMILAR_TO_HISTORY, "shoppers who viewed " + (via < 0 ? src : label(src))
                + " in the same session also viewed this (" + voters + " similar sessions)",
                "item", src, "sessions", voters, "score", score));
    }
}
