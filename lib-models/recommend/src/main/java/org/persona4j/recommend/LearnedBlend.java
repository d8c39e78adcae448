package org.persona4j.recommend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.RecommendationRequest;

/**
 * Blend weights of several scorers learned on validation cases, separately for short and long
 * histories: the weights a {@link HybridRecommender} applies to its parts' max-normalised scores.
 *
 * <p>{@link #learn} scores every validation case with every part (the case's input as the history),
 * keeps each part's {@value #CANDIDATES} best items (input items excluded, as the evaluator does)
 * plus the target, and tries every combination of the weights {@link #GRID} (all zero excluded)
 * on those candidates: the target's rank is 1 + the candidates whose blended score is at least its
 * own (ties against the target), and the combination with the best mean NDCG@10 wins (ties to the
 * earlier combination, in which the first part's weight varies slowest). A case whose input has at
 * most {@code shortHistory} events counts for the short weights, the others for the long ones; a
 * bucket with fewer than {@value #MIN_BUCKET_CASES} cases takes the weights chosen on all cases.
 * The weights are scaled so that the largest is 1. A target outside every part's candidates counts
 * as a miss: the blend's top 10 comes from those candidates whatever the weights.
 *
 * <p>Deterministic for the same parts, cases and seed (the case sample is seeded).
 *
 * @param parts the part names, in the order of the weights
 * @param shortHistory the most input events of a short history
 * @param shortWeights the weights for short histories
 * @param longWeights the weights for long histories
 * @param shortCases validation cases behind the short weights
 * @param longCases validation cases behind the long weights
 * @param validationNdcg mean NDCG@10 on the validation cases: {@code "blend"} and each part alone
 *     (the part at weight 1, the others 0), over both buckets with their own weights
 */
public record LearnedBlend(List<String> parts, int shortHistory, double[] shortWeights, double[] longWeights, int shortCases,
                           int longCases, Map<String, Double> validationNdcg) {
    /** The weights tried for every part. */
    public static final double[] GRID = {0, 0.25, 0.5, 1, 2, 4};
    /** Candidates kept per part and case. */
    public static final int CANDIDATES = 200;
    /** The default bound of a short history, in events. */
    public static final int SHORT_HISTORY = 5;
    /** A bucket (short or long histories) with fewer cases takes the weights chosen on all cases. */
    public static final int MIN_BUCKET_CASES = 50;
    /** The default most validation cases used (a seeded sample beyond that). */
    public static final int MAX_CASES = 5_000;

    /** Validates and copies. */
    public LearnedBlend {
        if (parts == null || parts.isEmpty()) {
            throw new BadInputException("learned blend: field 'parts': at least one part is required");
        }
        parts = List.copyOf(parts);
        if (shortWeights == null || longWeights == null || shortWeights.length != parts.size()
                || longWeights.length != parts.size()) {
            throw new BadInputException("learned blend: one short and one long weight per part are required (" + parts.size()
                    + " parts)");
        }
        shortWeights = shortWeights.clone();
        longWeights = longWeights.clone();
        validationNdcg = validationNdcg == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(validationNdcg));
    }

    /** @return the short weights (a copy) */
    @Override
    public double[] shortWeights() {
        return shortWeights.clone();
    }

    /** @return the long weights (a copy) */
    @Override
    public double[] longWeights() {
        return longWeights.clone();
    }

    /**
     * @param historyLength events in the request's history
     * @return the weights for that history (a copy)
     */
    public double[] weightsFor(int historyLength) {
        return historyLength <= shortHistory ? shortWeights() : longWeights();
    }

    /**
     * @param historyLength events in the request's history
     * @return the weights as text, {@code "lstm 1, itemknn 0.5, sknn 0"}
     */
    public String describe(int historyLength) {
        double[] w = weightsFor(historyLength);
        StringBuilder b = new StringBuilder();
        for (int p = 0; p < parts.size(); p++) {
            b.append(p == 0 ? "" : ", ").append(parts.get(p)).append(' ').append(fmt(w[p]));
        }
        return b.toString();
    }

    /** @return the blend as plain values (for a model manifest or a report) */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("parts", parts);
        m.put("shortHistory", shortHistory);
        m.put("shortWeights", toList(shortWeights));
        m.put("longWeights", toList(longWeights));
        m.put("shortCases", shortCases);
        m.put("longCases", longCases);
        m.put("validationNdcg@10", validationNdcg);
        m.put("grid", toList(GRID));
        return m;
    }

    /**
     * Reads {@link #toMap()}.
     *
     * @param m the map
     * @return the blend
     * @throws BadInputException naming the field that is missing or malformed
     */
    @SuppressWarnings("unchecked")
    public static LearnedBlend fromMap(Map<String, ?> m) {
        try {
            List<String> parts = (List<String>) m.get("parts");
            Map<String, Double> ndcg = new LinkedHashMap<>();
            Object v = m.get("validationNdcg@10");
            if (v instanceof Map<?, ?> mm) {
                mm.forEach((k, x) -> ndcg.put(String.valueOf(k), ((Number) x).doubleValue()));
            }
            return new LearnedBlend(parts, ((Number) m.get("shortHistory")).intValue(), doubles(m.get("shortWeights")),
                    doubles(m.get("longWeights")), ((Number) m.get("shortCases")).intValue(), ((Number) m.get("longCases")).intValue(),
                    ndcg);
        } catch (ClassCastException | NullPointerException e) {
            throw new BadInputException("learned blend: expected parts, shortHistory, shortWeights, longWeights, shortCases and"
                    + " longCases, got " + m.keySet() + " (" + e.getMessage() + ")");
        }
    }

    /** One validation case: the history the parts see and the held-out target. */
    public record Case(List<BehaviorEvent> input, String target) {
    }

    /**
     * Learns the weights.
     *
     * @param names the part names
     * @param parts the scorers, fitted without the cases' targets
     * @param cases validation cases (input, target)
     * @param shortHistory the most input events of a short history, {@code >= 0}
     * @param maxCases at most this many cases are used (a seeded sample), {@code >= 1}
     * @param seed the sample's seed
     * @return the learned blend
     */
    public static LearnedBlend learn(List<String> names, List<? extends ItemScorer> parts, List<Case> cases, int shortHistory,
                                     int maxCases, long seed) {
        if (names == null || parts == null || names.size() != parts.size() || parts.isEmpty()) {
            throw new BadInputException("learned blend: one name per part and at least one part are required");
        }
        if (shortHistory < 0 || maxCases < 1) {
            throw new BadInputException("learned blend: shortHistory must be >= 0 and maxCases >= 1, were " + shortHistory + " and "
                    + maxCases);
        }
        List<Case> use = new ArrayList<>(cases);
        if (use.size() > maxCases) {
            Collections.shuffle(use, new Random(seed ^ 0xB1E9DL));
            use = new ArrayList<>(use.subList(0, maxCases));
        }
        int np = parts.size();
        List<Prepared> shortOnes = new ArrayList<>();
        List<Prepared> longOnes = new ArrayList<>();
        float[][] buf = new float[np][];
        for (int p = 0; p < np; p++) {
            buf[p] = new float[parts.get(p).itemIndex().size()];
        }
        for (Case c : use) {
            Prepared pr = prepare(parts, c, buf);
            (c.input().size() <= shortHistory ? shortOnes : longOnes).add(pr);
        }
        double[][] combos = combos(np);
        List<Prepared> all = new ArrayList<>(shortOnes);
        all.addAll(longOnes);
        double[] bestAll = best(all, combos);
        // a bucket with too few cases for its own choice takes the weights chosen on all cases
        double[] bestShort = shortOnes.size() < MIN_BUCKET_CASES ? bestAll : best(shortOnes, combos);
        double[] bestLong = longOnes.size() < MIN_BUCKET_CASES ? bestAll : best(longOnes, combos);
        Map<String, Double> ndcg = new LinkedHashMap<>();
        int n = shortOnes.size() + longOnes.size();
        if (n > 0) {
            ndcg.put("blend", (sum(shortOnes, bestShort) + sum(longOnes, bestLong)) / n);
            for (int p = 0; p < np; p++) {
                double[] alone = new double[np];
                alone[p] = 1;
                ndcg.put(names.get(p), (sum(shortOnes, alone) + sum(longOnes, alone)) / n);
            }
        }
        return new LearnedBlend(names, shortHistory, bestShort, bestLong, shortOnes.size(), longOnes.size(), ndcg);
    }

    /** A case reduced to its candidates: per candidate and part the normalised score; the target's index. */
    private record Prepared(float[][] score, int target) {
    }

    private static Prepared prepare(List<? extends ItemScorer> parts, Case c, float[][] buf) {
        RecommendationRequest req = RecommendationRequest.builder(10).history(c.input()).build();
        Set<String> seen = new HashSet<>();
        for (BehaviorEvent e : c.input()) {
            if (e.itemId() != null && !e.itemId().equals(c.target())) {
                seen.add(e.itemId());
            }
        }
        int np = parts.size();
        LinkedHashSet<String> cand = new LinkedHashSet<>();
        cand.add(c.target());
        for (int p = 0; p < np; p++) {
            ItemScorer s = parts.get(p);
            s.scoreAll(req, buf[p]);
            normalise(buf[p]);
            ItemIndex idx = s.itemIndex();
            for (int i : top(buf[p], CANDIDATES, idx, seen)) {
                cand.add(idx.id(i));
            }
        }
        List<String> ids = new ArrayList<>(cand);
        float[][] score = new float[ids.size()][np];
        for (int p = 0; p < np; p++) {
            ItemIndex idx = parts.get(p).itemIndex();
            for (int k = 0; k < ids.size(); k++) {
                int i = idx.indexOf(ids.get(k));
                score[k][p] = i >= 0 ? buf[p][i] : 0f;
            }
        }
        return new Prepared(score, 0);
    }

    /** As {@link HybridRecommender}: positive scores divided by the largest, the rest 0. */
    private static void normalise(float[] s) {
        float max = 0;
        for (float v : s) {
            max = Math.max(max, v);
        }
        for (int i = 0; i < s.length; i++) {
            s[i] = s[i] > 0 ? s[i] / max : 0f;
        }
    }

    /** The indices of the {@code k} best positive scores, seen items excluded. */
    private static int[] top(float[] s, int k, ItemIndex idx, Set<String> seen) {
        Integer[] order = new Integer[s.length];
        int n = 0;
        for (int i = 0; i < s.length; i++) {
            if (s[i] > 0 && !seen.contains(idx.id(i))) {
                order[n++] = i;
            }
        }
        Integer[] pos = Arrays.copyOf(order, n);
        Arrays.sort(pos, (a, b) -> s[a] != s[b] ? Float.compare(s[b], s[a]) : Integer.compare(a, b));
        int m = Math.min(k, n);
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            out[i] = pos[i];
        }
        return out;
    }

    /** Every weight combination of the grid, all-zero excluded, the first part varying slowest. */
    private static double[][] combos(int np) {
        List<double[]> out = new ArrayList<>();
        int[] at = new int[np];
        while (true) {
            double[] w = new double[np];
            boolean any = false;
            for (int p = 0; p < np; p++) {
                w[p] = GRID[at[p]];
                any |= w[p] > 0;
            }
            if (any) {
                out.add(w);
            }
            int p = np - 1;
            while (p >= 0 && ++at[p] == GRID.length) {
                at[p] = 0;
                p--;
            }
            if (p < 0) {
                break;
            }
        }
        return out.toArray(new double[0][]);
    }

    /** The best combination, scaled so that its largest weight is 1 (the ranking does not change). */
    private static double[] best(List<Prepared> cases, double[][] combos) {
        double[] best = combos[0];
        double bestSum = -1;
        for (double[] w : combos) {
            double s = sum(cases, w);
            if (s > bestSum + 1e-12) {
                bestSum = s;
                best = w;
            }
        }
        double max = 0;
        for (double v : best) {
            max = Math.max(max, v);
        }
        double[] out = new double[best.length];
        for (int p = 0; p < out.length; p++) {
            out[p] = best[p] / max;
        }
        return out;
    }

    /** The summed NDCG@10 of the cases under weights {@code w}. */
    private static double sum(List<Prepared> cases, double[] w) {
        double total = 0;
        for (Prepared c : cases) {
            double t = dot(c.score[c.target], w);
            if (t <= 0) {
                continue; // no part scores the target: a miss
            }
            int ahead = 0;
            for (int k = 0; k < c.score.length && ahead < 10; k++) {
                if (k != c.target && dot(c.score[k], w) >= t) {
                    ahead++;
                }
            }
            if (ahead < 10) {
                total += 1.0 / (Math.log(ahead + 2) / Math.log(2));
            }
        }
        return total;
    }

    private static double dot(float[] s, double[] w) {
        double d = 0;
        for (int p = 0; p < w.length; p++) {
            d += w[p] * s[p];
        }
        return d;
    }

    private static List<Double> toList(double[] a) {
        List<Double> l = new ArrayList<>(a.length);
        for (double v : a) {
            l.add(v);
        }
        return l;
    }

    private static double[] doubles(Object o) {
        List<?> l = (List<?>) o;
        double[] a = new double[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = ((Number) l.get(i)).doubleValue();
        }
        return a;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LearnedBlend[short (<= %d events, %d cases): %s; long (%d cases): %s; validation ndcg@10 %s]",
                shortHistory, shortCases, describe(0), longCases, describe(Integer.MAX_VALUE), validationNdcg);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LearnedBlend b && parts.equals(b.parts) && shortHistory == b.shortHistory
                && Arrays.equals(shortWeights, b.shortWeights) && Arrays.equals(longWeights, b.longWeights)
                && shortCases == b.shortCases && longCases == b.longCases && validationNdcg.equals(b.validationNdcg);
    }

    @Override
    public int hashCode() {
        return 31 * parts.hashCode() + Arrays.hashCode(shortWeights) * 17 + Arrays.hashCode(longWeights);
    }
}
