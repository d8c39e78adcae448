package org.persona4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.features.pipeline.FittedFeaturePipeline;
import picocli.CommandLine;

class FeaturesCommandTest {
    @Test
    void cleansFitsSavesAndShowsTags(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("user_id,item_id,event_type,timestamp,query\n");
        long t = 1_700_000_000_000L;
        for (int k = 0; k < 30; k++) {
            csv.append("u1,i").append(k % 3).append(",VIEW,").append(t + k * 3_600_000L).append(",\n");
            csv.append("u2,i").append(k % 5).append(",PURCHASE,").append(t + k * 7_200_000L).append(",\n");
        }
        csv.append("u1,i0,VIEW,").append(t).append(",\n"); // exact duplicate
        csv.append("u2,,SEARCH,").append(t + 5).append(",red lipstick\n");
        Path in = dir.resolve("events.csv");
        Files.writeString(in, csv);
        Path out = dir.resolve("features.json");
        StringWriter sw = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(sw));
        int rc = cl.execute("features", "--format", "events-csv", "--input", in.toString(), "--clean", "--out", out.toString(),
                "--show", "2", "-q");
        assertEquals(0, rc, sw.toString());
        String text = sw.toString();
        assertTrue(text.contains("exact duplicate"), text);
        assertTrue(text.contains("user u1: 30 events"), text);
        FittedFeaturePipeline p = FittedFeaturePipeline.load(out, new InMemoryCatalog());
        assertTrue(text.contains("fitted: " + p.schema().size() + " features"), text);
    }

    @Test
    void benchFeaturesRunsOnATinyShop(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("b.json");
        StringWriter sw = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(sw));
        int rc = cl.execute("bench-features", "--users", "60", "--items", "200", "--warmup", "0", "--passes", "1",
                "--json", json.toString());
        assertEquals(0, rc, sw.toString());
        String j = Files.readString(json);
        assertTrue(j.contains("hotPathEventsPerSecondMedian") && j.contains("fitGenerated"), j);
    }
}
