package org.persona4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheFilesAndASummary() throws Exception {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        int rc = cl.execute("generate", "--users", "50", "--items", "80", "--seed", "5", "--days", "7", "--noise", "--quiet",
                "--out", dir.toString());
        assertEquals(0, rc, out.toString());
        for (String f : new String[] {"events.csv", "items.csv", "users.csv", "personas.csv", "personas.json", "truth.csv"}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        assertEquals(51, Files.readAllLines(dir.resolve("personas.csv")).size());
        String s = out.toString();
        assertTrue(s.contains("PURCHASE") && s.contains("users      50") && s.contains("events.csv"), s);
    }

    @Test
    void outcomesOptionsPlantLapsesAndPurchaseRatesInTruthCsv() throws Exception {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        int rc = cl.execute("generate", "--users", "200", "--items", "80", "--seed", "5", "--days", "14", "--outcomes",
                "--lapse-share", "0.3", "--quiet", "--out", dir.toString());
        assertEquals(0, rc, out.toString());
        java.util.List<String> rows = Files.readAllLines(dir.resolve("truth.csv"));
        assertEquals("user_id,persona,checkout_rate,lapse_rate,lapsed,lapse_at", rows.get(0));
        assertEquals(201, rows.size());
        long lapsed = rows.stream().filter(r -> r.split(",", -1)[4].equals("true")).count();
        long rates = rows.stream().skip(1).map(r -> r.split(",", -1)[2]).distinct().count();
        assertTrue(lapsed > 20 && lapsed < 100, "about 30% lapse: " + lapsed);
        assertTrue(rates > 1, "personas have different checkout rates");
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("generate", "--lapse-share", "0.9", "--out", dir.toString()));
        assertTrue(err.toString().contains("'lapseShare'"), err.toString());
    }

    @Test
    void badOptionsAreUsageErrors() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("generate", "--users", "0", "--out", dir.toString()));
        assertTrue(err.toString().contains("'users'"), err.toString());
        assertEquals(2, cl.execute("generate", "--preset", "huge", "--out", dir.toString()));
    }
}
