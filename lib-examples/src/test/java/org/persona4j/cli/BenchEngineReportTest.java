package org.persona4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code bench-engine --report} on a tiny model and checks the latency report it writes. */
class BenchEngineReportTest {
    private static final Pattern IMG = Pattern.compile("<img src=\"([^\"]+\\.png)\"");
    private static final Pattern HGRM_ROW = Pattern.compile(
            "\\s*([0-9.]+)\\s+([0-9.]+)\\s+([0-9]+)(?:\\s+([0-9.]+))?\\s*"); // the last row has no 1/(1-p)

    @TempDir
    Path dir;

    @Test
    void reportHasThePlotsTheHistogramsAndTheAllocationLine() throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path in = TinyS3Rec.write(dir, 4);
        Path model = dir.resolve("m.zip");
        assertEquals(0, run(new StringWriter(), "train", "--format", "s3rec", "--input", in.toString(), "--out", model.toString(),
                "--emb", "4", "--hidden", "6", "--proj", "4", "--max-len", "5", "--batch", "4", "--epochs", "1", "--threads",
                "1", "--seed", "3", "--quiet"));
        Path report = dir.resolve("report");
        Path json = dir.resolve("bench.json");
        StringWriter out = new StringWriter();
        // about 1 s of open-loop ingest and 1 s of recommend, charted per 250 ms
        assertEquals(0, run(out, "bench-engine", "--model", model.toString(), "--items", "500", "--users", "300", "--threads",
                "2", "--ingest", "600", "--queries", "300", "--rate", "600", "--recommend-rate", "300", "--flush-ms", "50",
                "--report", report.toString(), "--report-interval-ms", "250", "--json", json.toString()));

        // the printed lines other tooling parses, and the allocation line after them
        List<String> lines = out.toString().lines().toList();
        int ingest = indexOf(lines, "ingest    600 calls: p50 ");
        int recommend = indexOf(lines, "recommend 300 calls: p50 ");
        int allocation = indexOf(lines, "allocation: recommend ");
        assertTrue(ingest >= 0 && ingest < recommend && recommend < allocation, out.toString());
        assertTrue(lines.get(recommend).endsWith(" ms)  (top-20)"), lines.get(recommend));
        assertTrue(lines.get(ingest).contains("(service time p50 "), lines.get(ingest));
        assertTrue(lines.get(allocation).matches("allocation: recommend [0-9.]+ KB/call, ingest [0-9.]+ KB/call \\(calling threads\\)"),
                lines.get(allocation));
        JsonNode alloc = new ObjectMapper().readTree(json.toFile()).get("allocation");
        assertTrue(alloc.get("recommend_bytes_per_call").asDouble() > 0, alloc.toString());
        assertTrue(alloc.get("ingest_bytes_per_call").asDouble() > 0, alloc.toString());

        Path index = report.resolve("index.html");
        assertTrue(Files.isRegularFile(index));
        String html = Files.readString(index, StandardCharsets.UTF_8);
        assertTrue(html.contains(lines.get(ingest)) && html.contains(lines.get(allocation)), "summary lines in index.html");
        List<String> pngs = new ArrayList<>();
        Matcher m = IMG.matcher(html);
        while (m.find()) {
            pngs.add(m.group(1));
        }
        assertEquals(List.of("ingest-percentiles.png", "ingest-from-schedule-over-time.png", "ingest-service-time-over-time.png",
                "recommend-percentiles.png", "recommend-from-schedule-over-time.png", "recommend-service-time-over-time.png"), pngs);
        for (String png : pngs) {
            BufferedImage img = ImageIO.read(report.resolve(png).toFile());
            assertNotNull(img, png);
            assertTrue(img.getWidth() >= 600 && img.getHeight() >= 300, png + ": " + img.getWidth() + "x" + img.getHeight());
        }

        for (String phase : new String[] {"ingest", "recommend"}) {
            int calls = phase.equals("ingest") ? 600 : 300;
            for (String measure : new String[] {"from-schedule", "service-time"}) {
                String base = phase + "-" + measure;
                assertTrue(html.contains("href=\"" + base + ".hgrm\""), base);
                List<double[]> rows = hgrm(report.resolve(base + ".hgrm"));
                assertFalse(rows.isEmpty(), base);
                double[] last = rows.get(rows.size() - 1);
                assertEquals(calls, (long) last[2], base + ": total count");
                assertEquals(1.0, last[1], 1e-9, base + ": last percentile");
                for (int i = 1; i < rows.size(); i++) {
                    assertTrue(rows.get(i)[0] >= rows.get(i - 1)[0] && rows.get(i)[1] >= rows.get(i - 1)[1], base + " row " + i);
                }
                assertTrue(last[0] > 0, base + ": the largest latency is positive");
                // the interval log reads back and holds every call
                long count = 0;
                int intervals = 0;
                HistogramLogReader r = new HistogramLogReader(report.resolve(base + ".hlog").toFile());
                for (EncodableHistogram h; (h = r.nextIntervalHistogram()) != null; ) {
                    count += ((org.HdrHistogram.Histogram) h).getTotalCount();
                    intervals++;
                }
                r.close();
                assertEquals(calls, count, base + ".hlog");
                assertTrue(intervals >= 2, base + ".hlog intervals: " + intervals);
            }
        }
    }

    /** The value / percentile / total-count / 1/(1-p) rows of an HdrHistogram percentile distribution. */
    private static List<double[]> hgrm(Path file) throws Exception {
        List<String> text = Files.readAllLines(file);
        assertTrue(text.get(0).trim().startsWith("Value") && text.get(0).contains("Percentile"), file + ": " + text.get(0));
        assertTrue(text.stream().anyMatch(l -> l.startsWith("#[Mean")), file + ": footer");
        List<double[]> rows = new ArrayList<>();
        for (String l : text.subList(1, text.size())) {
            if (l.isBlank() || l.startsWith("#")) {
                continue;
            }
            Matcher m = HGRM_ROW.matcher(l);
            assertTrue(m.matches(), file + ": " + l);
            rows.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))});
        }
        return rows;
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static int run(StringWriter out, String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        if (rc != 0) {
            System.err.println(err);
        }
        return rc;
    }
}
