package org.persona4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvaluateCommandTest {
    @TempDir
    Path tmp;

    private Path s3recFixture() throws Exception {
        Random r = new Random(42);
        System.out.println("EvaluateCommandTest fixture seed 42");
        StringBuilder sb = new StringBuilder();
        for (int u = 1; u <= 120; u++) {
            sb.append(u);
            int start = (u % 6) * 5;
            for (int i = 0; i < 6; i++) {
                sb.append(' ').append(1 + start + (i + r.nextInt(2)) % 8);
            }
            sb.append('\n');
        }
        Path f = tmp.resolve("Tiny.txt");
        Files.writeString(f, sb.toString());
        return f;
    }

    @Test
    void writesTheContractJson() throws Exception {
        Path input = s3recFixture();
        Path json = tmp.resolve("out.json");
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        int rc = cl.execute("evaluate", "--format", "s3rec", "--input", input.toString(), "--protocol", "loo",
                "--recommenders", "pop,itemknn,sknn", "--k", "10,20", "--seed", "42", "--threads", "2", "--json", json.toString(), "--quiet",
                "--report", json.resolveSibling("eval-report").toString());
        assertEquals(0, rc, out.toString());
        Path reportDir = json.resolveSibling("eval-report");
        String html = Files.readString(reportDir.resolve("report.html"));
        for (String png : new String[] {"hr.png", "ndcg.png", "coverage.png", "segments.png"}) {
            assertTrue(html.contains(png) && Files.size(reportDir.resolve(png)) > 1000, png + " in " + html);
        }
        assertTrue(html.contains("Accuracy per user segment") && html.contains("itemknn"), html);
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertEquals(120, doc.get("dataset").get("users").asLong());
        assertTrue(doc.get("protocol").asText().startsWith("loo"));
        assertEquals(3, doc.get("results").size());
        for (JsonNode r : doc.get("results")) {
            for (String m : new String[] {"hr@10", "ndcg@10", "hr@20", "ndcg@20", "mrr@20", "coverage@20"}) {
                double v = r.get("metrics").get(m).asDouble();
                assertTrue(v >= 0 && v <= 1, m + "=" + v);
            }
            assertTrue(r.get("train_seconds").asDouble() >= 0);
            assertTrue(r.get("eval_seconds").asDouble() >= 0);
        }
        // item-kNN learns the clustered sequences; popularity cannot
        double pop = doc.get("results").get(0).get("metrics").get("hr@10").asDouble();
        double knn = doc.get("results").get(1).get("metrics").get("hr@10").asDouble();
        assertTrue(knn > pop, "itemknn " + knn + " vs pop " + pop);
    }

    @Test
    void unknownRecommenderListsTheKnownOnes() throws Exception {
        Path input = s3recFixture();
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute("evaluate", "--format", "s3rec", "--input", input.toString(), "--recommenders", "pop,magic", "--quiet");
        assertTrue(rc != 0);
        assertTrue(err.toString().contains("magic") && err.toString().contains("itemknn"), err.toString());
    }

    @Test
    void benchRetrievalSmallRun() {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        int rc = cl.execute("bench-retrieval", "--items", "2000", "--dim", "16", "--queries", "20", "--quiet");
        assertEquals(0, rc, out.toString());
        assertTrue(out.toString().contains("2,000"), out.toString());
    }
}
