package org.persona4j.examples.spark;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
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
 *   [--report /tmp/segment-report]
 * </pre>
 *
 * Outputs under {@code --out}: {@code quarantine/} (JSON: raw row, field, reason), {@code features/}
 * (per-user aggregates and tags), {@code scores/} (one row per user, or per changed user with
 * {@code --since}) and {@code segments/} (k-means segment per user). {@code --model} is read on the
 * driver ({@code --files} ships it there in cluster mode); {@code --report} is a local folder on the
 * driver. CSV input is read as RFC 4180 (header, quoted line breaks, doubled quotes).
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
        SparkFeatures.builder(catalog).build().aggregates(events).write().mode(SaveMode.Overwrite).parquet(out + "/features");

        SparkScorer.Fitted scorer = SparkScorer.builder(Path.of(require(o, "model")), catalog)
                .recommendations(Integer.parseInt(o.getOrDefault("top-n", "10"))).build().fit(events);
        Dataset<Row> scores = (o.containsKey("since") ? scorer.scoreSince(events, Long.parseLong(o.get("since")))
                : scorer.score(events)).persist(StorageLevel.MEMORY_AND_DISK());
        scorer.write(scores, out + "/scores");
        counts.put("users", scores.count());

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
