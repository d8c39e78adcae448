package org.persona4j.models.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.UserState;
import org.persona4j.models.profile.DeepProfileModel;

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
     * @param threads worker threads, {@code >= 1}
     * @return {@code hr@10, ndcg@10, hr@20, ndcg@20, mrr@20, users}
     */
    public static Map<String, Double> evaluate(DeepProfileModel model, List<Case> cases, int threads) {
        if (threads < 1) {
            throw new BadInputException("threads must be >= 1, was " + threads);
        }
        double[][] acc = new double[threads][5];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "persona4j-evaluation");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                double[] a = acc[w];
                fs.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < cases.size()) {
                        one(model, cases.get(i), a);
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("evaluation interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("evaluation failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        double[] s = new double[5];
        for (double[] a : acc) {
            for (int k = 0; k < 5; k++) {
                s[k] += a[k];
            }
        }
        int n = Math.max(1, cases.size());
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("hr@10", s[0] / n);
        m.put("ndcg@10", s[1] / n);
        m.put("hr@20", s[2] / n);
        m.put("ndcg@20", s[3] / n);
        m.put("mrr@20", s[4] / n);
        m.put("users", (double) cases.size());
        return m;
    }

    private static void one(DeepProfileModel model, Case c, double[] a) {
        UserState s = model.encode(c.userId(), c.input());
        float[] scores = model.itemScores(s); // index = vocabulary index - 2
        var vocab = model.encoder().items();
        int target = vocab.index(c.targetItemId()) - 2;
        if (target < 0) {
            return;
        }
        int[] hist = new int[c.input().size()];
        int k = 0;
        for (BehaviorEvent e : c.input()) {
            hist[k++] = vocab.index(e.itemId()) - 2;
        }
        float tv = scores[target];
        boolean[] skip = new boolean[scores.length];
        for (int h : hist) {
            if (h >= 0 && h != target) {
                skip[h] = true;
            }
        }
        int above = 0;
        for (int i = 0; i < scores.length; i++) {
            if (i != target && !skip[i] && scores[i] >= tv) {
                above++;
            }
        }
        if (above < 10) {
            a[0] += 1;
            a[1] += 1 / (Math.log(above + 2) / Math.log(2));
        }
        if (above < 20) {
            a[2] += 1;
            a[3] += 1 / (Math.log(above + 2) / Math.log(2));
            a[4] += 1.0 / (above + 1);
        }
    }
}
