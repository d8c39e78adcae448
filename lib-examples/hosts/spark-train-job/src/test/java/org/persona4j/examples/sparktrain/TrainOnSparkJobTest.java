package org.persona4j.examples.sparktrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BadInputException;
import org.persona4j.models.profile.DeepProfileModel;

/** The training job end to end on real Spark ({@code local[2]}): an S3-Rec file in, an artifact out. */
class TrainOnSparkJobTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().appName("persona4j-train-job-test").master("local[2]").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void trainsOnTwoWorkersAndWritesALoadableArtifact() throws Exception {
        // 80 users, each walking a ring of 30 items: the next item is learnable
        Random r = new Random(3);
        List<String> lines = new ArrayList<>();
        for (int u = 1; u <= 80; u++) {
            StringBuilder b = new StringBuilder(String.valueOf(u));
            int item = 1 + r.nextInt(30);
            for (int k = 0; k < 6 + r.nextInt(8); k++) {
                b.append(' ').append(item);
                item = item % 30 + 1;
            }
            lines.add(b.toString());
        }
        Path input = dir.resolve("Shop.txt");
        Files.write(input, lines);
        Path model = dir.resolve("model.zip");
        Path json = dir.resolve("metrics.json");
        Map<String, Object> out = TrainOnSparkJob.run(spark, TrainOnSparkJob.options(new String[] {
            "--input", input.toString(), "--format", "s3rec", "--workers", "2", "--steps-per-round", "2", "--out", model.toString(),
            "--json", json.toString(), "--epochs", "3", "--emb", "8", "--hidden", "16", "--batch", "16", "--max-len", "10",
            "--threads", "1"}));
        assertEquals(2, out.get("workers"));
        assertEquals(3, ((List<?>) out.get("epochs")).size());
        assertTrue(((List<?>) out.get("roundSeconds")).size() >= 3);
        assertTrue(Files.readString(json).contains("\"hr@10\""));
        try (DeepProfileModel m = DeepProfileModel.load(model)) {
            assertTrue(m.network().itemCount() >= 30, "items: " + m.network().itemCount());
        }
    }

    @Test
    void unknownOptionsAreNamed() {
        BadInputException e = assertThrows(BadInputException.class, () -> TrainOnSparkJob.run(spark,
                TrainOnSparkJob.options(new String[] {"--input", "x", "--format", "s3rec", "--out", "m.zip", "--epoch", "3"})));
        assertTrue(e.getMessage().contains("epoch"), e.getMessage());
    }
}
