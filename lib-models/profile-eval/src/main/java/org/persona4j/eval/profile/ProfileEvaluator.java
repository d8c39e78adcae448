package org.persona4j.eval.profile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.EventType;
import org.persona4j.core.ProfileModel;

/**
 * Runs the profile evaluation: splits the data ({@link ProfileSplit}), builds the scorers (the
 * model's heads when a model is given, {@link HistoricalScorer}, {@link LogisticScorer} and
 * {@link ForestScorer} fitted at the earlier cutoffs, and {@link PopularCategoryScorer} as a reference for the category columns),
 * scores every case and computes the metrics; when the data has ratings, also the rating-polarity
 * block ({@link SentimentEvaluation}). Deterministic for a seed.
 */
public final class ProfileEvaluator {
    private static final long DAY_MS = 86_400_000L;

    private final ProfileEvalConfig config;

    /** @param config the settings */
    public ProfileEvaluator(ProfileEvalConfig config) {
        if (config == null) {
            throw new BadInputException("profile evaluator: 'config' is required");
        }
        this.config = config;
    }

    /**
     * @param dataset a name for the report
     * @param events every event of the data set
     * @param catalog its catalogue (categories)
     * @param model the profile model to measure, or null for the baselines only
     * @param modelName the model's row name (e.g. "deep"), used when {@code model} is given
     * @return the report
     * @throws BadInputException when the data cannot be split under the protocol
     */
    public ProfileEvalReport evaluate(String dataset, List<BehaviorEvent> events, Catalog catalog, ProfileModel model,
                                      String modelName) {
        if (events == null || catalog == null) {
            throw new BadInputException("profile evaluator: 'events' and 'catalog' are required");
        }
        Map<String, List<BehaviorEvent>> byUser = ProfileSplit.byUser(events);
        boolean hasPurchases = events.stream().anyMatch(e -> e.type() == EventType.PURCHASE);
        List<String> notes = new ArrayList<>();
        AggregateFeatures features = new AggregateFeatures(catalog, config.horizonDays(), config.churnDays());
        ProfileSplit split;
        List<CaseScorer> scorers = new ArrayList<>();
        if (model != null) {
            scorers.add(new DeepProfileScorer(model, modelName == null ? "deep" : modelName));
        }
        scorers.add(new HistoricalScorer(features, config.horizonDays(), config.churnDays(), config.level()));
        boolean measurePurchase;
        boolean measureChurn;
        if (config.protocol() == ProfileEvalConfig.Protocol.TEMPORAL) {
            long t = ProfileSplit.chooseCutoff(events, config.horizonDays(), config.churnDays());
            split = ProfileSplit.temporal(byUser, t, config.horizonDays(), config.churnDays(), catalog, config.level(),
                    config.anchorAtLastEvent());
            measurePurchase = hasPurchases;
            measureChurn = true;
            if (!hasPurchases) {
                notes.add("purchase: n/a, the data has no PURCHASE events");
            }
            long min = events.stream().mapToLong(BehaviorEvent::timestampMillis).min().orElseThrow();
            ProfileSplit purchaseTrain = null;
            ProfileSplit churnTrain = null;
            long tp = t - config.horizonDays() * DAY_MS;
            long tc = t - config.churnDays() * DAY_MS;
            if (hasPurchases && tp > min) {
                purchaseTrain = ProfileSplit.temporal(byUser, tp, config.horizonDays(), config.churnDays(), catalog, config.level(),
                        config.anchorAtLastEvent());
            }
            if (tc > min) {
                churnTrain = ProfileSplit.temporal(byUser, tc, config.horizonDays(), config.churnDays(), catalog, config.level(),
                        config.anchorAtLastEvent());
            } else {
                notes.add("logistic regression churn: n/a, no data before the training cutoff T - N = " + Instant.ofEpochMilli(tc));
            }
            scorers.add(new LogisticScorer(features, purchaseTrain, churnTrain, config.seed()));
            scorers.add(new ForestScorer(features, purchaseTrain, churnTrain, config.seed()));
        } else {
            split = ProfileSplit.leaveLastOut(byUser, catalog, config.level());
            scorers.add(new LogisticScorer(features, null, null, config.seed()));
            scorers.add(new ForestScorer(features, null, null, config.seed()));
            measurePurchase = false;
            measureChurn = false;
            notes.add("purchase, churn: n/a under leave-last-out (no real time after the history); category only");
        }
        if (!split.cases().isEmpty()) {
            scorers.add(new PopularCategoryScorer(split, catalog, config.level()));
        }
        if (split.cases().isEmpty()) {
            throw new BadInputException("profile evaluator: no user has a history under the " + split.protocol() + " protocol ("
                    + split.users() + " users, " + split.skippedNoHistory() + " skipped)");
        }
        if (measurePurchase && (split.purchasers() == 0 || split.purchasers() == split.cases().size())) {
            notes.add("purchase: AUC n/a, every case has the same label (" + split.purchasers() + " of " + split.cases().size()
                    + " bought within " + config.horizonDays() + " days)");
        }
        if (measureChurn && (split.churners() == 0 || split.churners() == split.cases().size())) {
            notes.add("churn: AUC n/a, every case has the same label (" + split.churners() + " of " + split.cases().size()
                    + " had no event within " + config.churnDays() + " days after T)");
        }
        fewInOneClass(notes, "purchase", measurePurchase, split.purchasers(), split.cases().size());
        fewInOneClass(notes, "churn", measureChurn, split.churners(), split.cases().size());
        if (split.withNextCategory() == 0) {
            notes.add("category: n/a, no case has a next event whose item has a category in the catalogue");
        }
        List<ScorerResult> rows = new ArrayList<>();
        for (CaseScorer s : scorers) {
            rows.add(measure(s, split, measurePurchase, measureChurn));
        }
        SentimentResult sentiment = null;
        if (!SentimentEvaluation.hasRatings(events)) {
            notes.add("sentiment: n/a, no ratings");
        } else {
            sentiment = SentimentEvaluation.measure(byUser, split, catalog, config.level());
            if (sentiment == null) {
                notes.add("sentiment: n/a, no case has a rated event in its history and a rated event after it");
            }
        }
        return new ProfileEvalReport(dataset, split.protocol(), split.cutoffMillis(), config, split.users(), split.cases().size(),
                split.skippedNoHistory(), split.purchasers(), split.churners(), split.withNextCategory(), notes, rows, sentiment);
    }

    /** Cases in the smaller class below which the report warns that AUC and PR-AUC are only indicative. */
    static final int FEW = 30;

    private static void fewInOneClass(List<String> notes, String target, boolean measured, int positives, int cases) {
        int minority = Math.min(positives, cases - positives);
        if (measured && minority > 0 && minority < FEW) {
            notes.add(target + ": only " + minority + " of " + cases + " cases in the " + (positives < cases - positives
                    ? "positive" : "negative") + " class; AUC and PR-AUC are indicative only");
        }
    }

    private ScorerResult measure(CaseScorer s, ProfileSplit split, boolean measurePurchase, boolean measureChurn) {
        List<ProfileCase> cases = split.cases();
        int n = cases.size();
        double[] pp = new double[n];
        double[] pc = new double[n];
        List<Map<String, Double>> cats = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Scores sc = s.score(cases.get(i));
            pp[i] = sc.purchase();
            pc[i] = sc.churn();
            cats.add(sc.categories());
        }
        BinaryMetrics purchase = measurePurchase ? binary(cases, pp, true) : null;
        BinaryMetrics churn = measureChurn ? binary(cases, pc, false) : null;
        CategoryMetrics category = category(cases, cats);
        return new ScorerResult(s.name(), s.description(), purchase, churn, category, s.note());
    }

    private BinaryMetrics binary(List<ProfileCase> cases, double[] scores, boolean purchase) {
        int m = 0;
        for (double v : scores) {
            m += Double.isNaN(v) ? 0 : 1;
        }
        if (m == 0) {
            return null;
        }
        double[] p = new double[m];
        boolean[] y = new boolean[m];
        int j = 0;
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isNaN(scores[i])) {
                p[j] = scores[i];
                y[j] = purchase ? cases.get(i).purchased() : cases.get(i).churned();
                j++;
            }
        }
        return BinaryMetrics.of(p, y, config.bins());
    }

    private CategoryMetrics category(List<ProfileCase> cases, List<Map<String, Double>> scores) {
        List<Integer> idx = new ArrayList<>();
        boolean offered = false;
        for (int i = 0; i < cases.size(); i++) {
            Map<String, Double> m = scores.get(i);
            offered |= m != null && !m.isEmpty();
            if (cases.get(i).nextCategory() != null) {
                idx.add(i);
            }
        }
        if (!offered || idx.isEmpty()) {
            return null;
        }
        int k = config.k();
        double hr = 0;
        double ndcg = 0;
        Set<String> names = new LinkedHashSet<>();
        for (int i : idx) {
            Map<String, Double> m = scores.get(i) == null ? Map.of() : scores.get(i);
            String target = cases.get(i).nextCategory();
            names.add(target);
            int rank = Metrics.rankOf(m, target);
            hr += Metrics.hit(rank, k);
            ndcg += Metrics.ndcg(rank, k);
        }
        double aucSum = 0;
        int aucN = 0;
        double[] sc = new double[idx.size()];
        boolean[] y = new boolean[idx.size()];
        for (String c : names) {
            for (int j = 0; j < idx.size(); j++) {
                Map<String, Double> m = scores.get(idx.get(j));
                Double v = m == null ? null : m.get(c);
                sc[j] = v == null ? 0 : v;
                y[j] = c.equals(cases.get(idx.get(j)).nextCategory());
            }
            double auc = Metrics.rocAuc(sc, y);
            if (!Double.isNaN(auc)) {
                aucSum += auc;
                aucN++;
            }
        }
        return new CategoryMetrics(idx.size(), k, hr / idx.size(), ndcg / idx.size(), aucN == 0 ? Double.NaN : aucSum / aucN,
                aucN);
    }
}
