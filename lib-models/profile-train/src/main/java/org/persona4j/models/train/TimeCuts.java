package org.persona4j.models.train;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.features.sequence.SequenceEncoder;
import org.persona4j.models.nn.LeanProfileNetwork;
import org.persona4j.models.nn.ProfileNetState;
import org.persona4j.models.profile.ActivityCounters;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.profile.TimeAwareCalibration;
import org.persona4j.models.profile.UserFeatureSource;
import org.persona4j.recommend.Parallel;

/**
 * The examples the time-aware calibration ({@link TimeAwareCalibration}) is fitted on: for each of
 * the heads' validation users, {@link #PER_USER} points in time {@code T} drawn uniformly (seeded)
 * between the user's first event and the last time whose horizon the data still observes
 * ({@code T + horizon <= dataEnd}). At each {@code T} the state holds the events up to {@code T};
 * the example's inputs are the head's raw output there and the user's {@link ActivityCounters} as of
 * {@code T}; its label asks the question a shop asks at {@code T}:
 * purchase, "a purchase in {@code (T, T + H]}"; churn, "no event in {@code (T, T + N]}". Unlike the
 * heads' own training cuts, which sit at events, these sit anywhere in time, so quiet spells of
 * every length occur, as they do when a shop scores its users on a given day.
 *
 * <p>It also reports, by two-fold cross-fitting over users, the ROC-AUC of three variants on these
 * examples: the network's output alone (Platt), the counters alone (no network input) and both
 * (what is served), so a run shows what the network adds.
 */
final class TimeCuts {
    /** Points in time per validation user and head. */
    static final int PER_USER = 24;
    /** Fewest examples of the smaller class a calibration with eleven inputs is fitted on. */
    static final int MIN_CLASS = 10;
    /** The L2 penalty on the standardised weights. */
    static final double L2 = 1.0;

    private TimeCuts() {
    }

    /** One head's examples: inputs ({@link ActivityCounters#inputs}), labels and each example's user index. */
    record Examples(double[][] x, double[] y, int[] user) {
        int positives() {
            return (int) Arrays.stream(y).sum();
        }
    }

    /**
     * @param lean the network
     * @param enc its encoder
     * @param cases the heads' validation users (whole histories)
     * @param features static user features, or null
     * @param dataEnd the last timestamp of the data
     * @param targets the horizons
     * @param seed the seed of the drawn times
     * @param threads worker threads (the result does not depend on it)
     * @return {@code [purchase, churn]} examples (churn empty without a churn head)
     */
    static Examples[] examples(LeanProfileNetwork lean, SequenceEncoder enc, List<TrainingData.HeadCase> cases,
                               UserFeatureSource features, long dataEnd, ProfileModelConfig.Targets targets, long seed, int threads) {
        long[] horizon = {targets.purchaseHorizonMillis(), targets.churnHorizonMillis()};
        double[][][][] perUser = new double[cases.size()][][][];
        Parallel.forEach(threads, cases.size(), () -> null, (none, u) -> {
            TrainingData.HeadCase c = cases.get(u);
            List<BehaviorEvent> h = c.history();
            int n = h.size();
            long first = h.get(0).timestampMillis();
            // the drawn times of both heads, tagged with their head, sorted by time
            List<long[]> cuts = new ArrayList<>();
            SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (c.userId().hashCode() + 1L)));
            for (int head = 0; head < 2; head++) {
                if (head == 1 && !lean.hasChurnHead()) {
                    continue;
                }
                long last = dataEnd - horizon[head];
                if (last <= first) {
                    continue;
                }
                for (int k = 0; k < PER_USER; k++) {
                    cuts.add(new long[] {first + (long) (rng.nextDouble() * (last - first)), head});
                }
            }
            cuts.sort((a, b) -> Long.compare(a[0], b[0]));
            float[] stat = features == null ? null : features.features(c.userId());
            double[][][] out = {new double[cuts.size()][], new double[cuts.size()][]};
            ProfileNetState st = lean.initialState();
            long prev = -1;
            int next = 0;
            ActivityCounters activity = new ActivityCounters();
            int[] m = {0, 0};
            for (long[] cut : cuts) {
                long t = cut[0];
                int head = (int) cut[1];
                while (next < n && h.get(next).timestampMillis() <= t) {
                    BehaviorEvent e = h.get(next);
                    var s = enc.encodeStep(e, prev);
                    st = lean.step(st, s.item(), s.type(), s.category(), s.gap());
                    prev = e.timestampMillis();
                    activity.add(e.timestampMillis(), e.type());
                    next++;
                }
                float[] o = lean.heads(st, stat);
                double raw = head == 0 ? o[0] : o[o.length - 1];
                double label;
                if (head == 0) {
                    label = 0;
                    for (int j = next; j < n && h.get(j).timestampMillis() <= t + horizon[0]; j++) {
                        if (h.get(j).type() == EventType.PURCHASE) {
                            label = 1;
                            break;
                        }
                    }
                } else {
                    label = next < n && h.get(next).timestampMillis() <= t + horizon[1] ? 0 : 1;
                }
                double[] x = activity.inputs(raw, t);
                double[] row = Arrays.copyOf(x, x.length + 1);
                row[x.length] = label;
                out[head][m[head]++] = row;
            }
            perUser[u] = new double[][][] {Arrays.copyOf(out[0], m[0]), Arrays.copyOf(out[1], m[1])};
        });
        Examples[] result = new Examples[2];
        for (int head = 0; head < 2; head++) {
            List<double[]> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<Integer> us = new ArrayList<>();
            for (int u = 0; u < cases.size(); u++) {
                for (double[] row : perUser[u][head]) {
                    xs.add(Arrays.copyOf(row, row.length - 1));
                    ys.add(row[row.length - 1]);
                    us.add(u);
                }
            }
            result[head] = new Examples(xs.toArray(new double[0][]), ys.stream().mapToDouble(Double::doubleValue).toArray(),
                    us.stream().mapToInt(Integer::intValue).toArray());
        }
        return result;
    }

    /**
     * Fits each head's calibration on its examples and measures the three variants by two-fold
     * cross-fitting over users (even and odd user indices).
     *
     * @param ex from {@link #examples}
     * @param metrics receives {@code <head>_auc_at_t} (served), {@code <head>_auc_at_t_counters},
     *     {@code <head>_auc_at_t_network}, {@code <head>_brier_at_t} and {@code <head>_examples_at_t}
     * @return the manifest's calibration object ({@code "method": "time-aware"}), or null when no
     *     head has {@link PropensityValidation#MIN_CALIBRATION_EXAMPLES} examples with
     *     {@link #MIN_CLASS} of each class
     */
    static ObjectNode calibrate(Examples[] ex, Map<String, Double> metrics) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("method", "time-aware");
        out.set("features", JsonNodeFactory.instance.arrayNode().addAll(
                TimeAwareCalibration.FEATURES.stream().map(JsonNodeFactory.instance::textNode).toList()));
        boolean any = false;
        String[] names = {DeepProfileModel.PURCHASE, DeepProfileModel.CHURN};
        for (int k = 0; k < 2; k++) {
            Examples e = ex[k];
            int pos = e.positives();
            if (e.y().length < PropensityValidation.MIN_CALIBRATION_EXAMPLES || Math.min(pos, e.y().length - pos) < MIN_CLASS) {
                continue;
            }
            Map<String, Double> m = crossFitted(e);
            String name = names[k];
            m.forEach((key, v) -> metrics.put(name + "_" + key, v));
            TimeAwareCalibration c = TimeAwareCalibration.fit(e.x(), e.y(), L2);
            ObjectNode h = out.putObject(names[k]);
            var w = h.putArray("weights");
            for (double v : c.weights()) {
                w.add(v);
            }
            h.put("bias", c.bias());
            h.put("examples", c.examples());
            h.put("positives", c.positives());
            m.forEach(h::put);
            any = true;
        }
        return any ? out : null;
    }

    /** The inputs the network-only variant leaves out (all but the logit), and the counters-only one (the logit). */
    private static final int[] NETWORK_ONLY_OFF = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    private static final int[] COUNTERS_ONLY_OFF = {0};

    private static Map<String, Double> crossFitted(Examples e) {
        int n = e.y().length;
        double[][] p = new double[3][n];
        int[][] offs = {new int[0], COUNTERS_ONLY_OFF, NETWORK_ONLY_OFF};
        for (int fold = 0; fold < 2; fold++) {
            List<Integer> train = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                (e.user()[i] % 2 == fold ? test : train).add(i);
            }
            double[][] x = train.stream().map(i -> e.x()[i]).toArray(double[][]::new);
            double[] y = train.stream().mapToDouble(i -> e.y()[i]).toArray();
            boolean both = Arrays.stream(y).anyMatch(v -> v == 1) && Arrays.stream(y).anyMatch(v -> v == 0);
            for (int v = 0; v < 3; v++) {
                TimeAwareCalibration c = both ? TimeAwareCalibration.fit(x, y, L2, offs[v]) : null;
                double rate = Arrays.stream(y).average().orElse(0.5);
                for (int i : test) {
                    p[v][i] = c == null ? rate : c.apply(e.x()[i]);
                }
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        String[] names = {"auc_at_t", "auc_at_t_counters", "auc_at_t_network"};
        for (int v = 0; v < 3; v++) {
            double auc = PropensityValidation.auc(p[v], e.y());
            if (!Double.isNaN(auc)) {
                m.put(names[v], auc);
            }
        }
        m.put("brier_at_t", PropensityValidation.brier(p[0], e.y()));
        m.put("examples_at_t", (double) n);
        return m;
    }
}
