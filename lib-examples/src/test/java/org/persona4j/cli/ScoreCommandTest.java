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
            // no ratings in an S3-Rec file: no sentiment
            assertTrue(r.get("sentiment").isNull() && r.get("sentimentRatings").asInt() == 0, line);
            assertEquals(0, r.get("sentimentByCategory").size(), line);
        }
        assertTrue(out.toString().contains("sentiment: none (no rated events)"), out.toString());
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
        assertEquals(List.of("embedding", "long_term_embedding", "sentiment", "sentiment_ratings", "sentiment_by_category"),
                header.subList(header.size() - 5, header.size()), "the sentiment columns come last");
        for (String l : lines.subList(1, lines.size())) {
            String[] f = splitCsv(l);
            assertEquals(header.size(), f.length, l);
            assertTrue(f[seg].matches("kmeans-[0-2]"), l);
            double c = Double.parseDouble(f[churn]);
            assertTrue(c >= 0 && c <= 1, l);
            assertTrue(JSON.readTree(f[emb]).isArray(), l);
            assertEquals("", f[header.size() - 3], "no ratings, no sentiment: " + l);
        }
        assertTrue(out.toString().contains("segments: kmeans-"), out.toString());
    }

    @Test
    void ratedDataGivesSentimentAndRaterTags() throws Exception {
        // RecBole ratings of the tiny file's items: users 3..20 rate item i at 2 + i % 3, user 1 one below, user 2 one above
        Path rb = Files.createDirectories(dir.resolve("rb"));
        List<String> inter = new ArrayList<>(List.of("user_id:token\titem_id:token\trating:float\ttimestamp:float"));
        long t = 1_000_000_000L;
        for (int u = 1; u <= 20; u++) {
            for (int i = 1; i <= 10; i++) {
                int v = 2 + i % 3 + (u == 1 ? -1 : u == 2 ? 1 : 0);
                inter.add(u + "\t" + i + "\t" + v + "\t" + (t += 3600));
            }
        }
        Files.write(rb.resolve("rb.inter"), inter);
        Path jsonl = dir.resolve("rated.jsonl");
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, new StringWriter(), "score", "--format", "recbole", "--input", rb.toString(), "--model",
                model.toString(), "--out", jsonl.toString(), "--quiet"));
        assertTrue(out.toString().contains("sentiment: rating polarity fitted on 200 ratings"), out.toString());
        java.util.Map<String, JsonNode> rows = new java.util.HashMap<>();
        for (String line : Files.readAllLines(jsonl)) {
            JsonNode r = JSON.readTree(line);
            rows.put(r.get("userId").asText(), r);
        }
        JsonNode harsh = rows.get("1");
        JsonNode generous = rows.get("2");
        assertTrue(harsh.get("sentiment").asDouble() < -0.5 && harsh.get("sentimentRatings").asInt() == 10, harsh.toString());
        assertTrue(generous.get("sentiment").asDouble() > 0.5, generous.toString());
        assertTrue(Math.abs(rows.get("7").get("sentiment").asDouble()) < 0.1, rows.get("7").toString());
        assertTrue(harsh.get("tags").toString().contains("\"critical-rater\""), harsh.toString());
        assertTrue(generous.get("tags").toString().contains("\"enthusiastic-rater\""), generous.toString());
        assertFalse(rows.get("7").get("tags").toString().contains("-rater\""), rows.get("7").toString());
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
