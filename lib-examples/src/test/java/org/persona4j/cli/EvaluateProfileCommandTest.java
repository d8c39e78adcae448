package org.persona4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.ProgressListener;
import org.persona4j.synth.ShopConfig;
import org.persona4j.synth.ShopGenerator;
import picocli.CommandLine;

class EvaluateProfileCommandTest {
    @TempDir
    static Path tmp;
    static Path shop;

    @BeforeAll
    static void generate() {
        System.out.println("EvaluateProfileCommandTest shop seed 42");
        shop = tmp.resolve("shop");
        new ShopGenerator(ShopConfig.builder().users(300).items(300).days(45).seed(42).build()).writeTo(shop, ProgressListener.NONE);
    }

    private static String[] run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new String[] {Integer.toString(rc), out.toString(), err.toString()};
    }

    @Test
    void writesJsonAndReport() throws Exception {
        Path json = tmp.resolve("out/profile.json");
        Path html = tmp.resolve("out/profile.html");
        String[] r = run("evaluate-profile", "--format", "events-csv", "--input", shop.toString(), "--horizon-days", "7",
                "--churn-days", "14", "--seed", "42", "--json", json.toString(), "--report", html.toString(), "--quiet");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("historical rate") && r[1].contains("logistic regression"), r[1]);
        assertTrue(r[1].contains("no --model"), r[1]);
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertEquals("temporal", doc.get("protocol").asText());
        assertEquals(7, doc.get("config").get("horizonDays").asInt());
        assertEquals(14, doc.get("config").get("churnDays").asInt());
        assertEquals(300, doc.get("users").asInt());
        JsonNode rows = doc.get("scorers");
        assertEquals(4, rows.size());
        for (JsonNode row : List.of(rows.get(0), rows.get(1))) {
            double auc = row.get("purchase").get("rocAuc").asDouble();
            assertTrue(auc > 0 && auc < 1, row.get("name") + " purchase AUC " + auc);
            double ece = row.get("purchase").get("ece").asDouble();
            assertTrue(ece >= 0 && ece <= 1, "ECE " + ece);
        }
        assertTrue(rows.get(0).get("category").get("hitRate").asDouble() > 0);
        assertTrue(rows.get(1).get("category").isNull());
        assertEquals("random forest", rows.get(2).get("name").asText());
        assertTrue(rows.get(2).get("category").isNull());
        assertEquals("popular categories", rows.get(3).get("name").asText());
        assertTrue(rows.get(3).get("purchase").isNull());
        assertTrue(rows.get(3).get("category").get("hitRate").asDouble() > 0);
        String page = Files.readString(html);
        assertTrue(page.contains("<svg") && page.contains("historical rate"));
    }

    @Test
    void badOptionsAreNamed() {
        String[] r = run("evaluate-profile", "--format", "events-csv", "--input", shop.toString(), "--horizon-days", "0", "--quiet");
        assertNotEquals("0", r[0]);
        assertTrue((r[1] + r[2]).contains("horizonDays") && (r[1] + r[2]).contains("was 0"), r[1] + r[2]);
        r = run("evaluate-profile", "--format", "events-csv", "--input", shop.toString(), "--model", tmp.resolve("none.zip").toString());
        assertNotEquals("0", r[0]);
        assertTrue((r[1] + r[2]).contains("none.zip"), r[1] + r[2]);
        r = run("evaluate-profile", "--format", "events-csv", "--input", shop.toString(), "--churn-days", "60", "--quiet");
        assertNotEquals("0", r[0]);
        assertTrue((r[1] + r[2]).contains("churn 60"), r[1] + r[2]);
    }
}
