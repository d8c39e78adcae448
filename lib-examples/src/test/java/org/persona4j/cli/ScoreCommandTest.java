package org.persona4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code score} on a tiny trained model: the JSON Lines contract, CSV, k-means segments, bad input. */
class ScoreCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> GROUPS = Set.of("champions", "loyal", "new", "potential", "cant-lose", "at-risk",
            "dormant", "prospect");

    @TempDir
    Path dir;
    Path in;
    Path model;

    @BeforeEach
    void trainTinyModel() throws Exception {
        in = TinyS3Rec.write(dir, 4);
        model = dir.resolve("m.zip");
        assertEquals(0, run(new StringWriter(), new StringWriter(), "train", "--format", "s3rec", "--input", in.toString(),
                "--out", model.toString(), "--emb", "4", "--hidden", "6", "--proj", "4", "--max-len", "5", "--batch", "4",
                "--epochs", "1", "--threads", "1", "--seed", "3", "--quiet"));
    }

    @Test
    void writesOneJsonLinePerUserInTheContractShape() throws Exception {
        Path jsonl = dir.resolve("out/scores.jsonl");
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, new StringWriter(), "score", "--format", "s3rec", "--input", in.toString(), "--model",
                model.toString(), "--out", jsonl.toString(), "--top-interests", "3", "--quiet"));
        assertTrue(out.toString().contains("scored 20 users") && out.toString().contains("users/s"), out.toString());
        assertFalse(Files.exists(dir.resolve("out/scores.jsonl.tmp")), "the temporary file is gone");
        List<String> lines = Files.readAllLines(jsonl);
        assertEquals(20, lines.size(), "one row per user");
        List<String> ids = new ArrayList<>();
        for (String line : lines) {
            JsonNode r = JSON.readTree(line);
            assertTrue(r.isObject(), line);
            ids.add(r.get("userId").asText());
            JsonNode p = r.get("propensities");
            assertTrue(p.isObject(), line);
            for (String name : new String[] {"purchase", "churn"}) {
                assertTrue(p.get(name).isNumber(), name + ": " + line);
                double v = p.get(name).asDouble();
                assertTrue(v >= 0 && v <= 1, name + ": " + line);
            }
            // the model's churn head when it has one, otherwise the heuristic; the summary line says which
            String source = r.get("churnSource").asText();
            assertTrue(Set.of("heuristic", "model").contains(source), line);
            assertTrue(out.toString().contains("churnSource: " + source + " ("), out.toString());
            assertTrue(r.get("embedding").isArray() && r.get("embedding").size() > 0, line);
            assertEquals(r.get("embedding").size(), r.get("longTermEmbedding").size(), line);
            for (JsonNode x : r.get("embedding")) {
                assertTrue(x.isNumber(), line);
            }
            assertTrue(r.get("interests").isArray() && r.get("interests").size() <= 3, line);
            for (JsonNode i : r.get("interests")) {
                assertTrue(i.get("name").isTextual() && i.get("score").isNumber(), line);
            }
            assertTrue(r.get("tags").isArray(), line);
            assertTrue(r.get("segment").isTextual() && r.get("segment").asText().startsWith("rfm-"), line);
            assertTrue(GROUPS.contains(r.get("valueGroup").asText()), line);
            assertEquals("rfm-" + r.get("valueGroup").asText(), r.get("segment").asText(), line);
            assertTrue(r.get("events").asInt() >= 4, line);
        }
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        assertEquals(sorted, ids, "rows in user-id order");
        assertEquals(20, Set.copyOf(ids).size());

        // deterministic: a second run (two threads) writes the same bytes
        Path again = dir.resolve("again.jsonl");
        assertEquals(0, run(new StringWriter(), new StringWriter(), "score", "--format", "s3rec", "--input", in.toString(),
                "--model", model.toString(), "--out", again.toString(), "--top-interests", "3", "--threads", "2", "--quiet"));
        assertEquals(Files.readString(jsonl), Files.readString(again));
    }

    @Test
    void csvNamePicksCsvAndKMeansSegments() throws Exception {
        Path csv = dir.resolve("scores.csv");
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, new StringWriter(), "score", "--format", "s3rec", "--input", in.toString(), "--model",
                model.toString(), "--out", csv.toString(), "--segments", "kmeans:3", "--quiet"));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(21, lines.size(), "header + one row per user");
        assertTrue(lines.get(0).startsWith("user_id,events,last_event_at,purchase,"), lines.get(0));
        List<String> header = List.of(lines.get(0).split(","));
        int seg = header.indexOf("segment");
        int churn = header.indexOf("churn");
        int emb = header.indexOf("embedding");
        assertTrue(seg > 0 && churn > 0 && emb > 0, lines.get(0));
        for (String l : lines.subList(1, lines.size())) {
            String[] f = splitCsv(l);
            assertEquals(header.size(), f.length, l);
            assertTrue(f[seg].matches("kmeans-[0-2]"), l);
            double c = Double.parseDouble(f[churn]);
            assertTrue(c >= 0 && c <= 1, l);
            assertTrue(JSON.readTree(f[emb]).isArray(), l);
        }
        assertTrue(out.toString().contains("segments: kmeans-"), out.toString());
    }

    @Test
    void badInputGivesOneLineErrors() throws Exception {
        StringWriter err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "score", "--format", "s3rec", "--input", in.toString(), "--model",
                model.toString(), "--out", dir.resolve("x.parquet").toString()));
        assertTrue(err.toString().contains("expected a name ending in .jsonl") && err.toString().contains("Parquet"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "score", "--format", "s3rec", "--input", in.toString(), "--model",
                dir.resolve("missing.zip").toString(), "--out", dir.resolve("x.jsonl").toString()));
        assertTrue(err.toString().contains("missing.zip: no such file"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "score", "--format", "s3rec", "--input", in.toString(), "--model",
                model.toString(), "--out", dir.resolve("x.jsonl").toString(), "--segments", "kmeans:x"));
        assertTrue(err.toString().contains("expected kmeans:K"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertFalse(Files.exists(dir.resolve("x.jsonl")));
    }

    /** Splits one CSV line with RFC 4180 quotes. */
    private static String[] splitCsv(String l) {
        List<String> f = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        boolean q = false;
        for (int i = 0; i < l.length(); i++) {
            char c = l.charAt(i);
            if (q) {
                if (c == '"' && i + 1 < l.length() && l.charAt(i + 1) == '"') {
                    sb.append('"');
                    i++;
                } else if (c == '"') {
                    q = false;
                } else {
                    sb.append(c);
                }
            } else if (c == '"') {
                q = true;
            } else if (c == ',') {
                f.add(sb.toString());
                sb.setLength(0);
            } else {
                sb.append(c);
            }
        }
        f.add(sb.toString());
        return f.toArray(new String[0]);
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        if (rc != 0) {
            System.err.println(err);
        }
        return rc;
    }
}
