package org.persona4j.examples.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.ProgressListener;
import org.persona4j.synth.GenerationSummary;
import org.persona4j.synth.ShopConfig;
import org.persona4j.synth.ShopGenerator;

/** The job end to end on local Spark over a generated shop's CSV files. */
class ScoreShopJobTest {
    @Test
    void scoresAGeneratedShop(@TempDir Path dir) throws Exception {
        GenerationSummary g = new ShopGenerator(ShopConfig.builder().users(60).items(40).days(7).seed(3).malformedRate(0.01).build())
                .writeTo(dir.resolve("shop"), ProgressListener.NONE);
        Path model = Path.of("../../../lib-models/profile-train/src/test/resources/golden/profile-model-v2.zip");
        SparkSession spark = SparkSession.builder().master("local[2]").appName("job-test").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            Map<String, Long> c = ScoreShopJob.run(spark, ScoreShopJob.options(new String[] {
                "--events", dir.resolve("shop/events.csv").toString(), "--format", "csv",
                "--items", dir.resolve("shop/items.csv").toString(), "--model", model.toString(),
                "--out", dir.resolve("out").toString(), "--k", "3", "--top-n", "3", "--report", dir.resolve("report").toString()}));
            assertEquals(g.events(), c.get("events"));
            assertEquals(g.malformedRows(), c.get("quarantined"));
            assertEquals(c.get("users"), spark.read().parquet(dir.resolve("out/scores").toString()).count());
            assertEquals(c.get("users"), spark.read().parquet(dir.resolve("out/segments").toString()).count());
            assertEquals(c.get("users"), spark.read().parquet(dir.resolve("out/features").toString()).count());
            assertTrue(Files.exists(dir.resolve("report/report.html")));

            // a sample: every user featurised, a fixed part of them scored and segmented
            Map<String, Long> half = ScoreShopJob.run(spark, ScoreShopJob.options(new String[] {
                "--events", dir.resolve("shop/events.csv").toString(), "--format", "csv",
                "--items", dir.resolve("shop/items.csv").toString(), "--model", model.toString(),
                "--out", dir.resolve("half").toString(), "--k", "2", "--top-n", "3", "--score-sample", "0.5"}));
            long all = c.get("users");
            long sampled = half.get("users");
            assertTrue(sampled > 0 && sampled < all, sampled + " of " + all);
            assertEquals(all, spark.read().parquet(dir.resolve("half/features").toString()).count());
            assertEquals(sampled, spark.read().parquet(dir.resolve("half/segments").toString()).count());
            // the users whose id hash falls in the first half of the range: the same ones on every run
            long expected = spark.read().parquet(dir.resolve("half/features").toString())
                    .filter(org.apache.spark.sql.functions.pmod(org.apache.spark.sql.functions.xxhash64(
                            org.apache.spark.sql.functions.col(org.persona4j.spark.SparkEvents.USER_ID)),
                            org.apache.spark.sql.functions.lit(1_000_000L)).lt(500_000L)).count();
            assertEquals(expected, sampled);
        } finally {
            spark.stop();
        }
    }
}
