package org.persona4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bench-retrieval} with lists of M and ef, both vector formats and a report. */
final class BenchRetrievalCurveTest {
    @Test
    void curveAndReport(@TempDir Path dir) throws IOException {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        Path report = dir.resolve("r");
        int rc = cl.execute("bench-retrieval", "--items", "1500", "--dim", "8", "--queries", "20", "--quiet", "--m", "8,16",
                "--ef", "20,60", "--compare-quantized", "--report", report.toString());
        String s = out.toString();
        assertEquals(0, rc, s);
        List<String> lines = s.lines().toList();
        assertTrue(lines.get(0).contains("M=8,16") && lines.get(0).contains("ef=20,60"), s);
        assertEquals(4, lines.stream().filter(l -> l.contains("1,500") && l.contains("(segments 1)")).count(), s);
        assertEquals(1 + 8, lines.stream().filter(l -> l.startsWith("curve:")).count(), s);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("curve:") && l.contains("int7")), s);
        List<String> csv = Files.readAllLines(report.resolve("curve.csv"));
        assertEquals(1 + 8, csv.size(), String.join("\n", csv));
        assertTrue(Files.size(report.resolve("recall-latency.png")) > 1000);
        assertTrue(Files.size(report.resolve("recall-latency-p50.png")) > 1000);
    }
}
