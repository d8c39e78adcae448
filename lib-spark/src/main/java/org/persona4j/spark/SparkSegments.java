package org.persona4j.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.Segment;
import org.persona4j.segment.KMeansSegmenter;
import org.persona4j.segment.RfmSegmenter;
import org.persona4j.segment.RfmValues;
import org.persona4j.segment.SegmentReport;

/**
 * Segmentation at scale over the rows of {@link SparkScorer}: k-means (Spark MLlib, seeded) on an
 * embedding column, the counts of the RFM value groups with their rules, and the segment report of
 * the segment module ({@link SegmentReport}) drawn from a sample of users with the full counts.
 *
 * <pre>{@code
 * SparkSegments seg = SparkSegments.builder().k(8).seed(42).build();
 * SparkSegments.Clusters c = seg.kMeans(scores);            // segment per user, full counts
 * seg.report(scores, c, fitted, events, catalog, Path.of("report"));   // report.html from a sample
 * }</pre>
 *
 * <p>Shuffles: MLlib's k-means aggregates per iteration (a small tree aggregate of k centroids,
 * not a shuffle of the users); the counts are one group-by each; the report's sample is a
 * filter, and its events a semi-join with the sampled users.
 */
public final class SparkSegments {
    /** Column of {@link Clusters#assignments()}: the 0-based cluster. */
    public static final String CLUSTER = "cluster";
    /** Column of {@link Clusters#assignments()}: the segment id, {@code kmeans-<cluster>} as in the segment module. */
    public static final String SEGMENT = "segment";
    private static final String FEATURES = "__p4j_features";

    private final int k;
    private final long seed;
    private final int maxIterations;
    private final String column;
    private final int sample;

    private SparkSegments(Builder b) {
        this.k = b.k;
        this.seed = b.seed;
        this.maxIterations = b.maxIterations;
        this.column = b.column;
        this.sample = b.sample;
    }

    /** @return a builder: k = 8, seed 42, 20 iterations, the long-term embedding, a report sample of 5,000 users */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The fitted clusters.
     *
     * @param model the MLlib model (transform more rows with it)
     * @param assignments {@code user_id}, {@value #CLUSTER}, {@value #SEGMENT} per user with a non-empty embedding (lazy)
     * @param counts users per segment id, over all users (sorted by id)
     * @param segments the segments with their full counts and summaries (size, share, mean events, mean churn)
     */
    public record Clusters(KMeansModel model, Dataset<Row> assignments, Map<String, Long> counts, List<Segment> segments) {
        /** @return the cluster centres, one row per cluster */
        public float[][] centroids() {
            Vector[] c = model.clusterCenters();
            float[][] out = new float[c.length][];
            for (int i = 0; i < c.length; i++) {
                double[] d = c[i].toArray();
                out[i] = new float[d.length];
                for (int j = 0; j < d.length; j++) {
                    out[i][j] = (float) d[j];
                }
            }
            return out;
        }
    }

    /**
     * Fits k-means on the embedding column of score rows and assigns every user.
     *
     * @param scores rows of {@link SparkScorer#SCORE_SCHEMA}
     * @return the clusters
     * @throws BadInputException when fewer users than k have an embedding
     */
    public Clusters kMeans(Dataset<Row> scores) {
        Dataset<Row> x = scores.filter(functions.size(functions.col(column)).gt(0))
                .withColumn(FEATURES, org.apache.spark.ml.functions.array_to_vector(functions.col(column)));
        x = x.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        try {
            long n = x.count();
            if (n < k) {
                throw new BadInputException("spark segments: k-means: k = " + k + " clusters for " + n + " users with a non-empty '"
                        + column + "': expected k <= the number of users");
            }
            KMeansModel model = new KMeans().setK(k).setSeed(seed).setMaxIter(maxIterations).setFeaturesCol(FEATURES)
                    .setPredictionCol(CLUSTER).fit(x);
            Dataset<Row> assigned = model.transform(x).select(functions.col(SparkEvents.USER_ID), functions.col(CLUSTER),
                    // KMeansSegmenter.segmentId(cluster): kmeans-<cluster>
                    functions.concat(functions.lit("kmeans-"), functions.col(CLUSTER).cast("string")).as(SEGMENT),
                    functions.col("event_count"), functions.col("propensities"));
            Map<String, Long> counts = new TreeMap<>();
            List<Segment> segments = new ArrayList<>();
            List<Row> stats = assigned.groupBy(SEGMENT, CLUSTER).agg(functions.count(functions.lit(1)),
                    functions.avg("event_count"), functions.avg(functions.col("propensities").getItem("churn")))
                    .orderBy(CLUSTER).collectAsList();
            for (Row r : stats) {
                String id = KMeansSegmenter.segmentId(r.getInt(1));
                long size = r.getLong(2);
                counts.put(id, size);
                Map<String, String> summary = new LinkedHashMap<>();
                summary.put("size", Long.toString(size));
                summary.put("share", String.format(Locale.ROOT, "%.4f", size / (double) n));
                summary.put("mean events", String.format(Locale.ROOT, "%.1f", r.getDouble(3)));
                if (!r.isNullAt(4)) {
                    summary.put("mean churn", String.format(Locale.ROOT, "%.3f", r.getDouble(4)));
                }
                segments.add(new Segment(id, Segment.Kind.BEHAVIOUR, "cluster " + r.getInt(1), size, size / (double) n, summary));
            }
            return new Clusters(model, assigned.select(SparkEvents.USER_ID, CLUSTER, SEGMENT), counts, segments);
        } finally {
            x.unpersist();
        }
    }

    /**
     * Users per RFM value group ({@code (none)} when no value groups were fitted and the user bought),
     * with every group of {@link RfmSegmenter#GROUPS} present.
     *
     * @param scores rows of {@link SparkScorer#SCORE_SCHEMA}
     * @return the counts, in {@link RfmSegmenter#GROUPS} order
     */
    public static Map<String, Long> valueGroupCounts(Dataset<Row> scores) {
        Map<String, Long> out = new LinkedHashMap<>();
        RfmSegmenter.GROUPS.forEach(g -> out.put(g, 0L));
        for (Row r : scores.groupBy("value_group").count().collectAsList()) {
            out.put(r.isNullAt(0) ? "(none)" : r.getString(0), r.getLong(1));
        }
        return out;
    }

    /**
     * Writes the segment module's report ({@code report.html} and PNG charts) for the k-means
     * segments: sizes and value groups from the full counts; the category affinity, the PCA
     * projection and the RFM grid from a seeded sample of users (at most the configured size).
     *
     * @param scores rows of {@link SparkScorer#SCORE_SCHEMA}
     * @param clusters the clusters of {@link #kMeans}
     * @param fitted the fitted scorer (value groups with their full counts), or null to leave them out
     * @param events rows of {@link SparkEvents#EVENT_SCHEMA} for the affinity chart, or null
     * @param catalog the catalogue for the affinity chart, or null
     * @param dir the local output folder on the driver
     * @return the path of report.html
     */
    public Path report(Dataset<Row> scores, Clusters clusters, SparkScorer.Fitted fitted, Dataset<Row> events, Catalog catalog,
                       Path dir) {
        long total = clusters.counts().values().stream().mapToLong(Long::longValue).sum();
        double fraction = total <= sample ? 1.0 : Math.min(1.0, 1.2 * sample / total);
        Dataset<Row> sampled = scores.select(SparkEvents.USER_ID, column).join(clusters.assignments(), seq(SparkEvents.USER_ID));
        if (fraction < 1.0) {
            sampled = sampled.sample(false, fraction, seed);
        }
        List<Row> rows = sampled.select(functions.col(SparkEvents.USER_ID), functions.col(SEGMENT), functions.col(column))
                .limit(sample).collectAsList();
        List<String> users = new ArrayList<>(rows.size());
        Map<String, String> ofUser = new LinkedHashMap<>();
        float[][] vectors = new float[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            users.add(r.getString(0));
            ofUser.put(r.getString(0), r.getString(1));
            List<Float> v = r.getList(2);
            vectors[i] = new float[v.size()];
            for (int j = 0; j < vectors[i].length; j++) {
                vectors[i][j] = v.get(j);
            }
        }
        SegmentReport.Builder b = SegmentReport.builder("persona4j segments (Spark)")
                .note(String.format(Locale.ROOT, "k-means (Spark MLlib) with k = %d, seed %d, on '%s'; sizes are the full counts of "
                        + "%d users, charts are drawn from a sample of %d users.", k, seed, column, total, rows.size()))
                .segments(clusters.segments(), ofUser).vectors(users, vectors, column.replace('_', ' ')).seed(seed);
        if (fitted != null && fitted.valueGroups() != null) {
            Map<String, RfmValues> sampleValues = new LinkedHashMap<>();
            for (String u : users) {
                RfmValues v = fitted.rfmValues().get(u);
                if (v != null) {
                    sampleValues.put(u, v);
                }
            }
            b.rfm(fitted.valueGroups(), sampleValues);
        }
        if (events != null && catalog != null && !users.isEmpty()) {
            Dataset<Row> mine = SparkEvents.inOrder(events).join(
                    events.sparkSession().createDataset(users, org.apache.spark.sql.Encoders.STRING()).toDF(SparkEvents.USER_ID),
                    seq(SparkEvents.USER_ID), "left_semi");
            List<BehaviorEvent> ev = SparkEvents.toEvents(SparkEvents.inOrder(mine).collectAsList());
            b.events(ev, catalog);
        }
        return b.build().write(dir);
    }

    private static scala.collection.Seq<String> seq(String column) {
        return SparkFeatures.seq(List.of(column));
    }

    /** Configures {@link SparkSegments}; not thread-safe. */
    public static final class Builder {
        private int k = 8;
        private long seed = 42;
        private int maxIterations = 20;
        private String column = "long_term_embedding";
        private int sample = 5000;

        private Builder() {
        }

        /** @param v clusters, 2..10000 (default 8) @return this */
        public Builder k(int v) {
            if (v < 2 || v > 10_000) {
                throw new BadInputException("spark segments: field 'k': expected 2..10000, was " + v);
            }
            this.k = v;
            return this;
        }

        /** @param v the seed of k-means and of the report's sample (default 42) @return this */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        /** @param v k-means iterations at most, >= 1 (default 20) @return this */
        public Builder maxIterations(int v) {
            if (v < 1) {
                throw new BadInputException("spark segments: field 'maxIterations': expected >= 1, was " + v);
            }
            this.maxIterations = v;
            return this;
        }

        /** @param v the vector column: {@code long_term_embedding} (default) or {@code embedding} @return this */
        public Builder column(String v) {
            if (!"long_term_embedding".equals(v) && !"embedding".equals(v)) {
                throw new BadInputException("spark segments: field 'column': expected long_term_embedding or embedding, was " + v);
            }
            this.column = v;
            return this;
        }

        /** @param v users in the report's sample, 10..1,000,000 (default 5,000) @return this */
        public Builder reportSample(int v) {
            if (v < 10 || v > 1_000_000) {
                throw new BadInputException("spark segments: field 'reportSample': expected 10..1000000, was " + v);
            }
            this.sample = v;
            return this;
        }

        /** @return the segmenter */
        public SparkSegments build() {
            return new SparkSegments(this);
        }
    }
}
