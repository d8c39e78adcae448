package org.persona4j.eval;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Progress;
import org.persona4j.core.ProgressListener;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.core.Recommender;
import org.persona4j.recommend.ItemIndex;
import org.persona4j.recommend.ItemScorer;
import org.persona4j.recommend.Parallel;
import org.persona4j.recommend.TopK;

/**
 * Scores a recommender on the test cases of a split. Recommenders that implement
 * {@link ItemScorer} are ranked in full: every item of their index is scored, the input's items
 * (other than the targets) are excluded, and a target's rank counts every other item with a score
 * {@code >=} its own (ties against the target). Other recommenders are asked for their top
 * {@code max(K)} list (history excluded) and a target outside it is a miss. Multi-threaded; results
 * do not depend on the thread count (per-case values are summed in case order).
 */
public final class Evaluator {
    private final int[] ks;
    private final int threads;
    private final ProgressListener progress;

    /**
     * @param ks the cut-offs, each {@code >= 1}
     * @param threads scoring threads, {@code >= 1}
     * @param progress progress receiver, or null
     */
    public Evaluator(int[] ks, int threads, ProgressListener progress) {
        if (ks == null || ks.length == 0) {
            throw new BadInputException("evaluator: field 'ks': at least one cut-off is required");
        }
        for (int k : ks) {
            if (k < 1) {
                throw new BadInputException("evaluator: field 'ks': expected cut-offs >= 1, was " + k);
            }
        }
        if (threads < 1) {
            throw new BadInputException("evaluator: field 'threads': expected >= 1, was " + threads);
        }
        this.ks = ks.clone();
        Arrays.sort(this.ks);
        this.threads = threads;
        this.progress = progress == null ? ProgressListener.NONE : progress;
    }

    /** @return the metric names in report order */
    public List<String> metricNames() {
        List<String> names = new java.util.ArrayList<>();
        for (int k : ks) {
            names.addAll(List.of("hr@" + k, "recall@" + k, "ndcg@" + k, "mrr@" + k, "precision@" + k));
        }
        for (int k : ks) {
            names.add("coverage@" + k);
            names.add("novelty@" + k);
        }
        names.add("auc");
        return names;
    }

    /**
     * @param recommender the fitted recommender
     * @param split the split (its test cases and training events are used)
     * @return the metrics (train seconds 0; set them with {@link EvalResult#withTrainSeconds})
     */
    public EvalResult evaluate(Recommender recommender, EvalSplit split) {
        long t0 = System.nanoTime();
        List<EvalCase> cases = split.test();
        int maxK = ks[ks.length - 1];
        int perK = 5;
        int nm = ks.length * perK + ks.length + 1;
        double[][] values = new double[cases.size()][];
        int[][] tops = new int[cases.size()][];
        // popularity for novelty: training users per item
        Map<String, Set<String>> usersOf = new HashMap<>();
        Set<String> users = new HashSet<>();
        for (BehaviorEvent e : split.train()) {
            users.add(e.userId());
            usersOf.computeIfAbsent(e.itemId(), x -> new HashSet<>()).add(e.userId());
        }
        Map<String, Integer> listIds = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger nextId = new java.util.concurrent.atomic.AtomicInteger();
        ItemScorer scorer = recommender instanceof ItemScorer ? (ItemScorer) recommender : null;
        ItemIndex index = scorer == null ? null : scorer.itemIndex();
        AtomicLong done = new AtomicLong();
        long every = Math.max(1, cases.size() / 100);
        Parallel.forEach(threads, cases.size(), () -> scorer == null ? null : new float[index.size()], (scores, c) -> {
            EvalCase ec = cases.get(c);
            RecommendationRequest req = RecommendationRequest.builder(maxK).user(ec.userId()).history(ec.input()).build();
            int[] ranks = new int[ec.targets().size()];
            double auc = Double.NaN;
            int[] top;
            if (scorer != null) {
                scorer.scoreAll(req, scores);
                Set<String> targets = new HashSet<>(ec.targets());
                for (BehaviorEvent e : ec.input()) {
                    int i = index.indexOf(e.itemId());
                    if (i >= 0 && !targets.contains(e.itemId())) {
                        scores[i] = Float.NEGATIVE_INFINITY;
                    }
                }
                int[] tIdx = new int[ranks.length];
                for (int t = 0; t < ranks.length; t++) {
                    tIdx[t] = index.indexOf(ec.targets().get(t));
                }
                long admissible = 0;
                for (float s : scores) {
                    if (s != Float.NEGATIVE_INFINITY) {
                        admissible++;
                    }
                }
                double aucSum = 0;
                for (int t = 0; t < ranks.length; t++) {
                    if (tIdx[t] < 0) {
                        ranks[t] = Integer.MAX_VALUE;
                        continue;
                    }
                    float st = scores[tIdx[t]];
                    int ahead = 0;
                    for (int i = 0; i < scores.length; i++) {
                        if (i != tIdx[t] && scores[i] >= st) {
                            ahead++;
                        }
                    }
                    ranks[t] = ahead + 1;
                    long negatives = admissible - ranks.length;
                    int otherTargetsAhead = 0;
                    for (int u = 0; u < ranks.length; u++) {
                        if (u != t && tIdx[u] >= 0 && scores[tIdx[u]] >= st) {
                            otherTargetsAhead++;
                        }
                    }
                    aucSum += negatives <= 0 ? 1 : 1 - (ahead - otherTargetsAhead) / (double) negatives;
                }
                auc = aucSum / ranks.length;
                top = TopK.select(scores, maxK, i -> true);
            } else {
                List<Recommendation> recs = recommender.recommend(req);
                Map<String, Integer> pos = new HashMap<>();
                for (int p = 0; p < recs.size(); p++) {
                    pos.putIfAbsent(recs.get(p).itemId(), p);
                }
                for (int t = 0; t < ranks.length; t++) {
                    Integer p = pos.get(ec.targets().get(t));
                    if (p == null) {
                        ranks[t] = Integer.MAX_VALUE;
                    } else {
                        double st = recs.get(p).score();
                        int ahead = 0;
                        for (int q = 0; q < recs.size(); q++) {
                            if (q != p && recs.get(q).score() >= st) {
                                ahead++;
                            }
                        }
                        ranks[t] = ahead + 1;
                    }
                }
                top = new int[recs.size()];
                for (int p = 0; p < recs.size(); p++) {
                    top[p] = listIds.computeIfAbsent(recs.get(p).itemId(), x -> nextId.getAndIncrement());
                }
            }
            double[] v = new double[nm];
            for (int q = 0; q < ks.length; q++) {
                int k = ks[q];
                v[q * perK] = Metrics.hitRate(ranks, k);
                v[q * perK + 1] = Metrics.recall(ranks, k);
                v[q * perK + 2] = Metrics.ndcg(ranks, k);
                v[q * perK + 3] = Metrics.mrr(ranks, k);
                v[q * perK + 4] = Metrics.precision(ranks, k);
            }
            v[nm - 1] = auc;
            values[c] = v;
            tops[c] = top;
            long d = done.incrementAndGet();
            if (d % every == 0 || d == cases.size()) {
                progress.onProgress(new Progress("evaluate " + recommender.name(), d, cases.size(), "users",
                        System.nanoTime() - t0, Map.of()));
            }
        });
        // id of a list position, for coverage and novelty
        String[] idOf;
        if (scorer != null) {
            idOf = index.ids().toArray(new String[0]);
        } else {
            idOf = new String[listIds.size()];
            listIds.forEach((id, i) -> idOf[i] = id);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        List<String> names = metricNames();
        int n = cases.size();
        for (int q = 0; q < ks.length * perK; q++) {
            double sum = 0;
            for (double[] v : values) {
                sum += v[q];
            }
            out.put(names.get(q), n == 0 ? 0 : sum / n);
        }
        for (int q = 0; q < ks.length; q++) {
            int k = ks[q];
            BitSet seen = new BitSet();
            double nov = 0;
            long cnt = 0;
            for (int[] top : tops) {
                for (int p = 0; p < Math.min(k, top.length); p++) {
                    seen.set(top[p]);
                    Set<String> us = usersOf.get(idOf[top[p]]);
                    nov += Metrics.novelty(us == null ? 0 : us.size(), users.size());
                    cnt++;
                }
            }
            out.put("coverage@" + k, Metrics.coverage(seen.cardinality(), split.itemCount()));
            out.put("novelty@" + k, cnt == 0 ? 0 : nov / cnt);
        }
        double aucSum = 0;
        for (double[] v : values) {
            aucSum += v[nm - 1];
        }
        out.put("auc", n == 0 ? Double.NaN : aucSum / n);
        return new EvalResult(recommender.name(), out, n, scorer != null, 0, (System.nanoTime() - t0) / 1e9);
    }
}
