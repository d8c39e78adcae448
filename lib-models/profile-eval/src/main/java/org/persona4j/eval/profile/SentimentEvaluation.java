package org.persona4j.eval.profile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.features.aggregate.RatingPolarity;

/**
 * The rating-polarity measurement: for every case, the target is the user's first rated event after
 * the history (temporal: the first rated event after T; leave-last-out: the held-out last event,
 * when it is rated), labelled positive when its rating is {@code >= 4}. Four scores of increasing
 * personalisation are compared, all fitted on the histories only ({@link RatingPolarity}, prior count
 * 5):
 * <ol>
 * <li>the global positive rate of the history ratings (a constant: AUC 0.5);</li>
 * <li>the target item's shrunk mean rating (item bias);</li>
 * <li>item mean + the user's polarity (shrunk mean deviation from the item means);</li>
 * <li>item mean + the user's polarity within the target item's category (shrunk toward the overall
 *     polarity).</li>
 * </ol>
 * AUC ranks the raw scores. The Brier score is of the score mapped to a probability by a logistic
 * fit (two parameters) on the same question asked one rating earlier: for every case, the last
 * rated event of its history, scored from the events before it (leaving out the user's other
 * ratings of that item) and its item's mean without that rating; the constant's probability is the
 * positive share of the history ratings.
 */
public final class SentimentEvaluation {
    /** Ratings at or above this are positive. */
    public static final double POSITIVE = 4;

    private SentimentEvaluation() {
    }

    /**
     * @param events every event
     * @return whether any event carries a rating
     */
    public static boolean hasRatings(List<BehaviorEvent> events) {
        for (BehaviorEvent e : events) {
            if (e.rating().isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param byUser every user's events in time order ({@link ProfileSplit#byUser})
     * @param split the split whose case histories are the training data
     * @param catalog the catalogue giving items' categories
     * @param level the category level of the category polarity
     * @return the results, or null when no case has a rated event after its history
     */
    public static SentimentResult measure(Map<String, List<BehaviorEvent>> byUser, ProfileSplit split, Catalog catalog,
                                          CategoryLevel level) {
        if (byUser == null || split == null || catalog == null || level == null) {
            throw new BadInputException("sentiment: 'byUser', 'split', 'catalog' and 'level' are required");
        }
        double k = RatingPolarity.DEFAULT_PRIOR;
        List<BehaviorEvent> training = new ArrayList<>();
        for (ProfileCase c : split.cases()) {
            training.addAll(c.history());
        }
        RatingPolarity pol = RatingPolarity.fit(training, k, k);
        if (!pol.hasRatings()) {
            return null;
        }
        Map<String, String> cache = new HashMap<>();
        Function<String, String> categoryOf = id -> cache.computeIfAbsent(id,
                i -> catalog.item(i).map(level::of).orElse(null));
        // scores of the history ratings (for the probability mapping) and of the targets
        List<double[]> train = new ArrayList<>(); // {item, user, category, label}: the mapping's examples
        List<double[]> test = new ArrayList<>();
        int posTrain = 0;
        long ratings = 0;
        for (ProfileCase c : split.cases()) {
            List<BehaviorEvent> all = byUser.get(c.userId());
            BehaviorEvent target = null;
            for (int i = c.history().size(); all != null && i < all.size(); i++) {
                if (all.get(i).rating().isPresent()) {
                    target = all.get(i);
                    break;
                }
            }
            RatingPolarity.User u = pol.user(c.history(), categoryOf);
            int last = -1;
            for (int i = 0; i < c.history().size(); i++) {
                OptionalDouble r = c.history().get(i).rating();
                if (r.isPresent()) {
                    ratings++;
                    posTrain += r.getAsDouble() >= POSITIVE ? 1 : 0;
                    last = i;
                }
            }
            if (last >= 0) {
                // the same question one rating earlier, for the probability mapping: the last rated
                // event of the history, scored from the events before it and its item's other ratings
                BehaviorEvent e = c.history().get(last);
                double r = e.rating().getAsDouble();
                List<BehaviorEvent> prefix = new ArrayList<>();
                for (BehaviorEvent p : c.history().subList(0, last)) {
                    if (e.itemId() == null || !e.itemId().equals(p.itemId())) {
                        prefix.add(p); // not an earlier rating of the same item (a RATE that a REVIEW repeats)
                    }
                }
                RatingPolarity.User before = pol.user(prefix, categoryOf);
                double item = pol.itemMeanWithout(e.itemId(), r);
                String cat = e.itemId() == null ? null : categoryOf.apply(e.itemId());
                train.add(new double[] {item, item + before.overall(), item + before.inCategory(cat), r >= POSITIVE ? 1 : 0});
            }
            if (target != null) {
                test.add(scores(pol, u, target, categoryOf, target.rating().getAsDouble() >= POSITIVE));
            }
        }
        if (test.isEmpty()) {
            return null;
        }
        int n = test.size();
        boolean[] y = new boolean[n];
        int pos = 0;
        for (int i = 0; i < n; i++) {
            y[i] = test.get(i)[3] > 0;
            pos += y[i] ? 1 : 0;
        }
        double rate = (double) posTrain / ratings;
        List<SentimentResult.Row> rows = new ArrayList<>();
        double[] constant = new double[n];
        java.util.Arrays.fill(constant, rate);
        rows.add(new SentimentResult.Row("global positive rate", "the share of history ratings >= 4 ("
                + String.format(java.util.Locale.ROOT, "%.3f", rate) + "), the same for everyone",
                Metrics.rocAuc(constant, y), Metrics.brier(constant, y)));
        String[] names = {"item mean", "item + user polarity", "item + category polarity"};
        String[] descriptions = {
            "the target item's mean history rating, shrunk toward the global mean (prior count " + fmt(k) + ")",
            "item mean + the user's mean deviation from the item means, shrunk toward 0 (prior count " + fmt(k) + ")",
            "item mean + the user's deviation within the target item's category, shrunk toward the user's (prior count "
                + fmt(k) + ")"};
        for (int col = 0; col < 3; col++) {
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = test.get(i)[col];
            }
            double[] ab = logisticFit(train, col);
            if (!Double.isFinite(ab[0]) || !Double.isFinite(ab[1])) {
                ab = new double[] {0, Math.log(rate / (1 - rate))};
            }
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                p[i] = sigmoid(ab[0] * s[i] + ab[1]);
            }
            rows.add(new SentimentResult.Row(names[col], descriptions[col], Metrics.rocAuc(s, y), Metrics.brier(p, y)));
        }
        String what = split.binaryLabels() ? "the first rated event after T" : "the held-out last event, when rated";
        return new SentimentResult("next rating >= " + fmt(POSITIVE) + " (" + what + ")", n, pos, ratings, k, rows);
    }

    private static double[] scores(RatingPolarity pol, RatingPolarity.User u, BehaviorEvent e, Function<String, String> categoryOf,
                                   boolean positive) {
        double item = pol.itemMean(e.itemId());
        String cat = e.itemId() == null ? null : categoryOf.apply(e.itemId());
        return new double[] {item, item + u.overall(), item + u.inCategory(cat), positive ? 1 : 0};
    }

    /** p = sigmoid(a·s + b) by Newton's method on the log loss, a little ridge on a; returns {a, b}. */
    static double[] logisticFit(List<double[]> rows, int col) {
        double a = 0;
        double b = 0;
        double lambda = 1e-6 * Math.max(1, rows.size());
        for (int it = 0; it < 50; it++) {
            double ga = lambda * a;
            double gb = 0;
            double haa = lambda;
            double hab = 0;
            double hbb = 1e-9;
            for (double[] r : rows) {
                double s = r[col];
                double p = sigmoid(a * s + b);
                double d = p - r[3];
                double w = p * (1 - p);
                ga += d * s;
                gb += d;
                haa += w * s * s;
                hab += w * s;
                hbb += w;
            }
            double det = haa * hbb - hab * hab;
            if (!(Math.abs(det) > 1e-12)) {
                break;
            }
            double da = (hbb * ga - hab * gb) / det;
            double db = (haa * gb - hab * ga) / det;
            a -= da;
            b -= db;
            if (Math.abs(da) + Math.abs(db) < 1e-9) {
                break;
            }
        }
        return new double[] {a, b};
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
