package org.persona4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code bench-engine} open loop on a tiny trained model and checks its report. */
class BenchEngineCommandTest {
    @TempDir
    Path dir;

    @Test
    void openLoopRunReportsEveryCallAndTheWriteBehind() throws Exception {
        Path in = TinyS3Rec.write(dir, 4);
        Path model = dir.resolve("m.zip");
        assertEquals(0, run("train", "--format", "s3rec", "--input", in.toString(), "--out", model.toString(), "--emb", "4",
                "--hidden", "6", "--proj", "4", "--max-len", "5", "--batch", "4", "--epochs", "1", "--threads", "1",
                "--seed", "3", "--quiet"));
        Path json = dir.resolve("bench.json");
        assertEquals(0, run("bench-engine", "--model", model.toString(), "--items", "500", "--users", "300", "--threads", "2",
                "--ingest", "3000", "--queries", "400", "--rate", "3000", "--recommend-rate", "800", "--flush-ms", "20",
                "--flush-duty", "0.5", "--cache", "1000", "--json", json.toString()));
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals("open loop", j.get("load").asText());
        assertEquals("at once", j.get("phases").asText());
        assertEquals(500, j.get("catalogue_items").asInt());
        assertEquals(3000, j.get("ingest").get("calls").asInt());
        assertEquals(400, j.get("recommend_top20").get("calls").asInt());
        for (String phase : new String[] {"ingest", "recommend_top20"}) {
            JsonNode p = j.get(phase);
            double p50 = p.get("p50_ms").asDouble();
            double p99 = p.get("p99_ms").asDouble();
            assertTrue(p50 > 0 && p50 <= p99 && p99 <= p.get("max_ms").asDouble(), phase + ": " + p);
            assertEquals(10, p.get("p99_ms_by_tenth").size(), phase + ": " + p);
            double s50 = p.get("service_p50_ms").asDouble();
            assertTrue(s50 > 0 && s50 <= p.get("service_p99_ms").asDouble() && s50 <= p.get("max_ms").asDouble(), phase + ": " + p);
            for (JsonNode t : p.get("p99_ms_by_tenth")) {
                assertTrue(t.asDouble() > 0 && t.asDouble() <= p.get("max_ms").asDouble(), phase + ": " + p);
            }
        }
        JsonNode e = j.get("engine");
        // warm-up + measured ingests, each counted once
        assertEquals(3000 + Math.min(50_000, 3000), e.get("eventsIngested").asLong());
        assertTrue(e.get("usersWritten").asLong() > 0, "the write-behind ran: " + e);
        // both kinds on one schedule: the recommend calls (0.5 s at 800/s) ran inside the ingest run (1 s at 3,000/s)
        assertTrue(j.get("recommend_top20").get("calls_per_second").asDouble() < 600, "recommend ran during ingest: " + j);

        Path seq = dir.resolve("seq.json");
        assertEquals(0, run("bench-engine", "--model", model.toString(), "--items", "500", "--users", "300", "--threads", "2",
                "--ingest", "600", "--queries", "100", "--rate", "3000", "--recommend-rate", "800", "--sequential",
                "--json", seq.toString()));
        JsonNode q = new ObjectMapper().readTree(seq.toFile());
        assertEquals("sequential", q.get("phases").asText());
        assertEquals(600, q.get("ingest").get("calls").asInt());
        assertEquals(100, q.get("recommend_top20").get("calls").asInt());

        // through the IVF index, with filler shaped like the model's items: the served recall is measured
        Path ivf = dir.resolve("ivf.json");
        assertEquals(0, run("bench-engine", "--model", model.toString(), "--items", "2000", "--users", "300", "--threads", "2",
                "--ingest", "600", "--queries", "100", "--rate", "3000", "--recommend-rate", "800", "--ann", "--filler", "variants",
                "--json", ivf.toString()));
        JsonNode v = new ObjectMapper().readTree(ivf.toFile());
        assertEquals("ivf", v.get("retrieval").asText());
        assertEquals("variants", v.get("filler").asText());
        double recall = v.get("ann_recall_at_20").asDouble();
        assertTrue(recall > 0.5 && recall <= 1.0, "served recall@20: " + recall);
        double share = v.get("exact_top20_filler_share").asDouble();
        assertTrue(share >= 0 && share <= 1, "filler share: " + share);
        assertEquals(2, run("bench-engine", "--model", model.toString(), "--items", "600", "--ann", "--index", "annoy"));
    }

    private static int run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        if (rc != 0) {
            System.err.println(err);
        }
        return rc;
    }
}
