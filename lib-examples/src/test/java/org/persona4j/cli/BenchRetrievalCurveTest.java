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

/** {@code bench-retrieval} with the IVF index at two probes, HNSW with lists of M and ef in both vector formats, and a report. */
final class BenchRetrievalCurveTest {
    @Test
    void curveAndReport(@TempDir Path dir) throws IOException {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        Path report = dir.resolve("r");
        int rc = cl.execute("bench-retrieval", "--items", "1500", "--dim", "8", "--queries", "20", "--quiet", "--m", "8,16",
                "--ef", "20,60", "--probes", "10,40", "--compare-quantized", "--report", report.toString());
        String s = out.toString();
        assertEquals(0, rc, s);
        List<String> lines = s.lines().toList();
        assertTrue(lines.get(0).contains("M=8,16") && lines.get(0).contains("ef=20,60"), s);
        // one first-table row per index: the IVF index, and HNSW per M and format
        assertEquals(1, lines.stream().filter(l -> l.contains("1,500") && l.contains("(ivf lists ")).count(), s);
        assertEquals(4, lines.stream().filter(l -> l.contains("1,500") && l.contains("(hnsw M ")).count(), s);
        // the curve: a header, 2 IVF points and 2 x 2 x 2 HNSW points
        assertEquals(1 + 2 + 8, lines.stream().filter(l -> l.startsWith("curve:")).count(), s);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("curve:") && l.contains("int7")), s);
        assertEquals(2, lines.stream().filter(l -> l.startsWith("curve:") && l.contains(" ivf ")).count(), s);
        List<String> csv = Files.readAllLines(report.resolve("curve.csv"));
        assertEquals(1 + 2 + 8, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(0).contains("index,m_or_lists"), csv.get(0));
        assertTrue(Files.size(report.resolve("recall-latency.png")) > 1000);
        assertTrue(Files.size(report.resolve("recall-latency-p50.png")) > 1000);
    }
}
