package org.persona4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapGroupsFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.EventType;
import org.persona4j.core.Tag;
import org.persona4j.features.aggregate.Affinity;
import org.persona4j.features.aggregate.AggregateConfig;
import org.persona4j.features.aggregate.AggregateSnapshot;
import org.persona4j.features.aggregate.ItemResolver;
import org.persona4j.features.aggregate.PriceQuantiles;
import org.persona4j.features.aggregate.UserAggregates;
import org.persona4j.features.tags.ProfileTagger;
import org.persona4j.features.tags.TagThresholds;

/**
 * Featurisation at scale: per-user sequences, lib-features' {@link UserAggregates} (RFM, category
 * and brand affinity, price sensitivity, activity) and {@link ProfileTagger} tags, computed per user
 * on the executors with exactly the single-JVM code, so the values equal lib-features' for the
 * same events in the same order ({@link #HISTORY_ORDER}).
 *
 * <pre>{@code
 * SparkFeatures f = SparkFeatures.builder(catalog).build();       // as-of time and tag thresholds fitted on the data
 * Dataset<Row> users = f.aggregates(events);                      // AGGREGATE_SCHEMA, one row per user
 * }</pre>
 *
 * <p>Shuffles: {@link #sequences} groups the events by user (one shuffle of the events); fitting the
 * tag thresholds collects two numbers per user to the driver (a buyer's money spent, events per
 * day); the tags are then added per row without a shuffle.
 */
public final class SparkFeatures {
    /** Column of {@link #SEQUENCE_SCHEMA}: the user's events, sorted by {@link #HISTORY_ORDER}. */
    public static final String EVENTS = "events";
    /** Struct of one affinity: name, decayed weight, share. */
    public static final StructType AFFINITY = new StructType().add("name", DataTypes.StringType)
            .add("weight", DataTypes.DoubleType).add("share", DataTypes.DoubleType);
    /** Struct of one tag: id, text, weight and evidence. */
    public static final StructType TAG = new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType)
            .add("weight", DataTypes.DoubleType)
            .add("evidence", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));

    /** Per-user sequences: {@code user_id} and {@value #EVENTS}, an array of {@link SparkEvents#EVENT_SCHEMA} structs. */
    public static final StructType SEQUENCE_SCHEMA = new StructType().add(SparkEvents.USER_ID, DataTypes.StringType, false)
            .add(EVENTS, DataTypes.createArrayType(SparkEvents.EVENT_SCHEMA, false), false);

    /**
     * Per-user aggregates, one row per user: the {@link AggregateSnapshot} values (times in epoch
     * milliseconds, -1 when none; NaN where the snapshot has NaN), the tags, and {@code state}, the
     * {@link UserAggregates#toBytes} encoding to continue from.
     */
    public static final StructType AGGREGATE_SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField(SparkEvents.USER_ID, DataTypes.StringType, false),
        DataTypes.createStructField("as_of", DataTypes.LongType, false),
        DataTypes.createStructField("event_count", DataTypes.LongType, false),
        DataTypes.createStructField("first_event", DataTypes.LongType, false),
        DataTypes.createStructField("last_event", DataTypes.LongType, false),
        DataTypes.createStructField("last_purchase", DataTypes.LongType, false),
        DataTypes.createStructField("recency_days", DataTypes.DoubleType, false),
        DataTypes.createStructField("purchase_recency_days", DataTypes.DoubleType, false),
        DataTypes.createStructField("frequency", DataTypes.LongType, false),
        DataTypes.createStructField("monetary", DataTypes.DoubleType, false),
        DataTypes.createStructField("purchase_units", DataTypes.LongType, false),
        DataTypes.createStructField("unknown_items", DataTypes.LongType, false),
        DataTypes.createStructField("events_per_day", DataTypes.DoubleType, false),
        DataTypes.createStructField("type_counts", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false),
        DataTypes.createStructField("top_categories", DataTypes.createArrayType(AFFINITY, false), false),
        DataTypes.createStructField("leaf_categories", DataTypes.createArrayType(AFFINITY, false), false),
        DataTypes.createStructField("brands", DataTypes.createArrayType(AFFINITY, false), false),
        DataTypes.createStructField("price_sensitivity", DataTypes.DoubleType, false),
        DataTypes.createStructField("mean_price_percentile", DataTypes.DoubleType, false),
        DataTypes.createStructField("dominant_price_band", DataTypes.IntegerType, false),
        DataTypes.createStructField("night_share", DataTypes.DoubleType, false),
        DataTypes.createStructField("weekend_share", DataTypes.DoubleType, false),
        DataTypes.createStructField("peak_hour", DataTypes.IntegerType, false),
        DataTypes.createStructField("tags", DataTypes.createArrayType(TAG, false), true),
        DataTypes.createStructField("state", DataTypes.BinaryType, false),
    });

    /**
     * The order of a user's history: time, then event type (funnel order), item, session and the
     * remaining fields, so that a history sorts the same on every executor and in a single JVM
     * (Spark does not keep input order across a shuffle).
     */
    public static final Comparator<BehaviorEvent> HISTORY_ORDER = Comparator.comparingLong(BehaviorEvent::timestampMillis)
            .thenComparing(BehaviorEvent::type)
            .thenComparing(BehaviorEvent::itemId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(e -> e.sessionId().orElse(""))
            .thenComparing(e -> e.query().orElse(""))
            .thenComparingDouble(BehaviorEvent::priceOrNaN)
            .thenComparingInt(BehaviorEvent::quantityOrOne)
            .thenComparingDouble(BehaviorEvent::ratingOrNaN)
            .thenComparingLong(BehaviorEvent::dwellMillisOrMinus1)
            .thenComparing(e -> e.reviewText().orElse(""));

    private static final int TAGS = AGGREGATE_SCHEMA.fieldIndex("tags");
    private static final int STATE = AGGREGATE_SCHEMA.fieldIndex("state");

    private final byte[] catalog;
    private final AggregateConfig config;
    private final Long asOfMillis;
    private final TagThresholds thresholds;
    private final boolean tags;

    private SparkFeatures(Builder b) {
        PriceQuantiles q = b.prices != null ? b.prices : PriceQuantiles.fit(b.catalog);
        this.catalog = Shipping.catalog(b.catalog, q);
        this.config = b.config;
        this.asOfMillis = b.asOfMillis;
        this.thresholds = b.thresholds;
        this.tags = b.tags;
    }

    /**
     * @param catalog the catalogue the items resolve against (categories, brands, prices), not null
     * @return a builder: default {@link AggregateConfig}, as-of time = the latest event, tag
     *     thresholds fitted on the data ({@link ProfileTagger#fit}'s rule)
     */
    public static Builder builder(Catalog catalog) {
        return new Builder(catalog);
    }

    /**
     * Per-user sequences: one row per user with the user's events sorted by {@link #HISTORY_ORDER}.
     * One shuffle of the events (a user's history must fit in an executor's memory).
     *
     * @param events rows of {@link SparkEvents#EVENT_SCHEMA} (e.g. {@link SparkEvents.Result#events()})
     * @return {@link #SEQUENCE_SCHEMA} rows
     */
    public static Dataset<Row> sequences(Dataset<Row> events) {
        Objects.requireNonNull(events, "events");
        return SparkEvents.inOrder(events).groupByKey((MapFunction<Row, String>) r -> r.getString(0), Encoders.STRING())
                .mapGroups(new SortGroup(), Encoders.row(SEQUENCE_SCHEMA));
    }

    /** Sorts one user's events. */
    private static final class SortGroup implements MapGroupsFunction<String, Row, Row> {
        private static final long serialVersionUID = 1L;

        @Override
        public Row call(String user, Iterator<Row> rows) {
            List<BehaviorEvent> h = new ArrayList<>();
            rows.forEachRemaining(r -> h.add(SparkEvents.toEvent(r)));
            h.sort(HISTORY_ORDER);
            List<Row> out = new ArrayList<>(h.size());
            for (BehaviorEvent e : h) {
                out.add(SparkEvents.toRow(e));
            }
            return RowFactory.create(user, seq(out));
        }
    }

    /**
     * @param sequenceRow a row of {@link #SEQUENCE_SCHEMA} (read by position)
     * @return its events, in order
     */
    public static List<BehaviorEvent> history(Row sequenceRow) {
        List<Row> rows = sequenceRow.getList(1);
        List<BehaviorEvent> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(SparkEvents.toEvent(r));
        }
        return out;
    }

    /**
     * @param events rows of {@link SparkEvents#EVENT_SCHEMA}
     * @return the latest event time, epoch milliseconds (runs a job)
     * @throws BadInputException when there are no events
     */
    public static long latestEventMillis(Dataset<Row> events) {
        Row r = events.agg(functions.max(SparkEvents.TIMESTAMP)).first();
        if (r.isNullAt(0)) {
            throw new BadInputException("spark features: no events: expected at least one event to take the as-of time from");
        }
        return r.getLong(0);
    }

    /**
     * Per-user aggregates and tags of the events ({@link #sequences} first).
     *
     * @param events rows of {@link SparkEvents#EVENT_SCHEMA}
     * @return {@link #AGGREGATE_SCHEMA} rows, one per user
     */
    public Dataset<Row> aggregates(Dataset<Row> events) {
        long asOf = asOfMillis != null ? asOfMillis : latestEventMillis(events);
        return aggregatesOfSequences(sequences(events), asOf);
    }

    /**
     * Per-user aggregates and tags of sequences already grouped.
     *
     * @param sequences rows of {@link #SEQUENCE_SCHEMA}
     * @param asOf the time recency and decay are evaluated at
     * @return {@link #AGGREGATE_SCHEMA} rows, one per user; the untagged pass is persisted when
     *     the tag thresholds are fitted (it is read twice)
     */
    public Dataset<Row> aggregatesOfSequences(Dataset<Row> sequences, long asOf) {
        SparkSession spark = sequences.sparkSession();
        Broadcast<byte[]> cat = Shipping.broadcast(spark, catalog);
        double[] cfg = Shipping.config(config);
        Dataset<Row> plain = sequences.mapPartitions(new Aggregate(cat, cfg, asOf), Encoders.row(AGGREGATE_SCHEMA));
        if (!tags) {
            return plain;
        }
        TagThresholds t = thresholds;
        if (t == null) {
            plain = plain.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
            t = fitThresholds(plain);
        }
        return plain.mapPartitions(new AddTags(cat, cfg, Shipping.thresholds(t)), Encoders.row(AGGREGATE_SCHEMA));
    }

    /**
     * The tag thresholds {@link ProfileTagger#fit} would fit on these users: the 80th percentile of
     * money spent among buyers and of events per day. Collects two numbers per user to the driver.
     *
     * @param aggregates rows of {@link #AGGREGATE_SCHEMA}
     * @return the thresholds
     */
    public static TagThresholds fitThresholds(Dataset<Row> aggregates) {
        double[] money = column(aggregates.filter(functions.col("monetary").gt(0)).select("monetary"));
        double[] rate = column(aggregates.filter(functions.col("event_count").gt(0)).select("events_per_day"));
        return TagThresholds.defaults(percentile(money, 0.8), percentile(rate, 0.8));
    }

    private static double[] column(Dataset<Row> one) {
        return one.collectAsList().stream().mapToDouble(r -> r.getDouble(0)).toArray();
    }

    /** {@link ProfileTagger#fit}'s percentile: the sorted value at floor(p n). */
    static double percentile(double[] v, double p) {
        if (v.length == 0) {
            return 0;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.floor(p * s.length))];
    }

    /** Folds each user's sorted events into {@link UserAggregates}; one resolver per executor. */
    private static final class Aggregate implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<byte[]> catalog;
        private final double[] config;
        private final long asOf;

        Aggregate(Broadcast<byte[]> catalog, double[] config, long asOf) {
            this.catalog = catalog;
            this.config = config;
            this.asOf = asOf;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> in) {
            ItemResolver resolver = resolver(catalog);
            AggregateConfig cfg = Shipping.config(config);
            return map(in, r -> {
                String user = r.getString(0);
                UserAggregates a = new UserAggregates(user, cfg);
                for (BehaviorEvent e : history(r)) {
                    a.update(e, resolver);
                }
                return row(a.snapshot(asOf, resolver), null, a.toBytes(resolver));
            });
        }
    }

    /** Adds the tags from the state; no shuffle. */
    private static final class AddTags implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<byte[]> catalog;
        private final double[] config;
        private final double[] thresholds;

        AddTags(Broadcast<byte[]> catalog, double[] config, double[] thresholds) {
            this.catalog = catalog;
            this.config = config;
            this.thresholds = thresholds;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> in) {
            ItemResolver resolver = resolver(catalog);
            AggregateConfig cfg = Shipping.config(config);
            ProfileTagger tagger = new ProfileTagger(Shipping.thresholds(thresholds));
            return map(in, r -> {
                byte[] state = (byte[]) r.get(STATE);
                AggregateSnapshot s = UserAggregates.fromBytes(r.getString(0), cfg, resolver, state)
                        .snapshot(r.getLong(1), resolver);
                Object[] v = new Object[r.length()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = r.get(i);
                }
                v[TAGS] = tagRows(tagger.tags(s));
                return RowFactory.create(v);
            });
        }
    }

    static ItemResolver resolver(Broadcast<byte[]> catalog) {
        return Shipping.cached("catalog:" + catalog.id(), () -> Shipping.resolver(catalog.value()));
    }

    /** A lazy mapping iterator (rows are produced as Spark pulls them). */
    static <A, B> Iterator<B> map(Iterator<A> in, java.util.function.Function<A, B> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return in.hasNext();
            }

            @Override
            public B next() {
                return f.apply(in.next());
            }
        };
    }

    /**
     * @param s a snapshot
     * @param tags its tags, or null
     * @param state the aggregates' bytes
     * @return a row of {@link #AGGREGATE_SCHEMA}
     */
    static Row row(AggregateSnapshot s, List<Tag> tags, byte[] state) {
        Map<String, Long> types = new LinkedHashMap<>();
        for (EventType t : EventType.values()) {
            types.put(t.name(), s.count(t));
        }
        return RowFactory.create(s.userId(), s.asOfMillis(), s.eventCount(), s.firstMillis(), s.lastMillis(),
                s.lastPurchaseMillis(), s.recencyDays(), s.purchaseRecencyDays(), s.frequency(), s.monetary(),
                s.purchaseUnits(), s.unknownItems(), s.eventsPerDay(), map(types), affinityRows(s.topCategories()),
                affinityRows(s.leafCategories()), affinityRows(s.brands()), s.priceSensitivity(), s.meanPricePercentile(),
                s.dominantPriceBand(), s.nightShare(), s.weekendShare(), s.peakHour(), tags == null ? null : tagRows(tags),
                state);
    }

    static scala.collection.Seq<Row> affinityRows(List<Affinity> a) {
        List<Row> out = new ArrayList<>(a.size());
        for (Affinity x : a) {
            out.add(RowFactory.create(x.name(), x.weight(), x.share()));
        }
        return seq(out);
    }

    static scala.collection.Seq<Row> tagRows(List<Tag> tags) {
        List<Row> out = new ArrayList<>(tags.size());
        for (Tag t : tags) {
            out.add(RowFactory.create(t.id(), t.text(), t.weight(), map(t.evidence())));
        }
        return seq(out);
    }

    /** A Java list as the Scala sequence a Row of an array column holds. */
    static <T> scala.collection.Seq<T> seq(List<T> list) {
        return scala.collection.JavaConverters.asScalaBuffer(list);
    }

    /** A Java map as the Scala map a Row of a map column holds. */
    static <K, V> scala.collection.Map<K, V> map(Map<K, V> m) {
        return scala.collection.JavaConverters.mapAsScalaMap(m);
    }

    /** Configures {@link SparkFeatures}; not thread-safe. */
    public static final class Builder {
        private final Catalog catalog;
        private PriceQuantiles prices;
        private AggregateConfig config = AggregateConfig.defaults();
        private Long asOfMillis;
        private TagThresholds thresholds;
        private boolean tags = true;

        private Builder(Catalog catalog) {
            if (catalog == null) {
                throw new BadInputException("spark features: field 'catalog': required, was null (use an empty InMemoryCatalog)");
            }
            this.catalog = catalog;
        }

        /** @param c aggregate settings (decay, slots, time zone), not null @return this */
        public Builder config(AggregateConfig c) {
            if (c == null) {
                throw new BadInputException("spark features: field 'config': required, was null");
            }
            this.config = c;
            return this;
        }

        /** @param q the price quantiles (default: fitted on the catalogue) @return this */
        public Builder prices(PriceQuantiles q) {
            this.prices = q;
            return this;
        }

        /** @param t the time recency and decay are evaluated at (default: the latest event) @return this */
        public Builder asOfMillis(long t) {
            this.asOfMillis = t;
            return this;
        }

        /** @param t fixed tag thresholds (default: fitted on the users) @return this */
        public Builder thresholds(TagThresholds t) {
            this.thresholds = t;
            return this;
        }

        /** @param on whether rows carry tags (default true) @return this */
        public Builder tags(boolean on) {
            this.tags = on;
            return this;
        }

        /** @return the featuriser */
        public SparkFeatures build() {
            return new SparkFeatures(this);
        }
    }
}
