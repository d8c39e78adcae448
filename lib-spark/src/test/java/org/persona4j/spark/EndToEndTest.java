package org.persona4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.ProgressListener;
import org.persona4j.segment.KMeansSegmenter;
import org.persona4j.synth.GenerationSummary;
import org.persona4j.synth.ShopConfig;
import org.persona4j.synth.ShopGenerator;
import org.persona4j.synth.SyntheticShop;

/**
 * End to end on real Spark (local[2]): a generated shop's events.csv, malformed rows included, is
 * read by Spark's CSV source, validated with a quarantine, scored, clustered with MLlib's k-means,
 * counted by value group, and reported with the segment module's report.
 */
class EndToEndTest {
    @Test
    void csvToScoresToSegmentsAndReport(@TempDir Path dir) throws Exception {
        SparkSession spark = LocalSpark.get();
        ShopConfig cfg = ShopConfig.builder().users(150).items(80).personas(3).days(10).seed(11).malformedRate(0.01).build();
        GenerationSummary summary = new ShopGenerator(cfg).writeTo(dir.resolve("shop"), ProgressListener.NONE);
        SyntheticShop shop = new ShopGenerator(cfg).generate();

        // RFC 4180 CSV: review texts hold quoted line breaks and doubled quotes
        Dataset<Row> csv = spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"").csv(dir.resolve("shop/events.csv").toString());
        SparkEvents.Result read = SparkEvents.read(csv);
        long valid = read.validCount();
        long bad = read.quarantinedCount();
        assertTrue(summary.malformedRows() > 0, "the shop has malformed rows");
        assertEquals(summary.malformedRows(), bad, "every malformed row is quarantined: " + read.quarantinedByField());
        assertEquals(summary.events(), valid, "every valid row is an event");
        read.quarantine().write().json(dir.resolve("quarantine").toString());
        assertEquals(bad, spark.read().json(dir.resolve("quarantine").toString()).count());

        InMemoryCatalog catalog = SparkCatalog.collect(spark.read().option("header", "true").option("multiLine", "true")
                .option("escape", "\"").csv(dir.resolve("shop/items.csv").toString()));
        assertEquals(shop.catalog().size(), catalog.size());
        for (Item want : shop.catalog().items()) {
            Item got = catalog.item(want.id()).orElseThrow();
            assertEquals(want.categoryPath(), got.categoryPath(), want.id());
            assertEquals(want.brand(), got.brand(), want.id());
            assertEquals(want.price(), got.price(), 1e-9, want.id());
            assertEquals(want.title(), got.title(), want.id());
        }

        Dataset<Row> events = read.events();
        SparkScorer.Fitted fitted = SparkScorer.builder(SparkScorerTest.MODEL, catalog).recommendations(3).build()
                .fit(events);
        Dataset<Row> scores = fitted.score(events).persist(StorageLevel.MEMORY_AND_DISK());
        long users = scores.count();
        assertEquals(shop.events().stream().map(e -> e.userId()).distinct().count(), users);

        SparkSegments seg = SparkSegments.builder().k(4).seed(7).reportSample(100).build();
        SparkSegments.Clusters clusters = seg.kMeans(scores);
        assertEquals(4, clusters.counts().size(), "k clusters: " + clusters.counts());
        for (int i = 0; i < 4; i++) {
            assertTrue(clusters.counts().containsKey(KMeansSegmenter.segmentId(i)), clusters.counts().toString());
        }
        assertEquals(users, clusters.counts().values().stream().mapToLong(Long::longValue).sum(), "counts sum to the users");
        assertEquals(users, clusters.assignments().count());
        assertEquals(4, clusters.centroids().length);
        assertEquals(4, clusters.segments().size());

        Map<String, Long> groups = SparkSegments.valueGroupCounts(scores);
        assertEquals(users, groups.values().stream().mapToLong(Long::longValue).sum(), "value groups sum to the users: " + groups);
        assertTrue(groups.get("prospect") > 0, groups.toString());

        Path report = seg.report(scores, clusters, fitted, events, catalog, dir.resolve("report"));
        String html = Files.readString(report);
        assertTrue(html.contains("sizes.png") && html.contains("pca.png"), html);
        assertTrue(html.contains("full counts of " + users + " users"), html);
        assertTrue(Files.size(dir.resolve("report/sizes.png")) > 0);
        scores.unpersist();
        read.unpersist();
    }
}
