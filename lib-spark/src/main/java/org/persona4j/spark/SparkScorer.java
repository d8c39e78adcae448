package org.persona4j.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.ModelFormatException;
import org.persona4j.core.Reason;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.core.UserProfile;
import org.persona4j.features.aggregate.AggregateConfig;
import org.persona4j.features.aggregate.ItemResolver;
import org.persona4j.features.aggregate.PriceQuantiles;
import org.persona4j.features.aggregate.RatingPolarity;
import org.persona4j.features.tags.ProfileTagger;
import org.persona4j.features.tags.TagThresholds;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.recommend.EmbeddingRetrievalRecommender;
import org.persona4j.segment.RfmSegmenter;
import org.persona4j.segment.RfmValues;
import org.persona4j.segment.score.ProfileScorer;
import org.persona4j.segment.score.ScoredUser;

/**
 * Batch scoring of every user on Spark: one row per user with the embedding, the long-term
 * embedding, propensities (churn included), interests, tags, the RFM segment and value group,
 * the rating polarity and the top-N recommendations with their reasons.
 *
 * <p>How it runs: the driver fits the population parts once, as {@link ProfileScorer.Builder#fit}
 * would on one machine (the as-of time = the latest event, the RFM value groups, the tag
 * thresholds, the rating polarity); the model artifact's bytes, the catalogue and those parts are
 * broadcast; each executor JVM loads the lean serving model ({@link DeepProfileModel}, plain Java,
 * no ND4J) once and builds one {@link ProfileScorer} and one exact
 * {@link EmbeddingRetrievalRecommender} (dot product of the user embedding with every item
 * embedding) from them; then every user's sorted history ({@link SparkFeatures#sequences}) is
 * scored by {@link ProfileScorer#score} in {@code mapPartitions}. So a row equals the single-JVM
 * scorer's row for the same events.
 *
 * <pre>{@code
 * SparkScorer.Fitted scorer = SparkScorer.builder(Path.of("model.zip"), catalog).recommendations(10).build().fit(events);
 * scorer.write(scorer.score(events), "s3://shop/scores");                   // every user
 * scorer.write(scorer.scoreSince(events, lastRunMillis), "s3://shop/scores-delta"); // only users with new events
 * }</pre>
 *
 * <p>Shuffles: grouping the events by user (one shuffle of the events, {@link SparkFeatures#sequences});
 * fitting collects three numbers per user (RFM) and the rated events to the driver; incremental
 * scoring adds a semi-join on the changed users.
 */
public final class SparkScorer {
    /** The schema of a recommendation's reason. */
    public static final StructType REASON = new StructType().add("kind", DataTypes.StringType).add("text", DataTypes.StringType)
            .add("evidence", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));
    /** The schema of a recommendation. */
    public static final StructType RECOMMENDATION = new StructType().add("item_id", DataTypes.StringType)
            .add("score", DataTypes.DoubleType).add("reasons", DataTypes.createArrayType(REASON, false));
    /** The schema of an interest. */
    public static final StructType INTEREST = new StructType().add("name", DataTypes.StringType).add("score", DataTypes.DoubleType);

    /** One row per user: {@link ScoredUser}'s fields, the recommendations, the model version and the as-of time. */
    public static final StructType SCORE_SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField(SparkEvents.USER_ID, DataTypes.StringType, false),
        DataTypes.createStructField("event_count", DataTypes.LongType, false),
        DataTypes.createStructField("last_event", DataTypes.LongType, false),
        DataTypes.createStructField("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false),
        DataTypes.createStructField("long_term_embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false),
        DataTypes.createStructField("propensities", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false),
        DataTypes.createStructField("churn_source", DataTypes.StringType, true),
        DataTypes.createStructField("interests", DataTypes.createArrayType(INTEREST, false), false),
        DataTypes.createStructField("tags", DataTypes.createArrayType(SparkFeatures.TAG, false), false),
        DataTypes.createStructField("segment", DataTypes.StringType, true),
        DataTypes.createStructField("value_group", DataTypes.StringType, true),
        DataTypes.createStructField("sentiment", DataTypes.DoubleType, false),
        DataTypes.createStructField("sentiment_ratings", DataTypes.IntegerType, false),
        DataTypes.createStructField("recommendations", DataTypes.createArrayType(RECOMMENDATION, false), false),
        DataTypes.createStructField("model_version", DataTypes.StringType, false),
        DataTypes.createStructField("as_of", DataTypes.LongType, false),
    });

    private final byte[] model;
    private final String modelVersion;
    private final Catalog catalog;
    private final AggregateConfig config;
    private final int topInterests;
    private final int maxHistory;
    private final int recommendations;
    private final boolean excludeSeen;
    private final Long asOfMillis;
    private final TagThresholds thresholds;

    private SparkScorer(Builder b) {
        this.model = b.model;
        this.catalog = b.catalog;
        this.config = b.config;
        this.topInterests = b.topInterests;
        this.maxHistory = b.maxHistory;
        this.recommendations = b.recommendations;
        this.excludeSeen = b.excludeSeen;
        this.asOfMillis = b.asOfMillis;
        this.thresholds = b.thresholds;
        try (DeepProfileModel m = loadModel(model)) { // fail fast on the driver, not in a thousand tasks
            this.modelVersion = m.version();
        }
    }

    /**
     * @param artifact the profile model artifact ({@link DeepProfileModel#save}), read into memory on the driver
     * @param catalog the catalogue (categories, brands, prices, labels), not null
     * @return a builder
     * @throws UncheckedIOException when the file cannot be read
     */
    public static Builder builder(Path artifact, Catalog catalog) {
        try {
            return new Builder(Files.readAllBytes(artifact), catalog);
        } catch (IOException e) {
            throw new UncheckedIOException("spark scorer: cannot read the model artifact " + artifact + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param artifact the bytes of a profile model artifact
     * @param catalog the catalogue, not null
     * @return a builder
     */
    public static Builder builder(byte[] artifact, Catalog catalog) {
        return new Builder(artifact, catalog);
    }

    /** @return the model's version */
    public String modelVersion() {
        return modelVersion;
    }

    /**
     * Fits the population parts on the events, as {@link ProfileScorer.Builder#fit} does: the as-of
     * time (the latest event, unless set), the RFM value groups (quintiles of the buyers), the tag
     * thresholds (unless set) and the rating polarity (when any event has a rating).
     *
     * @param events rows of {@link SparkEvents#EVENT_SCHEMA}
     * @return the fitted scorer
     * @throws BadInputException when there are no events
     */
    public Fitted fit(Dataset<Row> events) {
        return fit(events, null);
    }

    /**
     * {@link #fit(Dataset)} with the per-user aggregates already computed, for example the features
     * a job has just written: the value groups and tag thresholds are fitted on them instead of on
     * the events grouped again (the longest part of the fit at scale).
     *
     * @param events rows of {@link SparkEvents#EVENT_SCHEMA}
     * @param aggregates rows of {@link SparkFeatures#AGGREGATE_SCHEMA} (tagged or not) of these events,
     *     computed with this scorer's aggregate configuration and as-of time (the defaults of both
     *     builders agree), or null to compute them here
     * @return the fitted scorer
     * @throws BadInputException when there are no events
     */
    public Fitted fit(Dataset<Row> events, Dataset<Row> aggregates) {
        long asOf = asOfMillis != null ? asOfMillis : SparkFeatures.latestEventMillis(events);
        Dataset<Row> source = aggregates != null ? aggregates
                : SparkFeatures.builder(catalog).config(config).asOfMillis(asOf).tags(false).build().aggregates(events);
        Dataset<Row> agg = source.select(SparkEvents.USER_ID, "purchase_recency_days", "frequency",
                "monetary", "events_per_day", "event_count");
        Map<String, RfmValues> rfm = new LinkedHashMap<>();
        List<Double> money = new ArrayList<>();
        List<Double> rate = new ArrayList<>();
        boolean buyer = false;
        for (Row r : agg.collectAsList()) {
            long f = r.getLong(2);
            RfmValues v = new RfmValues(f > 0 ? r.getDouble(1) : Double.NaN, f, r.getDouble(3));
            buyer |= v.hasPurchases();
            rfm.put(r.getString(0), v);
            if (r.getDouble(3) > 0) {
                money.add(r.getDouble(3));
            }
            if (r.getLong(5) > 0) {
                rate.add(r.getDouble(4));
            }
        }
        if (rfm.isEmpty()) {
            throw new BadInputException("spark scorer: no events to fit on: expected at least one user with events");
        }
        RfmSegmenter groups = buyer ? RfmSegmenter.fit(ProfileScorer.VALUE_SEGMENTER_NAME, rfm) : null;
        TagThresholds t = thresholds != null ? thresholds : TagThresholds.defaults(
                SparkFeatures.percentile(money.stream().mapToDouble(Double::doubleValue).toArray(), 0.8),
                SparkFeatures.percentile(rate.stream().mapToDouble(Double::doubleValue).toArray(), 0.8));
        // the rated events, by user and in history order (the order ProfileScorer.fit reads them in)
        List<BehaviorEvent> rated = new ArrayList<>(SparkEvents.toEvents(SparkEvents.inOrder(events)
                .filter(functions.col(SparkEvents.RATING).isNotNull()).collectAsList()));
        rated.sort(java.util.Comparator.comparing(BehaviorEvent::userId).thenComparing(SparkFeatures.HISTORY_ORDER));
        RatingPolarity pol = RatingPolarity.fit(rated, RatingPolarity.DEFAULT_PRIOR, RatingPolarity.DEFAULT_PRIOR);
        return new Fitted(this, asOf, groups, rfm, t, pol.hasRatings() ? rated : List.of());
    }

    /**
     * A scorer with its population parts fitted on the driver; scores Datasets of events. Immutable.
     */
    public static final class Fitted {
        private final SparkScorer s;
        private final long asOf;
        private final RfmSegmenter valueGroups;
        private final Map<String, RfmValues> rfm;
        private final TagThresholds thresholds;
        private final List<BehaviorEvent> rated;

        private Fitted(SparkScorer s, long asOf, RfmSegmenter valueGroups, Map<String, RfmValues> rfm, TagThresholds thresholds,
                       List<BehaviorEvent> rated) {
            this.s = s;
            this.asOf = asOf;
            this.valueGroups = valueGroups;
            this.rfm = rfm;
            this.thresholds = thresholds;
            this.rated = rated;
        }

        /** @return the as-of time of recency, decay and churn, epoch milliseconds */
        public long asOfMillis() {
            return asOf;
        }

        /** @return the fitted value groups (with the sizes of the fitting users), or null when nobody bought */
        public RfmSegmenter valueGroups() {
            return valueGroups;
        }

        /** @return the RFM values of every user the scorer was fitted on (for reports), unmodifiable */
        public Map<String, RfmValues> rfmValues() {
            return java.util.Collections.unmodifiableMap(rfm);
        }

        /** @return the tag thresholds */
        public TagThresholds thresholds() {
            return thresholds;
        }

        /** @return the model version */
        public String modelVersion() {
            return s.modelVersion;
        }

        /**
         * Scores every user of the events.
         *
         * @param events rows of {@link SparkEvents#EVENT_SCHEMA}
         * @return {@link #SCORE_SCHEMA} rows, one per user (lazy)
         */
        public Dataset<Row> score(Dataset<Row> events) {
            return scoreSequences(SparkFeatures.sequences(events));
        }

        /**
         * Incremental re-scoring: only the users with an event later than {@code sinceMillis} are
         * scored (on their whole history); merge the rows into the previous output with
         * {@link SparkScorer#merge}.
         *
         * @param events rows of {@link SparkEvents#EVENT_SCHEMA}, whole histories
         * @param sinceMillis epoch milliseconds; users whose events are all at or before it are left out
         * @return {@link #SCORE_SCHEMA} rows of the changed users (lazy)
         */
        public Dataset<Row> scoreSince(Dataset<Row> events, long sinceMillis) {
            Dataset<Row> changed = events.filter(functions.col(SparkEvents.TIMESTAMP).gt(sinceMillis))
                    .select(SparkEvents.USER_ID).distinct();
            return score(events.join(changed, scala.collection.JavaConverters.asScalaBuffer(List.of(SparkEvents.USER_ID)).toSeq(),
                    "left_semi"));
        }

        /**
         * Scores users already grouped.
         *
         * @param sequences rows of {@link SparkFeatures#SEQUENCE_SCHEMA}
         * @return {@link #SCORE_SCHEMA} rows (lazy)
         */
        public Dataset<Row> scoreSequences(Dataset<Row> sequences) {
            SparkSession spark = sequences.sparkSession();
            Broadcast<byte[]> modelBc = Shipping.broadcast(spark, s.model);
            Broadcast<byte[]> catalogBc = Shipping.broadcast(spark, Shipping.catalog(s.catalog, PriceQuantiles.fit(s.catalog)));
            Broadcast<byte[]> ratedBc = Shipping.broadcast(spark, ratedBytes(rated));
            double[] cuts = valueGroups == null ? null : concat(valueGroups.recencyCuts(), valueGroups.frequencyCuts(),
                    valueGroups.monetaryCuts());
            Settings set = new Settings(s.modelVersion, Shipping.config(s.config), Shipping.thresholds(thresholds), cuts, asOf,
                    s.topInterests, s.maxHistory, s.recommendations, s.excludeSeen);
            return sequences.mapPartitions(new Score(modelBc, catalogBc, ratedBc, set), Encoders.row(SCORE_SCHEMA));
        }

        /**
         * Writes score rows as Parquet (replacing what is there).
         *
         * @param scores rows of {@link #SCORE_SCHEMA}
         * @param path the output folder (any Hadoop file system URI)
         */
        public void write(Dataset<Row> scores, String path) {
            SparkScorer.write(scores, path);
        }
    }

    /**
     * Writes score rows as Parquet (replacing what is there).
     *
     * @param scores rows of {@link #SCORE_SCHEMA}
     * @param path the output folder (any Hadoop file system URI)
     */
    public static void write(Dataset<Row> scores, String path) {
        scores.write().mode(SaveMode.Overwrite).parquet(path);
    }

    /**
     * The previous output with the re-scored users' rows replaced (an anti-join and a union; one
     * shuffle of the previous output).
     *
     * @param previous rows of {@link #SCORE_SCHEMA}
     * @param rescored rows of {@link #SCORE_SCHEMA} from {@link Fitted#scoreSince}
     * @return the merged rows
     */
    public static Dataset<Row> merge(Dataset<Row> previous, Dataset<Row> rescored) {
        Dataset<Row> kept = previous.join(rescored.select(SparkEvents.USER_ID),
                scala.collection.JavaConverters.asScalaBuffer(List.of(SparkEvents.USER_ID)).toSeq(), "left_anti");
        return kept.unionByName(rescored);
    }

    private static double[] concat(double[] a, double[] b, double[] c) {
        double[] out = new double[a.length + b.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        System.arraycopy(c, 0, out, a.length + b.length, c.length);
        return out;
    }

    /** What every task needs besides the broadcasts: numbers and strings only. */
    private record Settings(String version, double[] config, double[] thresholds, double[] cuts, long asOf, int topInterests,
                            int maxHistory, int recommendations, boolean excludeSeen) implements java.io.Serializable {
    }

    /** What one executor JVM builds once per job from the broadcasts. */
    private record PerExecutor(DeepProfileModel model, ProfileScorer scorer, EmbeddingRetrievalRecommender recommender) {
    }

    /** Scores the users of a partition with the executor's scorer; no per-row model load. */
    private static final class Score implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<byte[]> model;
        private final Broadcast<byte[]> catalog;
        private final Broadcast<byte[]> rated;
        private final Settings set;

        Score(Broadcast<byte[]> model, Broadcast<byte[]> catalog, Broadcast<byte[]> rated, Settings set) {
            this.model = model;
            this.catalog = catalog;
            this.rated = rated;
            this.set = set;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> in) {
            PerExecutor x = Shipping.cached("scorer:" + set.version() + ":" + model.id() + ":" + catalog.id() + ":" + rated.id(),
                    this::build);
            return SparkFeatures.map(in, r -> {
                String user = r.getString(0);
                List<BehaviorEvent> h = SparkFeatures.history(r);
                ScoredUser u = x.scorer().score(user, h);
                List<Recommendation> recs = List.of();
                if (set.recommendations() > 0 && u.embedding().length == x.model().embeddingSize()) {
                    UserProfile p = new UserProfile(user, u.embedding(), u.interests(), Map.of(), Map.of(), List.of(), Map.of(),
                            u.eventCount(), java.time.Instant.ofEpochMilli(set.asOf()), set.version());
                    recs = x.recommender().recommend(RecommendationRequest.builder(set.recommendations()).user(user).history(h)
                            .profile(p).excludeSeen(set.excludeSeen()).build());
                }
                return row(u, recs, set.version(), set.asOf());
            });
        }

        private PerExecutor build() {
            DeepProfileModel m = loadModel(model.value());
            ItemResolver resolver = SparkFeatures.resolver(catalog);
            List<BehaviorEvent> ratedEvents = ratedEvents(rated.value());
            RatingPolarity pol = ratedEvents.isEmpty() ? null
                    : RatingPolarity.fit(ratedEvents, RatingPolarity.DEFAULT_PRIOR, RatingPolarity.DEFAULT_PRIOR);
            ProfileScorer.Builder b = ProfileScorer.builder(m).topInterests(set.topInterests()).maxHistory(set.maxHistory())
                    .aggregates(Shipping.config(set.config()), resolver).asOfMillis(set.asOf())
                    .tagger(new ProfileTagger(Shipping.thresholds(set.thresholds()))).ratingPolarity(pol).segmentsRfm();
            if (set.cuts() != null) {
                b.valueGroups(valueGroupsAt(set.cuts()));
            }
            EmbeddingRetrievalRecommender rec = EmbeddingRetrievalRecommender.builder(m, m.itemIds())
                    .catalog(resolver.catalog()).build();
            return new PerExecutor(m, b.build(), rec);
        }
    }

    /** Value groups at the driver's quintile cut points ({@code cuts}: recency q1..q4, frequency q1..q4, monetary q1..q4). */
    static RfmSegmenter valueGroupsAt(double[] cuts) {
        return RfmSegmenter.ofCuts(ProfileScorer.VALUE_SEGMENTER_NAME, java.util.Arrays.copyOfRange(cuts, 0, 4),
                java.util.Arrays.copyOfRange(cuts, 4, 8), java.util.Arrays.copyOfRange(cuts, 8, 12));
    }

    static DeepProfileModel loadModel(byte[] artifact) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("persona4j-model-", ".zip");
            Files.write(tmp, artifact);
            return DeepProfileModel.load(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("spark scorer: cannot stage the model artifact in a local temporary file: "
                    + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    private static byte[] ratedBytes(List<BehaviorEvent> rated) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + rated.size() * 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(rated.size());
            for (BehaviorEvent e : rated) {
                out.writeUTF(e.userId());
                out.writeBoolean(e.itemId() != null);
                if (e.itemId() != null) {
                    out.writeUTF(e.itemId());
                }
                out.writeLong(e.timestampMillis());
                out.writeDouble(e.ratingOrNaN());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen on a byte array
        }
        return bytes.toByteArray();
    }

    private static List<BehaviorEvent> ratedEvents(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int n = in.readInt();
            List<BehaviorEvent> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String user = in.readUTF();
                String item = in.readBoolean() ? in.readUTF() : null;
                long ts = in.readLong();
                double rating = in.readDouble();
                out.add(BehaviorEvent.builder(user, item, item == null ? EventType.SEARCH : EventType.RATE, ts).rating(rating).build());
            }
            return out;
        } catch (IOException e) {
            throw new ModelFormatException("spark scorer: shipped ratings are truncated: " + e.getMessage(), e);
        }
    }

    static Row row(ScoredUser u, List<Recommendation> recs, String version, long asOf) {
        List<Float> emb = floats(u.embedding());
        List<Float> lt = floats(u.longTermEmbedding());
        List<Row> interests = new ArrayList<>();
        u.interests().forEach((k, v) -> interests.add(RowFactory.create(k, v)));
        List<Row> rec = new ArrayList<>(recs.size());
        for (Recommendation r : recs) {
            List<Row> reasons = new ArrayList<>(r.reasons().size());
            for (Reason x : r.reasons()) {
                reasons.add(RowFactory.create(x.kind().name(), x.text(), SparkFeatures.map(x.evidence())));
            }
            rec.add(RowFactory.create(r.itemId(), r.score(), SparkFeatures.seq(reasons)));
        }
        return RowFactory.create(u.userId(), u.eventCount(), u.lastEventMillis(), SparkFeatures.seq(emb), SparkFeatures.seq(lt),
                SparkFeatures.map(u.propensities()), u.churnSource(), SparkFeatures.seq(interests), SparkFeatures.tagRows(u.tags()),
                u.segment(), u.valueGroup(), u.sentiment(), u.sentimentRatings(), SparkFeatures.seq(rec), version, asOf);
    }

    private static List<Float> floats(float[] v) {
        List<Float> out = new ArrayList<>(v.length);
        for (float f : v) {
            out.add(f);
        }
        return out;
    }

    /**
     * @param row a row of {@link #SCORE_SCHEMA}
     * @param column "embedding" or "long_term_embedding"
     * @return the vector
     */
    public static float[] vector(Row row, String column) {
        List<Float> l = row.getList(row.fieldIndex(column));
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = l.get(i);
        }
        return out;
    }

    /** Configures a {@link SparkScorer}; not thread-safe. */
    public static final class Builder {
        private final byte[] model;
        private final Catalog catalog;
        private AggregateConfig config = AggregateConfig.defaults();
        private int topInterests = 5;
        private int maxHistory;
        private int recommendations = 10;
        private boolean excludeSeen = true;
        private Long asOfMillis;
        private TagThresholds thresholds;

        private Builder(byte[] model, Catalog catalog) {
            if (model == null || model.length == 0) {
                throw new BadInputException("spark scorer: field 'model': the artifact bytes are required, was "
                        + (model == null ? "null" : "empty"));
            }
            this.model = model.clone();
            this.catalog = catalog == null ? new InMemoryCatalog() : catalog;
        }

        /** @param c aggregate settings, not null @return this */
        public Builder config(AggregateConfig c) {
            if (c == null) {
                throw new BadInputException("spark scorer: field 'config': required, was null");
            }
            this.config = c;
            return this;
        }

        /** @param n interests per row, 0..1000 (default 5) @return this */
        public Builder topInterests(int n) {
            if (n < 0 || n > 1000) {
                throw new BadInputException("spark scorer: field 'topInterests': expected 0..1000, was " + n);
            }
            this.topInterests = n;
            return this;
        }

        /** @param n the model sees the last n events of a user; 0 = all (default) @return this */
        public Builder maxHistory(int n) {
            if (n < 0) {
                throw new BadInputException("spark scorer: field 'maxHistory': expected >= 0, was " + n);
            }
            this.maxHistory = n;
            return this;
        }

        /** @param n recommendations per user, 0..1000 (default 10; 0 = none) @return this */
        public Builder recommendations(int n) {
            if (n < 0 || n > 1000) {
                throw new BadInputException("spark scorer: field 'recommendations': expected 0..1000, was " + n);
            }
            this.recommendations = n;
            return this;
        }

        /** @param on whether items the user already interacted with are left out (default true) @return this */
        public Builder excludeSeen(boolean on) {
            this.excludeSeen = on;
            return this;
        }

        /** @param t the as-of time (default: the latest event) @return this */
        public Builder asOfMillis(long t) {
            this.asOfMillis = t;
            return this;
        }

        /** @param t fixed tag thresholds (default: fitted on the users) @return this */
        public Builder thresholds(TagThresholds t) {
            this.thresholds = t;
            return this;
        }

        /**
         * @return the scorer (loads the model once on the driver to check it)
         * @throws ModelFormatException when the artifact is not a readable profile model
         */
        public SparkScorer build() {
            return new SparkScorer(this);
        }
    }
}
