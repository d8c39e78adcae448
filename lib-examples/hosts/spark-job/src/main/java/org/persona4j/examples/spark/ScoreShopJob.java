package org.persona4j.examples.spark;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.io.ColumnMapping;
import org.persona4j.spark.SparkCatalog;
import org.persona4j.spark.SparkEvents;
import org.persona4j.spark.SparkFeatures;
import org.persona4j.spark.SparkScorer;
import org.persona4j.spark.SparkSegments;

/**
 * Scores every user of a shop on Spark and writes Parquet:
 *
 * <pre>
 * spark-submit --class org.persona4j.examples.spark.ScoreShopJob --files model.zip persona4j-spark-job.jar \
 *   --events s3a://shop/events/ --format parquet --items s3a://shop/items.csv --model model.zip \
 *   --out s3a://shop/persona4j/ [--columns user_id=visitor,timestamp=ts] [--since 1767225600000] [--k 8] [--top-n 10] \
 *   [--report /tmp/segment-report] [--score-sample 0.05]
 * </pre>
 *
 * Outputs under {@code --out}: {@code quarantine/} (JSON: raw row, field, reason), {@code features/}
 * (per-user aggregates and tags), {@code scores/} (one row per user, or per changed user with
 * {@code --since}) and {@code segments/} (k-means segment per user). {@code --model} is read on the
 * driver ({@code --files} ships it there in cluster mode); {@code --report} is a local folder on the
 * driver. CSV input is read as RFC 4180 (header, quoted line breaks, doubled quotes).
 * {@code --score-sample F} (in (0, 1]) featurises every user but scores and segments only the users
 * whose user-id hash falls in the first {@code F} of the hash range (the same users on every run
 * and partitioning): the scoring throughput of a shop too large to score whole on a test machine.
 * The job prints the seconds of its phases and the scoring throughput (users/s).
 */
public final class ScoreShopJob {
    private ScoreShopJob() {
    }

    /**
     * @param args the options above
     */
    public static void main(String[] args) {
        Map<String, String> o = options(args);
        SparkSession spark = SparkSession.builder().appName("persona4j score").getOrCreate();
        run(spark, o);
    }

    /**
     * Runs the job on a session (the tests call it with a local one).
     *
     * @param spark the session
     * @param o the options, names without the dashes
     * @return counts of what was written: valid events, quarantined rows, users scored, users per segment
     */
    public static Map<String, Long> run(SparkSession spark, Map<String, String> o) {
        String out = require(o, "out");
        String format = o.getOrDefault("format", "parquet");
        Dataset<Row> raw = reader(spark, format).format(format).load(require(o, "events"));
        SparkEvents.Result read = SparkEvents.read(raw, ColumnMapping.parse(o.get("columns")));
        read.quarantine().write().mode(SaveMode.Overwrite).json(out + "/quarantine");
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("events", read.validCount());
        counts.put("quarantined", read.quarantinedCount());
        System.out.printf(Locale.ROOT, "events: %d valid, %d quarantined %s%n", counts.get("events"), counts.get("quarantined"),
                read.quarantinedByField());

        InMemoryCatalog catalog = o.containsKey("items")
                ? SparkCatalog.collect(reader(spark, "csv").csv(o.get("items"))) : new InMemoryCatalog();
        Dataset<Row> events = read.events();
        long t0 = System.nanoTime();
        // kept for the scorer's fit, which would otherwise group the events again for the same aggregates
        Dataset<Row> features = SparkFeatures.builder(catalog).build().aggregates(events).persist(StorageLevel.MEMORY_AND_DISK());
        features.write().mode(SaveMode.Overwrite).parquet(out + "/features");
        double featureSeconds = (System.nanoTime() - t0) / 1e9;

        long f0 = System.nanoTime();
        SparkScorer.Fitted scorer = SparkScorer.builder(Path.of(require(o, "model")), catalog)
                .recommendations(Integer.parseInt(o.getOrDefault("top-n", "10"))).build().fit(events, features);
        System.out.printf(Locale.ROOT, "scorer fitted in %.1f s%n", (System.nanoTime() - f0) / 1e9);
        Dataset<Row> scored = events;
        if (o.containsKey("score-sample")) {
            double f = Double.parseDouble(o.get("score-sample"));
            if (!(f > 0 && f <= 1)) {
                throw new IllegalArgumentException("--score-sample: expected a share in (0, 1], was " + o.get("score-sample"));
            }
            // a hash of the user id, not Spark's row sampling: the same users whatever the partitioning
            scored = events.filter(functions.pmod(functions.xxhash64(functions.col(SparkEvents.USER_ID)),
                    functions.lit(1_000_000L)).lt(functions.lit((long) Math.round(f * 1_000_000L))));
        }
        long s0 = System.nanoTime();
        Dataset<Row> scores = (o.containsKey("since") ? scorer.scoreSince(scored, Long.parseLong(o.get("since")))
                : scorer.score(scored)).persist(StorageLevel.MEMORY_AND_DISK());
        scorer.write(scores, out + "/scores");
        counts.put("users", scores.count());
        double scoreSeconds = (System.nanoTime() - s0) / 1e9;
        System.out.printf(Locale.ROOT, "features written in %.1f s; %d users scored and written in %.1f s (%.0f users/s)%n",
                featureSeconds, counts.get("users"), scoreSeconds, counts.get("users") / scoreSeconds);

        SparkSegments seg = SparkSegments.builder().k(Integer.parseInt(o.getOrDefault("k", "8"))).build();
        SparkSegments.Clusters clusters = seg.kMeans(scores);
        clusters.assignments().write().mode(SaveMode.Overwrite).parquet(out + "/segments");
        counts.putAll(clusters.counts());
        System.out.printf(Locale.ROOT, "scored %d users; segments %s; value groups %s%n", counts.get("users"), clusters.counts(),
                SparkSegments.valueGroupCounts(scores));
        if (o.containsKey("report")) {
            Path report = seg.report(scores, clusters, scorer, events, catalog, Path.of(o.get("report")));
            System.out.println("report: " + report);
        }
        scores.unpersist();
        features.unpersist();
        read.unpersist();
        return counts;
    }

    private static DataFrameReader reader(SparkSession spark, String format) {
        DataFrameReader r = spark.read();
        return "csv".equals(format) ? r.option("header", "true").option("multiLine", "true").option("escape", "\"") : r;
    }

    private static String require(Map<String, String> o, String name) {
        String v = o.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing option --" + name);
        }
        return v;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }
}
