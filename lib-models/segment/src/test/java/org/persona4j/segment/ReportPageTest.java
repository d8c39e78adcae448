package org.persona4j.segment;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportPageTest {
    @TempDir
    Path dir;

    @Test
    void writesChartsTablesAndEscapedText() throws Exception {
        Path html = ReportPage.titled("Run <1>").note("a & b")
                .lineChart("loss", "Loss", "epoch", "loss", new double[] {1, 2, 3}, Map.of("loss", new double[] {3, 2, Double.NaN}))
                .barChart("cov", "Coverage", "recommender", "coverage", List.of("pop", "itemknn"), Map.of("coverage@20", new double[] {0.1, 0.9}))
                .table("Rows", List.of("name", "value"), List.of(List.of("<script>", "1")))
                .write(dir);
        String s = Files.readString(html);
        assertTrue(s.contains("<h1>Run &lt;1&gt;</h1>") && s.contains("a &amp; b") && s.contains("&lt;script&gt;"), s);
        assertTrue(Files.size(dir.resolve("loss.png")) > 1000 && Files.size(dir.resolve("cov.png")) > 1000);
    }

    @Test
    void badChartsAreRefusedWithTheirName() {
        ReportPage p = ReportPage.titled("x");
        assertThrows(IllegalArgumentException.class, () -> p.lineChart("../evil", "h", "x", "y", new double[] {1}, Map.of("s", new double[] {1})));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.lineChart("ok", "h", "x", "y", new double[] {1, 2}, Map.of("s", new double[] {1})));
        assertTrue(e.getMessage().contains("ok") && e.getMessage().contains("series s"), e.getMessage());
        p.lineChart("same", "h", "x", "y", new double[] {1}, Map.of("s", new double[] {1}));
        p.lineChart("same", "h", "x", "y", new double[] {1}, Map.of("s", new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> p.write(dir));
    }
}
