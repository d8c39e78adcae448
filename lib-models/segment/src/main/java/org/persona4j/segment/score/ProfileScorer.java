package org.persona4j.segment.score;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.Evidence;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.ProfileModel;
import org.persona4j.core.Progress;
import org.persona4j.core.ProgressListener;
import org.persona4j.core.Segmenter;
import org.persona4j.core.Tag;
import org.persona4j.core.UserProfile;
import org.persona4j.features.aggregate.AggregateConfig;
import org.persona4j.features.aggregate.AggregateSnapshot;
import org.persona4j.features.aggregate.ItemResolver;
import org.persona4j.features.aggregate.PriceQuantiles;
import org.persona4j.features.aggregate.RatingPolarity;
import org.persona4j.features.aggregate.UserAggregates;
import org.persona4j.features.tags.ProfileTagger;
import org.persona4j.features.tags.TagThresholds;
import org.persona4j.segment.KMeansConfig;
import org.persona4j.segment.KMeansSegmenter;
import org.persona4j.segment.ProfileVector;
import org.persona4j.segment.RfmSegmenter;
import org.persona4j.segment.RfmValues;

/**
 * Batch scoring: one {@link ScoredUser} row per user from a profile model and the user's events.
 * A row holds the model's embedding, long-term embedding, propensities and top interests, a churn
 * risk, the tags of lib-features' {@link ProfileTagger}, a segment and the RFM value group.
 *
 * <p>Two ways to use it:
 * <ul>
 * <li>On one machine, over a data set in memory:
 * <pre>{@code
 * ProfileScorer scorer = ProfileScorer.builder(model).topInterests(5).segmentsRfm()
 *         .fit(data.events(), data.catalog(), ProgressListener.NONE);   // as-of time, RFM cut points, tag thresholds
 * try (ScoreWriter out = ScoreWriter.open(Path.of("scores.jsonl"))) {
 *     ScoreSummary s = scorer.scoreAll(data.events(), out, ProgressListener.NONE);
 * }
 * }</pre>
 * {@link #scoreAll} groups the events by user, sorts each history by time, and writes the rows in
 * user-id order ({@link String#compareTo}) as they are computed: rows are never all held in
 * memory.</li>
 * <li>Distributed (a Spark job): fit the population parts once (an as-of time, an
 * {@link RfmSegmenter} fitted on {@link #rfmValues(AggregateSnapshot)} of every user, a
 * {@link ProfileTagger}, optionally a segmenter), hand them to the builder, {@link Builder#build()},
 * and call {@link #score(String, List)} per user in each partition. The scorer is immutable and
 * thread-safe when its model, segmenter and tagger are (the SDK's are).</li>
 * </ul>
 *
 * <p><strong>Churn.</strong> When the model's profile carries a {@value #CHURN} propensity (a model
 * with a churn head), the row keeps it and {@link ScoredUser#churnSource()} is {@value #CHURN_MODEL}.
 * When it has no {@value #CHURN} propensity (models without that head), the row's
 * {@code propensities.churn} is {@link ChurnHeuristic}'s recency/frequency rule evaluated at the
 * as-of time, and the source is {@value #CHURN_HEURISTIC}: a documented heuristic, not a trained,
 * calibrated probability.
 *
 * <p><strong>History.</strong> The aggregates (RFM, tags, churn) use the whole history. The model
 * also sees the whole history by default, as {@code PersonaEngine} folds every event of a user into
 * its state; {@link Builder#maxHistory(int)} limits it to the most recent events (the long-term
 * embedding then covers only those). Events later than the as-of time count as recency 0.
 *
 * <p><strong>Value groups.</strong> A user without a purchase is {@code prospect}; a buyer gets the
 * {@link RfmSegmenter} group, or null when no value groups were fitted.
 *
 * <p><strong>Sentiment.</strong> With a {@link RatingPolarity} ({@link Builder#ratingPolarity}, or
 * fitted by {@link Builder#fit} with the default priors when the data has ratings), a row carries
 * the user's rating polarity over the whole history: {@link ScoredUser#sentiment()} (the user's mean
 * deviation from the items' shrunk mean ratings, shrunk toward 0; in rating units, e.g. stars), the
 * rated items it rests on, and the polarity within the user's {@value #SENTIMENT_CATEGORIES}
 * most-rated top-level catalogue categories (ties by name). When tags are on, a user with at least
 * {@value #RATER_TAG_MIN_RATINGS} rated items gets the tag {@value #CRITICAL_RATER} at a polarity
 * {@code <= -}{@value #RATER_TAG_POLARITY} and {@value #ENTHUSIASTIC_RATER} at {@code >= +}{@value
 * #RATER_TAG_POLARITY} (weight {@code min(1, |polarity|)}). Without a polarity model (data without
 * ratings), or for a user without ratings, the sentiment is NaN and no such tag is given.
 */
public final class ProfileScorer {
    /** The propensity name of the churn risk. */
    public static final String CHURN = "churn";
    /** {@link ScoredUser#churnSource()} when the churn risk is {@link ChurnHeuristic}'s. */
    public static final String CHURN_HEURISTIC = "heuristic";
    /** {@link ScoredUser#churnSource()} when the model provided the churn risk. */
    public static final String CHURN_MODEL = "model";
    /** The name of the segmenter that {@link Builder#fit} fits for k-means segments. */
    public static final String SEGMENTER_NAME = "segment";
    /** The name of the value-group segmenter that {@link Builder#fit} fits. */
    public static final String VALUE_SEGMENTER_NAME = "value";
    /** Categories per row in {@link ScoredUser#sentimentByCategory()}: the user's most-rated ones. */
    public static final int SENTIMENT_CATEGORIES = 3;
    /** The tag of a user who rates clearly below the crowd. */
    public static final String CRITICAL_RATER = "critical-rater";
    /** The tag of a user who rates clearly above the crowd. */
    public static final String ENTHUSIASTIC_RATER = "enthusiastic-rater";
    /** The absolute polarity (rating units) from which a rater tag is given. */
    public static final double RATER_TAG_POLARITY = 0.5;
    /** The rated items a rater tag needs at least. */
    public static final int RATER_TAG_MIN_RATINGS = 5;
    private static final String PROSPECT = "prospect";
    private static final int BLOCK = 128;
    private static final int PROGRESS_EVERY = 64;

    /** How the row's segment is chosen. */
    private enum Mode { RFM, KMEANS, CUSTOM, NONE }

    private final ProfileModel model;
    private final int topInterests;
    private final int maxHistory;
    private final int threads;
    private final boolean tags;
    private final AggregateConfig aggregateConfig;
    private final ItemResolver resolver;
    private final long asOfMillis;
    private final ChurnHeuristic churn;
    private final RfmSegmenter valueGroups;
    private final ProfileTagger tagger;
    private final Segmenter segmenter;
    private final Mode mode;
    private final RatingPolarity ratingPolarity;

    private ProfileScorer(Builder b, Mode mode) {
        this.model = b.model;
        this.topInterests = b.topInterests;
        this.maxHistory = b.maxHistory;
        this.threads = b.threads;
        this.tags = b.tags;
        this.aggregateConfig = b.aggregateConfig;
        this.resolver = b.resolver;
        this.asOfMillis = b.asOfMillis;
        this.churn = b.churn;
        this.valueGroups = b.valueGroups;
        this.tagger = b.tags ? b.tagger : null;
        this.segmenter = b.segmenter;
        this.mode = mode;
        this.ratingPolarity = b.ratingPolarity != null && b.ratingPolarity.hasRatings() ? b.ratingPolarity : null;
    }

    /**
     * @param model the profile model, not null (the scorer does not close it)
     * @return a builder with the defaults: 5 interests, whole histories, RFM segments, tags on,
     *     {@link ChurnHeuristic#defaults()}, {@link AggregateConfig#defaults()}, seed 42, 1 thread
     */
    public static Builder builder(ProfileModel model) {
        return new Builder(model);
    }

    /**
     * Scores one user. Thread-safe.
     *
     * @param userId the user
     * @param history the user's events in any order (sorted by time here, stably), not empty
     * @return the row
     * @throws BadInputException on a null or empty argument, or an event of another user
     */
    public ScoredUser score(String userId, List<BehaviorEvent> history) {
        List<BehaviorEvent> h = sortedHistory(userId, history);
        UserAggregates a = new UserAggregates(userId, aggregateConfig);
        for (BehaviorEvent e : h) {
            a.update(e, resolver);
        }
        AggregateSnapshot s = a.snapshot(asOfMillis, resolver);
        List<BehaviorEvent> forModel = maxHistory > 0 && h.size() > maxHistory ? h.subList(h.size() - maxHistory, h.size()) : h;
        UserProfile p = model.profile(userId, forModel, asOfMillis);

        Map<String, Double> prop = new LinkedHashMap<>(p.propensities());
        String churnSource;
        if (prop.containsKey(CHURN)) {
            churnSource = CHURN_MODEL;
        } else {
            prop.put(CHURN, churn.churn(s));
            churnSource = CHURN_HEURISTIC;
        }
        Map<String, Double> interests = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : p.interests().entrySet()) {
            if (interests.size() == topInterests) {
                break;
            }
            interests.put(e.getKey(), e.getValue());
        }
        List<Tag> t = new ArrayList<>(p.tags());
        if (tagger != null) {
            t.addAll(tagger.tags(s));
        }
        RatingPolarity.User pol = ratingPolarity == null ? null : ratingPolarity.user(h, this::categoryOf);
        double sentiment = pol == null || pol.ratings() == 0 ? Double.NaN : pol.overall();
        int rated = Double.isNaN(sentiment) ? 0 : pol.ratings();
        List<ScoredUser.CategorySentiment> byCategory = Double.isNaN(sentiment) ? List.of() : topCategories(pol);
        if (tags) {
            Tag rater = raterTag(sentiment, rated, ratingPolarity);
            if (rater != null) {
                t.add(rater);
            }
        }
        RfmValues rfm = rfmValues(s);
        String group = !rfm.hasPurchases() ? PROSPECT : valueGroups == null ? null : valueGroups.group(rfm);
        String segment = switch (mode) {
            case NONE -> null;
            case RFM -> group == null ? null : "rfm-" + group;
            case KMEANS -> p.longTermEmbeddingSize() == 0 ? null : segmenter.assign(p).id();
            case CUSTOM -> segmenter.assign(withFeatures(p, s, prop, t, sentiment, rated)).id();
        };
        return new ScoredUser(userId, h.size(), s.lastMillis(), p.embedding(), p.longTermEmbedding(), prop, churnSource,
                interests, t, segment, group, sentiment, rated, byCategory);
    }

    /** The item's top-level catalogue category, or null. */
    private String categoryOf(String itemId) {
        return resolver.catalog().item(itemId).map(Item::topCategory).orElse(null);
    }

    /** The user's {@value #SENTIMENT_CATEGORIES} most-rated categories, most ratings first, ties by name. */
    private static List<ScoredUser.CategorySentiment> topCategories(RatingPolarity.User pol) {
        List<Map.Entry<String, Integer>> counts = new ArrayList<>(pol.countsByCategory().entrySet());
        counts.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<ScoredUser.CategorySentiment> out = new ArrayList<>(Math.min(SENTIMENT_CATEGORIES, counts.size()));
        for (Map.Entry<String, Integer> c : counts) {
            if (out.size() == SENTIMENT_CATEGORIES) {
                break;
            }
            out.add(new ScoredUser.CategorySentiment(c.getKey(), pol.inCategory(c.getKey()), c.getValue()));
        }
        return out;
    }

    /** {@value #CRITICAL_RATER} or {@value #ENTHUSIASTIC_RATER} when the polarity is clear, else null. */
    private static Tag raterTag(double polarity, int ratings, RatingPolarity fitted) {
        if (Double.isNaN(polarity) || ratings < RATER_TAG_MIN_RATINGS || Math.abs(polarity) < RATER_TAG_POLARITY) {
            return null;
        }
        boolean critical = polarity < 0;
        return new Tag(critical ? CRITICAL_RATER : ENTHUSIASTIC_RATER, critical ? "critical rater" : "enthusiastic rater",
                Math.min(1, Math.abs(polarity)), Evidence.of("polarity", String.format(java.util.Locale.ROOT, "%.3f", polarity),
                        "ratings", ratings, "globalMean", String.format(java.util.Locale.ROOT, "%.3f", fitted.globalMean())));
    }

    /**
     * One user's aggregates (RFM, affinities, activity) as of the scoring time, from the whole
     * history. For fitting value groups and tag thresholds outside {@link Builder#fit}.
     *
     * @param userId the user
     * @param history the user's events in any order
     * @return the snapshot
     */
    public AggregateSnapshot aggregates(String userId, List<BehaviorEvent> history) {
        List<BehaviorEvent> h = checkedHistory(userId, history);
        UserAggregates a = new UserAggregates(userId, aggregateConfig);
        for (BehaviorEvent e : h) {
            a.update(e, resolver);
        }
        return a.snapshot(asOfMillis, resolver);
    }

    /**
     * @param s a user's aggregates
     * @return the RFM values {@link RfmSegmenter} works on: days since the last purchase, purchase
     *     events, money spent
     */
    public static RfmValues rfmValues(AggregateSnapshot s) {
        long f = s.frequency();
        return new RfmValues(f > 0 ? s.purchaseRecencyDays() : Double.NaN, f, s.monetary());
    }

    /**
     * Scores every user of a set of events and writes the rows in user-id order as they are
     * computed, with {@link Builder#threads(int)} worker threads (named {@code persona4j-score-N},
     * stopped before returning).
     *
     * @param events the events, any order, several users
     * @param out where the rows go (not closed here)
     * @param progress receives progress (task {@code score}, unit {@code users})
     * @return counts and timing
     * @throws IOException when writing fails
     * @throws BadInputException on bad events
     */
    public ScoreSummary scoreAll(Iterable<BehaviorEvent> events, ScoreWriter out, ProgressListener progress) throws IOException {
        if (out == null) {
            throw new BadInputException("profile scorer: 'out' is required");
        }
        ProgressListener pl = progress == null ? ProgressListener.NONE : progress;
        long t0 = System.nanoTime();
        Map<String, List<BehaviorEvent>> groups = groupByUser(events);
        List<String> ids = sortedIds(groups);
        int n = ids.size();
        Tally tally = new Tally();
        pl.onProgress(new Progress("score", 0, n, "users", 0, Map.of()));
        if (threads == 1) {
            for (String u : ids) {
                tally.add(out, score(u, groups.get(u)));
                report(pl, tally.users, n, t0);
            }
        } else {
            AtomicInteger seq = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread th = new Thread(r, "persona4j-score-" + seq.incrementAndGet());
                th.setDaemon(true);
                return th;
            });
            try {
                ArrayDeque<Future<ScoredUser[]>> ahead = new ArrayDeque<>();
                int next = 0;
                while (next < n || !ahead.isEmpty()) {
                    while (next < n && ahead.size() < 4 * threads) {
                        int from = next;
                        int to = Math.min(n, next + BLOCK);
                        ahead.add(pool.submit(() -> {
                            ScoredUser[] rows = new ScoredUser[to - from];
                            for (int i = from; i < to; i++) {
                                rows[i - from] = score(ids.get(i), groups.get(ids.get(i)));
                            }
                            return rows;
                        }));
                        next = to;
                    }
                    for (ScoredUser row : await(ahead.poll())) {
                        tally.add(out, row);
                        report(pl, tally.users, n, t0);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
        long elapsed = System.nanoTime() - t0;
        pl.onProgress(new Progress("score", n, n, "users", elapsed, Map.of()));
        return new ScoreSummary(tally.users, tally.events, elapsed / 1e9, tally.valueGroups, tally.segments,
                tally.users == 0 ? Double.NaN : tally.churnSum / tally.users, tally.churnSources);
    }

    private static void report(ProgressListener pl, long done, int n, long t0) {
        if (done % PROGRESS_EVERY == 0 && done < n) {
            pl.onProgress(new Progress("score", done, n, "users", System.nanoTime() - t0, Map.of()));
        }
    }

    private static ScoredUser[] await(Future<ScoredUser[]> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("scoring was interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("scoring failed: " + c, c);
        }
    }

    /** Counts what was written. */
    private static final class Tally {
        long users;
        long events;
        double churnSum;
        final Map<String, Long> valueGroups = new TreeMap<>();
        final Map<String, Long> segments = new TreeMap<>();
        final Map<String, Long> churnSources = new TreeMap<>();

        void add(ScoreWriter out, ScoredUser row) throws IOException {
            out.write(row);
            users++;
            events += row.eventCount();
            churnSum += row.churn();
            churnSources.merge(row.churnSource(), 1L, Long::sum);
            valueGroups.merge(row.valueGroup() == null ? "(none)" : row.valueGroup(), 1L, Long::sum);
            if (row.segment() != null) {
                segments.merge(row.segment(), 1L, Long::sum);
            }
        }
    }

    /** @return the time recency and decay are evaluated at, epoch milliseconds */
    public long asOfMillis() {
        return asOfMillis;
    }

    /** @return the fitted value groups, or null (no buyer in the fitting data, none given) */
    public RfmSegmenter valueGroups() {
        return valueGroups;
    }

    /** @return the segmenter of the row's segment (k-means or custom), or null (RFM or no segments) */
    public Segmenter segmenter() {
        return segmenter;
    }

    /** @return the tagger, or null when tags are off */
    public ProfileTagger tagger() {
        return tagger;
    }

    /** @return the rating polarity behind the rows' sentiment, or null (none given, or data without ratings) */
    public RatingPolarity ratingPolarity() {
        return ratingPolarity;
    }

    /** @return the churn rule */
    public ChurnHeuristic churnHeuristic() {
        return churn;
    }

    /** @return what the row's segment is: {@code rfm}, {@code kmeans}, {@code custom} or {@code none} */
    public String segmentKind() {
        return mode.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static UserProfile withFeatures(UserProfile p, AggregateSnapshot s, Map<String, Double> prop, List<Tag> t,
                                            double sentiment, int rated) {
        Map<String, Double> f = new LinkedHashMap<>(p.features());
        long buys = s.frequency();
        if (buys > 0) {
            f.put(RfmSegmenter.RECENCY_FEATURE, s.purchaseRecencyDays());
        }
        f.put(RfmSegmenter.FREQUENCY_FEATURE, (double) buys);
        f.put(RfmSegmenter.MONETARY_FEATURE, s.monetary());
        f.put("rfm.recency_days", s.recencyDays());
        f.put("rfm.events", (double) s.eventCount());
        f.put("rfm.purchases", (double) buys);
        if (!Double.isNaN(sentiment)) {
            f.put("sentiment.polarity", sentiment);
            f.put("sentiment.ratings", (double) rated);
        }
        return new UserProfile(p.userId(), p.embedding(), p.longTermEmbedding(), p.interests(), prop, f, t, p.segments(),
                p.eventCount(), p.updatedAt(), p.modelVersion());
    }

    private static List<BehaviorEvent> checkedHistory(String userId, List<BehaviorEvent> history) {
        if (userId == null || userId.isEmpty()) {
            throw new BadInputException("profile scorer: field 'userId': required, was " + (userId == null ? "null" : "empty"));
        }
        if (history == null || history.isEmpty()) {
            throw new BadInputException("profile scorer: user " + userId + ": field 'history': expected at least one event, was "
                    + (history == null ? "null" : "empty"));
        }
        for (int i = 0; i < history.size(); i++) {
            BehaviorEvent e = history.get(i);
            if (e == null) {
                throw new BadInputException("profile scorer: user " + userId + ": history[" + i + "] is null");
            }
            if (!userId.equals(e.userId())) {
                throw new BadInputException("profile scorer: user " + userId + ": history[" + i + "] belongs to user "
                        + e.userId() + ", expected only events of " + userId);
            }
        }
        return history;
    }

    private static List<BehaviorEvent> sortedHistory(String userId, List<BehaviorEvent> history) {
        List<BehaviorEvent> h = new ArrayList<>(checkedHistory(userId, history));
        h.sort(Comparator.comparingLong(BehaviorEvent::timestampMillis)); // stable: ties keep their order
        return h;
    }

    static Map<String, List<BehaviorEvent>> groupByUser(Iterable<BehaviorEvent> events) {
        if (events == null) {
            throw new BadInputException("profile scorer: 'events' is required");
        }
        Map<String, List<BehaviorEvent>> m = new HashMap<>();
        long i = 0;
        for (BehaviorEvent e : events) {
            if (e == null) {
                throw new BadInputException("profile scorer: event " + i + " is null");
            }
            m.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(e);
            i++;
        }
        return m;
    }

    private static List<String> sortedIds(Map<String, ?> groups) {
        List<String> ids = new ArrayList<>(groups.keySet());
        Collections.sort(ids);
        return ids;
    }

    /**
     * Configures a {@link ProfileScorer}. Setters validate at once (the message names the field and
     * the value); {@link #fit} or {@link #build()} make the immutable scorer. Not thread-safe.
     */
    public static final class Builder {
        private final ProfileModel model;
        private int topInterests = 5;
        private int maxHistory;
        private int threads = 1;
        private boolean tags = true;
        private AggregateConfig aggregateConfig = AggregateConfig.defaults();
        private ItemResolver resolver;
        private long asOfMillis;
        private boolean asOfSet;
        private ChurnHeuristic churn = ChurnHeuristic.defaults();
        private RfmSegmenter valueGroups;
        private ProfileTagger tagger;
        private Segmenter segmenter;
        private Mode mode = Mode.RFM;
        private int k;
        private long seed = 42;
        private int kMeansSample = 20_000;
        private RatingPolarity ratingPolarity;

        private Builder(ProfileModel model) {
            if (model == null) {
                throw new BadInputException("profile scorer: 'model' is required");
            }
            this.model = model;
        }

        /** @param n interests per row, 0..1000 (default 5) @return this */
        public Builder topInterests(int n) {
            if (n < 0 || n > 1000) {
                throw new BadInputException("profile scorer: field 'topInterests': expected 0..1000, was " + n);
            }
            this.topInterests = n;
            return this;
        }

        /** @param n the model sees only the last n events of each user; 0 = all (default) @return this */
        public Builder maxHistory(int n) {
            if (n < 0) {
                throw new BadInputException("profile scorer: field 'maxHistory': expected >= 0 (0 = whole history), was " + n);
            }
            this.maxHistory = n;
            return this;
        }

        /** @param n worker threads of {@link #scoreAll}, 1..1024 (default 1) @return this */
        public Builder threads(int n) {
            if (n < 1 || n > 1024) {
                throw new BadInputException("profile scorer: field 'threads': expected 1..1024, was " + n);
            }
            this.threads = n;
            return this;
        }

        /** @param on whether rows carry the aggregate tags of {@link ProfileTagger} (default true) @return this */
        public Builder tags(boolean on) {
            this.tags = on;
            return this;
        }

        /**
         * @param config the aggregate configuration (decay, slots, time zone)
         * @param itemResolver resolves items to categories, brands and prices; null = from the catalogue given to {@link #fit}
         * @return this
         */
        public Builder aggregates(AggregateConfig config, ItemResolver itemResolver) {
            if (config == null) {
                throw new BadInputException("profile scorer: field 'aggregateConfig': required, was null");
            }
            this.aggregateConfig = config;
            this.resolver = itemResolver;
            return this;
        }

        /** @param t the time recency, churn and decay are evaluated at (default in {@link #fit}: the latest event) @return this */
        public Builder asOfMillis(long t) {
            this.asOfMillis = t;
            this.asOfSet = true;
            return this;
        }

        /** @param rule the churn rule @return this */
        public Builder churn(ChurnHeuristic rule) {
            if (rule == null) {
                throw new BadInputException("profile scorer: field 'churn': required, was null");
            }
            this.churn = rule;
            return this;
        }

        /** @param fitted fitted value groups ({@link #fit} fits them when not given) @return this */
        public Builder valueGroups(RfmSegmenter fitted) {
            this.valueGroups = fitted;
            return this;
        }

        /** @param fitted a fitted tagger ({@link #fit} fits the thresholds when not given) @return this */
        public Builder tagger(ProfileTagger fitted) {
            this.tagger = fitted;
            return this;
        }

        /** The row's segment is the RFM value-group segment {@code rfm-<group>} (the default). @return this */
        public Builder segmentsRfm() {
            this.mode = Mode.RFM;
            this.segmenter = null;
            return this;
        }

        /**
         * The row's segment is a k-means cluster {@code kmeans-<i>} of the model's long-term
         * embeddings, fitted by {@link #fit} on up to {@link #kMeansSample(int)} users drawn with
         * the seed.
         *
         * @param clusters the number of clusters, or 0 to choose it by silhouette in [2, 12]
         * @return this
         */
        public Builder segmentsKMeans(int clusters) {
            if (clusters < 0 || clusters > 10_000) {
                throw new BadInputException("profile scorer: field 'k': expected 0 (automatic) or 1..10000, was " + clusters);
            }
            this.mode = Mode.KMEANS;
            this.k = clusters;
            this.segmenter = null;
            return this;
        }

        /**
         * The row's segment is what a fitted segmenter assigns; it sees the model's profile with
         * the churn propensity, the tags and the RFM features ({@code rfm.frequency},
         * {@code rfm.monetary}, {@code rfm.purchase_recency_days}, {@code rfm.recency_days}, ...).
         *
         * @param fitted the segmenter, not null
         * @return this
         */
        public Builder segmenter(Segmenter fitted) {
            if (fitted == null) {
                throw new BadInputException("profile scorer: field 'segmenter': required, was null (use noSegments())");
            }
            this.mode = Mode.CUSTOM;
            this.segmenter = fitted;
            return this;
        }

        /** Rows carry no segment (null). @return this */
        public Builder noSegments() {
            this.mode = Mode.NONE;
            this.segmenter = null;
            return this;
        }

        /**
         * @param fitted a fitted rating polarity for the rows' sentiment ({@link #fit} fits one with
         *     {@link RatingPolarity#DEFAULT_PRIOR} priors when not given and the data has ratings);
         *     null = none (for {@link #build()}: rows without sentiment)
         * @return this
         */
        public Builder ratingPolarity(RatingPolarity fitted) {
            this.ratingPolarity = fitted;
            return this;
        }

        /** @param s seed of the k-means sample and fit (default 42) @return this */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** @param n users the k-means segments are fitted on, at least 10 (default 20,000) @return this */
        public Builder kMeansSample(int n) {
            if (n < 10) {
                throw new BadInputException("profile scorer: field 'kMeansSample': expected >= 10, was " + n);
            }
            this.kMeansSample = n;
            return this;
        }

        /**
         * Fits what was not given on a data set and builds the scorer: the as-of time (the latest
         * event), the item resolver (from {@code catalog}), the RFM value groups (quintiles of the
         * buyers; none when nobody bought), the tag thresholds (80th percentiles of money spent by
         * buyers and of events per day), the rating polarity (item mean ratings, prior counts
         * {@link RatingPolarity#DEFAULT_PRIOR}; none when no event has a rating) and, for k-means
         * segments, the clusters (on a seeded sample of users). Deterministic for the same events,
         * catalogue and seed.
         *
         * @param events the events, any order
         * @param catalog the catalogue (prices, categories, brands), may be null or empty
         * @param progress receives the progress of the k-means sample's profiles
         * @return the scorer
         * @throws BadInputException when there are no events, or on a bad event
         */
        public ProfileScorer fit(Iterable<BehaviorEvent> events, Catalog catalog, ProgressListener progress) {
            Map<String, List<BehaviorEvent>> groups = groupByUser(events);
            if (groups.isEmpty()) {
                throw new BadInputException("profile scorer: no events to fit on: expected at least one user with events");
            }
            List<String> ids = sortedIds(groups);
            if (!asOfSet) {
                long t = Long.MIN_VALUE;
                for (List<BehaviorEvent> h : groups.values()) {
                    for (BehaviorEvent e : h) {
                        t = Math.max(t, e.timestampMillis());
                    }
                }
                asOfMillis(t);
            }
            Catalog c = catalog == null ? new InMemoryCatalog() : catalog;
            if (resolver == null) {
                resolver = new ItemResolver(c, PriceQuantiles.fit(c));
            }
            if (valueGroups == null || (tags && tagger == null)) {
                Map<String, RfmValues> rfm = new LinkedHashMap<>();
                double[] money = new double[ids.size()];
                double[] rate = new double[ids.size()];
                int nm = 0;
                int nr = 0;
                boolean buyer = false;
                for (String u : ids) {
                    UserAggregates a = new UserAggregates(u, aggregateConfig);
                    for (BehaviorEvent e : groups.get(u)) {
                        a.update(e, resolver);
                    }
                    AggregateSnapshot s = a.snapshot(asOfMillis, resolver);
                    RfmValues v = rfmValues(s);
                    buyer |= v.hasPurchases();
                    rfm.put(u, v);
                    if (s.monetary() > 0) {
                        money[nm++] = s.monetary();
                    }
                    if (s.eventCount() > 0) {
                        rate[nr++] = s.eventsPerDay();
                    }
                }
                if (valueGroups == null && buyer) {
                    valueGroups = RfmSegmenter.fit(VALUE_SEGMENTER_NAME, rfm);
                }
                if (tags && tagger == null) {
                    // the rule of ProfileTagger.fit, without holding every snapshot
                    tagger = new ProfileTagger(TagThresholds.defaults(percentile(money, nm, 0.8), percentile(rate, nr, 0.8)));
                }
            }
            if (ratingPolarity == null) {
                // over the grouped events in user-id order: one more pass over memory, deterministic sums
                Iterable<BehaviorEvent> byUser = () -> ids.stream().flatMap(u -> groups.get(u).stream()).iterator();
                RatingPolarity pol = RatingPolarity.fit(byUser, RatingPolarity.DEFAULT_PRIOR, RatingPolarity.DEFAULT_PRIOR);
                if (pol.hasRatings()) {
                    ratingPolarity = pol;
                }
            }
            if (mode == Mode.KMEANS && segmenter == null) {
                segmenter = fitKMeans(ids, groups, progress == null ? ProgressListener.NONE : progress);
            }
            return build();
        }

        private KMeansSegmenter fitKMeans(List<String> ids, Map<String, List<BehaviorEvent>> groups, ProgressListener pl) {
            List<String> sample = new ArrayList<>(ids);
            if (sample.size() > kMeansSample) {
                Collections.shuffle(sample, new Random(seed));
                sample = new ArrayList<>(sample.subList(0, kMeansSample));
                Collections.sort(sample);
            }
            List<String> used = new ArrayList<>(sample.size());
            List<float[]> rows = new ArrayList<>(sample.size());
            long t0 = System.nanoTime();
            int done = 0;
            for (String u : sample) {
                List<BehaviorEvent> h = sortedHistory(u, groups.get(u));
                if (maxHistory > 0 && h.size() > maxHistory) {
                    h = h.subList(h.size() - maxHistory, h.size());
                }
                float[] v = model.profile(u, h).longTermEmbedding();
                if (v.length > 0) {
                    used.add(u);
                    rows.add(v);
                }
                if (++done % PROGRESS_EVERY == 0) {
                    pl.onProgress(new Progress("k-means sample", done, sample.size(), "users", System.nanoTime() - t0,
                            Map.of()));
                }
            }
            pl.onProgress(new Progress("k-means sample", sample.size(), sample.size(), "users", System.nanoTime() - t0, Map.of()));
            if (rows.isEmpty()) {
                throw new BadInputException("profile scorer: k-means segments: the model gave no long-term embedding for any of the "
                        + sample.size() + " sampled users: expected a model with long-term embeddings (DeepProfileModel)");
            }
            if (k > rows.size()) {
                throw new BadInputException("profile scorer: k-means segments: k = " + k + " clusters for " + rows.size()
                        + " users: expected k <= the number of users");
            }
            KMeansConfig cfg = KMeansConfig.defaults(seed).withK(k);
            if (k == 0) {
                int hi = Math.max(2, Math.min(12, rows.size() - 1));
                cfg = cfg.withKRange(2, hi);
            }
            return KMeansSegmenter.fit(SEGMENTER_NAME, cfg, used, rows.toArray(new float[0][]), ProfileVector.longTermEmbedding());
        }

        private static double percentile(double[] v, int n, double p) {
            if (n == 0) {
                return 0;
            }
            double[] s = Arrays.copyOf(v, n);
            Arrays.sort(s);
            return s[(int) Math.min(n - 1, Math.floor(p * n))];
        }

        /**
         * Builds the scorer from the parts given, fitting nothing (for distributed jobs that fitted
         * them elsewhere).
         *
         * @return the scorer
         * @throws BadInputException when the as-of time is not set, or k-means segments have no fitted segmenter
         */
        public ProfileScorer build() {
            if (!asOfSet) {
                throw new BadInputException("profile scorer: field 'asOfMillis': required by build() (fit(...) sets it to the "
                        + "latest event)");
            }
            if (mode == Mode.KMEANS && segmenter == null) {
                throw new BadInputException("profile scorer: k-means segments need fit(...) or a fitted segmenter(...)");
            }
            if (resolver == null) {
                resolver = new ItemResolver(new InMemoryCatalog(), PriceQuantiles.empty());
            }
            return new ProfileScorer(this, mode);
        }
    }
}
