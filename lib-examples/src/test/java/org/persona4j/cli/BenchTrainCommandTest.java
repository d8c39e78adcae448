package org.persona4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchTrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheJsonContract() throws Exception {
        Path in = TinyS3Rec.write(dir, 3);
        Path json = dir.resolve("out.json");
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(new StringWriter()));
        int rc = cl.execute("bench-train", "--format", "s3rec", "--input", in.toString(), "--emb", "4", "--hidden", "6",
                "--max-len", "5", "--batch", "4", "--epochs", "1", "--lr", "0.01", "--threads", "1", "--seed", "3",
                "--latency-updates", "50", "--json", json.toString());
        assertEquals(0, rc);
        JsonNode n = new ObjectMapper().readTree(json.toFile());
        for (String k : List.of("train_seconds", "train_positions", "train_positions_per_second", "metrics",
                "update_latency_ms", "backend")) {
            assertTrue(n.has(k), k);
        }
        assertEquals("CPU", n.get("backend").get("backend").asText());
        for (String k : List.of("hr@10", "ndcg@10", "hr@20", "ndcg@20", "mrr@20")) {
            double v = n.get("metrics").get(k).asDouble();
            assertTrue(v >= 0 && v <= 1, k + "=" + v);
        }
        assertTrue(n.get("update_latency_ms").has("p50") && n.get("update_latency_ms").has("p99"));
    }

    @Test
    void rejectsUnknownFormat() {
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(new StringWriter()));
        assertEquals(2, cl.execute("bench-train", "--format", "csv", "--input", "x.txt"));
    }
}
