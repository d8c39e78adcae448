package org.persona4j.examples.spark;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.io.ColumnMapping;
import org.persona4j.spark.SparkCatalog;
import org.persona4j.spark.SparkEvents;
import org.persona4j.spark.SparkFeatures;
import org.persona4j.spark.SparkScorer;
import org.persona4j.spark.SparkSegments;

/** The Java block of docs/spark.md, compiled here (DocSnippetsTest compares the two); never run. */
final class SparkDocSnippets {
    private SparkDocSnippets() {
    }

    static void pipeline() throws Exception {
        // snippet:start spark-pipeline
        SparkSession spark = SparkSession.builder().getOrCreate();
        SparkEvents.Result read = SparkEvents.read(spark.read().parquet("s3a://shop/events"),
                ColumnMapping.parse("user_id=visitor,timestamp=ts"));
        read.quarantine().write().json("s3a://shop/quarantine");            // never dropped silently
        Dataset<Row> events = read.events();
        InMemoryCatalog catalog = SparkCatalog.collect(spark.read().option("header", "true").csv("s3a://shop/items.csv"));

        Dataset<Row> features = SparkFeatures.builder(catalog).build().aggregates(events);

        SparkScorer.Fitted scorer = SparkScorer.builder(Path.of("model.zip"), catalog).recommendations(10).build().fit(events);
        Dataset<Row> scores = scorer.score(events);                          // or scorer.scoreSince(events, lastRunMillis)
        scorer.write(scores, "s3a://shop/scores");

        SparkSegments seg = SparkSegments.builder().k(8).seed(42).build();
        SparkSegments.Clusters clusters = seg.kMeans(scores);
        seg.report(scores, clusters, scorer, events, catalog, Path.of("/tmp/segment-report"));
        // snippet:end
    }
}
