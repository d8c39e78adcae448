package org.persona4j.models.train;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.features.sequence.SequenceEncoder;
import org.persona4j.models.nn.LeanProfileNetwork;
import org.persona4j.models.nn.ProfileNetState;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.profile.PlattScaling;
import org.persona4j.models.profile.UserFeatureSource;
import org.persona4j.recommend.Parallel;

/**
 * The purchase and churn heads on the validation users: their raw outputs after each case's input
 * (through the lean path, as served), ROC-AUC and Brier score against the {@link PropensityLabels}
 * of the cut after the input (censored cases left out), and the Platt scaling fitted on them after
 * training. Small on purpose: the full evaluation of propensities belongs to the evaluation module.
 */
final class PropensityValidation {
    /** Fewest labelled validation examples, with at least one of each class, that a calibration is fitted on. */
    static final int MIN_CALIBRATION_EXAMPLES = 20;

    private PropensityValidation() {
    }

    /**
     * @param lean the network
     * @param enc its encoder
     * @param cases the heads' validation cases
     * @param features static user features, or null
     * @param threads worker threads (the figures do not depend on it)
     * @return per head ({@code 0} purchase, {@code 1} churn) {@code [raw outputs, labels]} over every
     *     case's cuts, in case order (churn empty without a churn head)
     */
    static double[][][] raw(LeanProfileNetwork lean, SequenceEncoder enc, List<TrainingData.HeadCase> cases,
                            UserFeatureSource features, int threads) {
        double[][][] perCase = new double[cases.size()][][];
        Parallel.forEach(threads, cases.size(), () -> null, (none, i) -> {
            TrainingData.HeadCase c = cases.get(i);
            float[] stat = features == null ? null : features.features(c.userId());
            double[][] out = {new double[c.cuts()[0].length], new double[c.cuts()[1].length]};
            int last = Math.max(c.cuts()[0].length == 0 ? -1 : c.cuts()[0][c.cuts()[0].length - 1],
                    c.cuts()[1].length == 0 ? -1 : c.cuts()[1][c.cuts()[1].length - 1]);
            int[] next = {0, 0};
            ProfileNetState st = lean.initialState();
            long prev = -1;
            for (int k = 0; k <= last; k++) {
                BehaviorEvent e = c.history().get(k);
                var s = enc.encodeStep(e, prev);
                st = lean.step(st, s.item(), s.type(), s.category(), s.gap());
                prev = e.timestampMillis();
                float[] h = null;
                for (int head = 0; head < 2; head++) {
                    if (next[head] < c.cuts()[head].length && c.cuts()[head][next[head]] == k) {
                        h = h == null ? lean.heads(st, stat) : h;
                        out[head][next[head]++] = head == 0 ? h[0] : lean.hasChurnHead() ? h[h.length - 1] : Double.NaN;
                    }
                }
            }
            perCase[i] = out;
        });
        double[][][] result = new double[2][2][];
        for (int head = 0; head < 2; head++) {
            List<double[]> xy = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                for (int j = 0; j < perCase[i][head].length; j++) {
                    if (!Double.isNaN(perCase[i][head][j])) {
                        xy.add(new double[] {perCase[i][head][j], cases.get(i).labels()[head][j]});
                    }
                }
            }
            result[head][0] = xy.stream().mapToDouble(v -> v[0]).toArray();
            result[head][1] = xy.stream().mapToDouble(v -> v[1]).toArray();
        }
        return result;
    }

    /**
     * AUC and Brier score of both heads.
     *
     * @param raw from {@link #raw}
     * @return {@code purchase_auc, purchase_brier, purchase_n, churn_auc, churn_brier, churn_n}, a head's
     *     figures only when it has labelled cases (AUC only when both classes occur)
     */
    static Map<String, Double> metrics(double[][][] raw) {
        Map<String, Double> m = new LinkedHashMap<>();
        head(m, "purchase", raw[0], null);
        head(m, "churn", raw[1], null);
        return m;
    }

    private static void head(Map<String, Double> m, String name, double[][] xy, PlattScaling cal) {
        if (xy[0].length == 0) {
            return;
        }
        double[] p = xy[0];
        if (cal != null) {
            p = p.clone();
            for (int i = 0; i < p.length; i++) {
                p[i] = cal.apply(p[i]);
            }
        }
        double auc = auc(p, xy[1]);
        if (!Double.isNaN(auc)) {
            m.put(name + "_auc", auc);
        }
        m.put(name + "_brier", brier(p, xy[1]));
        m.put(name + "_n", (double) p.length);
    }

    /**
     * Fits the Platt scaling of each head on the validation cases' cuts.
     *
     * @param raw from {@link #raw}
     * @param metrics receives the calibrated Brier scores ({@code purchase_brier_calibrated}, ...)
     * @return the manifest's {@value DeepProfileModel#CALIBRATION_KEY} object, or null when no head
     *     has {@link #MIN_CALIBRATION_EXAMPLES} labelled cuts of both classes
     */
    static ObjectNode calibrate(double[][][] raw, Map<String, Double> metrics) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("method", "platt");
        boolean any = false;
        String[] names = {DeepProfileModel.PURCHASE, DeepProfileModel.CHURN};
        for (int k = 0; k < 2; k++) {
            double[][] xy = raw[k];
            int pos = (int) Arrays.stream(xy[1]).sum();
            if (xy[0].length < MIN_CALIBRATION_EXAMPLES || pos == 0 || pos == xy[0].length) {
                continue;
            }
            PlattScaling c = PlattScaling.fit(xy[0], xy[1]);
            ObjectNode h = out.putObject(names[k]);
            h.put("a", c.a());
            h.put("b", c.b());
            h.put("examples", c.examples());
            h.put("positives", c.positives());
            Map<String, Double> m = new LinkedHashMap<>();
            head(m, names[k], xy, c);
            metrics.put(names[k] + "_brier_calibrated", m.get(names[k] + "_brier"));
            any = true;
        }
        return any ? out : null;
    }

    /**
     * ROC-AUC of probabilities against 0/1 labels (label &gt; 0 is positive): {@link org.persona4j.eval.Metrics#auc},
     * ties sharing their mean rank; NaN without both classes.
     */
    static double auc(double[] s, double[] y) {
        boolean[] positive = new boolean[y.length];
        for (int i = 0; i < y.length; i++) {
            positive[i] = y[i] > 0;
        }
        return org.persona4j.eval.Metrics.auc(s, positive);
    }

    /** Mean squared difference of probability and label. */
    static double brier(double[] p, double[] y) {
        double b = 0;
        for (int i = 0; i < p.length; i++) {
            b += (p[i] - y[i]) * (p[i] - y[i]);
        }
        return p.length == 0 ? Double.NaN : b / p.length;
    }
}
