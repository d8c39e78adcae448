package org.persona4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The segment command on a small generated shop writes segments.csv and the report. */
class SegmentCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesSegmentsCsvAndReport() throws Exception {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        Path shop = dir.resolve("shop");
        assertEquals(0, cl.execute("generate", "--users", "150", "--items", "200", "--seed", "3", "--days", "14",
                "--personas", "4", "--quiet", "--out", shop.toString()), out.toString());
        Path seg = dir.resolve("seg");
        int rc = cl.execute("segment", "--input", shop.resolve("events.csv").toString(), "--format", "events-csv", "--k", "4",
                "--quiet", "--out", seg.toString());
        assertEquals(0, rc, out.toString());
        List<String> lines = Files.readAllLines(seg.resolve("segments.csv"));
        assertEquals("user_id,segment,value_group", lines.get(0));
        assertEquals(151, lines.size(), "one row per user");
        Set<String> segs = new HashSet<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            assertEquals(3, f.length, l);
            segs.add(f[1]);
        }
        assertEquals(4, segs.size(), segs.toString());
        for (String f : new String[] {"report.html", "sizes.png", "affinity.png", "pca.png", "rfm.png"}) {
            assertTrue(Files.size(seg.resolve(f)) > 0, f);
        }
        assertTrue(out.toString().contains("value groups (RFM)") && out.toString().contains("shoppers"), out.toString());
    }
}
