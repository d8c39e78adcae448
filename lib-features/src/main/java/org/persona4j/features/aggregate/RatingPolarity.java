package org.persona4j.features.aggregate;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;

/**
 * Rating polarity: how a user rates compared with how everyone rates the same items, the
 * "baseline predictor" (bias model) of rating prediction, fitted from the rated events (those whose
 * {@link BehaviorEvent#rating()} is present).
 *
 * <ul>
 * <li><b>item mean</b>: the item's mean rating, shrunk toward the global mean μ with a prior count
 *     {@code kItem}: {@code (Σ r + kItem·μ) / (n + kItem)}; μ for an item never rated;</li>
 * <li><b>user polarity</b> ({@link User#overall()}): the user's mean deviation from the item means,
 *     shrunk toward 0 with a prior count {@code kUser}: {@code Σ (r − itemMean) / (n + kUser)};
 *     positive for a user who rates above the crowd;</li>
 * <li><b>category polarity</b> ({@link User#inCategory(String)}): the same deviation within one
 *     category, shrunk toward the user's overall polarity with the prior count {@code kUser}:
 *     {@code (Σ_c (r − itemMean) + kUser·overall) / (n_c + kUser)}.</li>
 * </ul>
 *
 * A user's repeated ratings of one item (a REVIEW repeating a RATE, a re-rating) count once, as the
 * latest. The predicted rating of an item is {@code itemMean + polarity} ({@link #predict}). The item means
 * are global state, so the polarity is computed from a user's history and a fitted instance rather
 * than kept in {@link UserAggregates} (whose per-user memory is bounded and whose byte layout is
 * versioned). Immutable once fitted; safe to share between threads.
 */
public final class RatingPolarity {
    /** The default prior counts of the item means and of the user and category deviations. */
    public static final double DEFAULT_PRIOR = 5;

    private final double globalMean;
    private final long ratings;
    private final double kItem;
    private final double kUser;
    private final Map<String, double[]> items;

    private RatingPolarity(double globalMean, long ratings, double kItem, double kUser, Map<String, double[]> items) {
        this.globalMean = globalMean;
        this.ratings = ratings;
        this.kItem = kItem;
        this.kUser = kUser;
        this.items = items;
    }

    /**
     * A user's polarity.
     *
     * @param overall the shrunk mean deviation from the item means (0 without ratings)
     * @param ratings the user's rated events
     * @param byCategory the shrunk deviation per category of the user's rated items
     * @param countsByCategory rated events per category
     */
    public record User(double overall, int ratings, Map<String, Double> byCategory, Map<String, Integer> countsByCategory) {
        /** Copies the maps. */
        public User {
            byCategory = Map.copyOf(byCategory);
            countsByCategory = Map.copyOf(countsByCategory);
        }

        /**
         * @param category a category, or null
         * @return the polarity within it; the overall polarity for a category the user never rated (or null)
         */
        public double inCategory(String category) {
            Double v = category == null ? null : byCategory.get(category);
            return v == null ? overall : v;
        }
    }

    /**
     * Fits the item means from the rated events among {@code events} (others are ignored).
     *
     * @param events events, in any order
     * @param kItem the prior count of the item means, {@code >= 0}
     * @param kUser the prior count of the user and category deviations, {@code >= 0}
     * @return the fitted polarity model; with no rated event the global mean is NaN ({@link #hasRatings()} false)
     */
    public static RatingPolarity fit(Iterable<BehaviorEvent> events, double kItem, double kUser) {
        if (events == null) {
            throw new BadInputException("rating polarity: 'events' is required");
        }
        if (!(kItem >= 0) || !(kUser >= 0)) {
            throw new BadInputException("rating polarity: prior counts expected >= 0, was kItem=" + kItem + ", kUser=" + kUser);
        }
        // one opinion per (user, item): the latest rating (a REVIEW repeating a RATE counts once)
        Map<List<String>, double[]> latest = new LinkedHashMap<>();
        double sum = 0;
        long n = 0;
        for (BehaviorEvent e : events) {
            OptionalDouble r = e.rating();
            if (r.isEmpty()) {
                continue;
            }
            if (e.itemId() == null) {
                sum += r.getAsDouble();
                n++;
                continue;
            }
            double[] prev = latest.get(List.of(e.userId(), e.itemId()));
            if (prev == null || e.timestampMillis() >= prev[0]) {
                latest.put(List.of(e.userId(), e.itemId()), new double[] {e.timestampMillis(), r.getAsDouble()});
            }
        }
        Map<String, double[]> items = new HashMap<>();
        for (Map.Entry<List<String>, double[]> e : latest.entrySet()) {
            double r = e.getValue()[1];
            sum += r;
            n++;
            double[] s = items.computeIfAbsent(e.getKey().get(1), k -> new double[2]);
            s[0] += r;
            s[1]++;
        }
        return new RatingPolarity(n == 0 ? Double.NaN : sum / n, n, kItem, kUser, items);
    }

    /** @return whether any rated event was seen */
    public boolean hasRatings() {
        return ratings > 0;
    }

    /** @return the rated events fitted on */
    public long ratings() {
        return ratings;
    }

    /** @return the global mean rating μ, NaN without ratings */
    public double globalMean() {
        return globalMean;
    }

    /**
     * @param itemId an item
     * @return its shrunk mean rating, the global mean when it was never rated
     */
    public double itemMean(String itemId) {
        double[] s = itemId == null ? null : items.get(itemId);
        if (s == null) {
            return globalMean;
        }
        return (s[0] + kItem * globalMean) / (s[1] + kItem);
    }

    /**
     * The item's shrunk mean without one of the ratings it was fitted on (to score a fitted rating
     * without its own answer, e.g. when fitting a probability mapping on the training ratings).
     *
     * @param itemId an item
     * @param rating one of its fitted ratings
     * @return its shrunk mean over the other ratings; the global mean when it has no other
     */
    public double itemMeanWithout(String itemId, double rating) {
        double[] s = itemId == null ? null : items.get(itemId);
        if (s == null || s[1] <= 1) {
            return globalMean;
        }
        return (s[0] - rating + kItem * globalMean) / (s[1] - 1 + kItem);
    }

    /**
     * @param history the user's events in time order (unrated ones are ignored; per item the latest rating counts)
     * @param categoryOf an item's category, or null when it has none
     * @return the user's polarity, overall and per category
     */
    public User user(List<BehaviorEvent> history, Function<String, String> categoryOf) {
        if (history == null || categoryOf == null) {
            throw new BadInputException("rating polarity: 'history' and 'categoryOf' are required");
        }
        // one opinion per item: the latest rating (the history is in time order)
        Map<String, BehaviorEvent> latest = new LinkedHashMap<>();
        List<BehaviorEvent> noItem = new java.util.ArrayList<>();
        for (BehaviorEvent e : history) {
            if (e.rating().isPresent()) {
                if (e.itemId() == null) {
                    noItem.add(e);
                } else {
                    latest.remove(e.itemId());
                    latest.put(e.itemId(), e);
                }
            }
        }
        noItem.addAll(latest.values());
        double sum = 0;
        int n = 0;
        Map<String, double[]> cats = new LinkedHashMap<>();
        for (BehaviorEvent e : noItem) {
            OptionalDouble r = e.rating();
            double d = r.getAsDouble() - itemMean(e.itemId());
            sum += d;
            n++;
            String c = e.itemId() == null ? null : categoryOf.apply(e.itemId());
            if (c != null) {
                double[] s = cats.computeIfAbsent(c, k -> new double[2]);
                s[0] += d;
                s[1]++;
            }
        }
        double overall = n == 0 ? 0 : sum / (n + kUser);
        Map<String, Double> by = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> c : cats.entrySet()) {
            double[] s = c.getValue();
            by.put(c.getKey(), (s[0] + kUser * overall) / (s[1] + kUser));
            counts.put(c.getKey(), (int) s[1]);
        }
        return new User(overall, n, by, counts);
    }

    /**
     * @param user a user's polarity
     * @param itemId the item
     * @param category the item's category, or null to use the overall polarity
     * @return the predicted rating: the item mean plus the user's polarity in the category
     */
    public double predict(User user, String itemId, String category) {
        return itemMean(itemId) + user.inCategory(category);
    }
}
