package org.persona4j.models.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.UserState;
import org.persona4j.eval.Metrics;
import org.persona4j.features.sequence.IdVocabulary;
import org.persona4j.features.sequence.SequenceEncoder;
import org.persona4j.models.nn.LeanProfileNetwork;
import org.persona4j.models.nn.ProfileNetState;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.recommend.Parallel;

/**
 * Leave-one-out, full-ranking evaluation of a {@link DeepProfileModel}: for every user, the input
 * history is folded into a state, all known items are scored, the items of the input are excluded
 * (except the target), and the target's rank counts ties against it. A target the model does not
 * know counts as a miss.
 */
public final class ProfileModelEvaluation {
    private ProfileModelEvaluation() {
    }

    /**
     * One test case.
     *
     * @param userId the user
     * @param input the history before the target, oldest first
     * @param targetItemId the held-out item
     */
    public record Case(String userId, List<BehaviorEvent> input, String targetItemId) {
    }

    /**
     * Splits each user's last event off as the test target (users with at least {@code minEvents} events).
     *
     * @param events all events (grouped by user, sorted by time here)
     * @param minEvents the fewest events a user needs to be tested, {@code >= 2}
     * @param training receives every user's events minus the held-out one (all events of untested users)
     * @return the test cases
     */
    public static List<Case> leaveLastOut(List<BehaviorEvent> events, int minEvents, List<BehaviorEvent> training) {
        if (minEvents < 2) {
            throw new BadInputException("minEvents must be >= 2, was " + minEvents);
        }
        Map<String, List<BehaviorEvent>> byUser = new LinkedHashMap<>();
        for (BehaviorEvent e : events) {
            byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
        }
        List<Case> cases = new ArrayList<>();
        for (Map.Entry<String, List<BehaviorEvent>> u : byUser.entrySet()) {
            List<BehaviorEvent> h = u.getValue();
            h.sort((a, b) -> Long.compare(a.timestampMillis(), b.timestampMillis()));
            BehaviorEvent last = h.get(h.size() - 1);
            if (h.size() >= minEvents && last.itemId() != null) {
                List<BehaviorEvent> in = h.subList(0, h.size() - 1);
                training.addAll(in);
                cases.add(new Case(u.getKey(), in, last.itemId()));
            } else {
                training.addAll(h);
            }
        }
        return cases;
    }

    /**
     * Ranks every case.
     *
     * @param model the model
     * @param cases the test cases
     * @param threads worker threads, {@code >= 1} (the figures do not depend on it)
     * @return {@code hr@10, ndcg@10, hr@20, ndcg@20, mrr@20, users}
     */
    public static Map<String, Double> evaluate(DeepProfileModel model, List<Case> cases, int threads) {
        if (threads < 1) {
            throw new BadInputException("threads must be >= 1, was " + threads);
        }
        int[] ranks = new int[cases.size()];
        Parallel.forEach(threads, cases.size(), () -> null, (none, i) -> ranks[i] = rank(model, cases.get(i)));
        Map<String, Double> m = summary(ranks, Math.max(1, cases.size()));
        m.put("users", (double) cases.size());
        return m;
    }

    /**
     * Ranks the validation cases through the lean inference path, as training does after each epoch.
     *
     * @param lean the network
     * @param enc its encoder
     * @param cases the cases, at least one
     * @param threads worker threads, {@code >= 1} (the figures do not depend on it)
     * @return {@code hr@10, ndcg@10, hr@20, ndcg@20, mrr@20}
     */
    static Map<String, Double> validate(LeanProfileNetwork lean, SequenceEncoder enc, List<Case> cases, int threads) {
        int[] ranks = new int[cases.size()];
        Parallel.forEach(threads, cases.size(), () -> null, (none, i) -> ranks[i] = rank(lean, enc, cases.get(i)));
        return summary(ranks, cases.size());
    }

    /** Means over {@code n} of HR and NDCG at 10 and 20 and MRR at 20, summed in case order. */
    private static Map<String, Double> summary(int[] ranks, int n) {
        Metrics.RankSums s = new Metrics.RankSums(10, 20).addAll(ranks);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("hr@10", s.hitRateSum(10) / n);
        m.put("ndcg@10", s.ndcgSum(10) / n);
        m.put("hr@20", s.hitRateSum(20) / n);
        m.put("ndcg@20", s.ndcgSum(20) / n);
        m.put("mrr@20", s.mrrSum(20) / n);
        return m;
    }

    /** The target's rank among the model's items (scores index = vocabulary index - 2), or MAX_VALUE when unknown. */
    private static int rank(DeepProfileModel model, Case c) {
        UserState s = model.encode(c.userId(), c.input());
        float[] scores = model.itemScores(s);
        var vocab = model.encoder().items();
        int target = vocab.index(c.targetItemId()) - IdVocabulary.FIRST_ID;
        if (target < 0) {
            return Integer.MAX_VALUE;
        }
        int[] hist = new int[c.input().size()];
        int k = 0;
        for (BehaviorEvent e : c.input()) {
            hist[k++] = vocab.index(e.itemId()) - IdVocabulary.FIRST_ID;
        }
        return Metrics.rank(scores, target, 0, hist);
    }

    /** The target's rank among the lean network's items, or MAX_VALUE when the target is out of vocabulary. */
    private static int rank(LeanProfileNetwork lean, SequenceEncoder enc, Case c) {
        ProfileNetState st = lean.initialState();
        long prev = -1;
        int[] hist = new int[c.input().size()];
        int i = 0;
        for (BehaviorEvent e : c.input()) {
            var s = enc.encodeStep(e, prev);
            st = lean.step(st, s.item(), s.type(), s.category(), s.gap());
            prev = e.timestampMillis();
            hist[i++] = s.item();
        }
        int target = enc.items().index(c.targetItemId());
        if (target < IdVocabulary.FIRST_ID) {
            return Integer.MAX_VALUE;
        }
        return Metrics.rank(lean.scores(lean.userVector(st)), target, IdVocabulary.FIRST_ID, hist);
    }
}
