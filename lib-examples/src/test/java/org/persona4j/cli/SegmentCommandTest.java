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
import org.persona4j.models.profile.DeepProfileModel;
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

    @Test
    void clustersModelEmbeddingsWithModelOption() throws Exception {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        Path shop = dir.resolve("shop");
        assertEquals(0, cl.execute("generate", "--users", "60", "--items", "80", "--seed", "4", "--days", "7",
                "--personas", "3", "--quiet", "--out", shop.toString()), out.toString());
        org.persona4j.io.Dataset ds = org.persona4j.io.Datasets.load(org.persona4j.io.DataFormat.EVENTS_CSV,
                shop.resolve("events.csv"));
        Path model = dir.resolve("model.zip");
        org.persona4j.models.train.ProfileModelConfig cfg = org.persona4j.models.train.ProfileModelConfig.builder()
                .itemEmbedding(8).typeEmbedding(3).categoryEmbedding(4).gapEmbedding(3).hidden(8).projection(6).maxLen(10)
                .batchSize(16).epochs(1).dropout(0).learningRate(0.01).validationUsers(0)
                .validation(org.persona4j.models.train.ValidationSplit.NONE).seed(7).build();
        try (org.persona4j.models.profile.DeepProfileModel m = new org.persona4j.models.train.ProfileTrainer(cfg)
                .fit(ds.events(), ds.catalog())) {
            m.save(model);
        }
        Path seg = dir.resolve("seg");
        int rc = cl.execute("segment", "--input", shop.resolve("events.csv").toString(), "--model", model.toString(),
                "--k", "3", "--quiet", "--out", seg.toString());
        assertEquals(0, rc, out + "\n" + err);
        assertTrue(out.toString().contains("vectors: long-term user embeddings (mean over each history) of model"),
                out.toString());
        assertEquals(61, Files.readAllLines(seg.resolve("segments.csv")).size());
        assertTrue(Files.readString(seg.resolve("report.html")).contains("user embeddings"));

        out.getBuffer().setLength(0);
        Path seg2 = dir.resolve("seg-last");
        rc = cl.execute("segment", "--input", shop.resolve("events.csv").toString(), "--model", model.toString(),
                "--embedding", "last-state", "--k", "3", "--quiet", "--out", seg2.toString());
        assertEquals(0, rc, out + "\n" + err);
        assertTrue(out.toString().contains("vectors: last-state user embeddings of model"), out.toString());
        assertEquals(61, Files.readAllLines(seg2.resolve("segments.csv")).size());

        err.getBuffer().setLength(0);
        rc = cl.execute("segment", "--input", shop.resolve("events.csv").toString(), "--model", model.toString(),
                "--embedding", "newest", "--quiet", "--out", seg2.toString());
        assertEquals(2, rc, out + "\n" + err);
        assertTrue(err.toString().contains("expected long-term or last-state, was 'newest'"), err.toString());
        rc = cl.execute("segment", "--input", shop.resolve("events.csv").toString(), "--embedding", "last-state",
                "--quiet", "--out", seg2.toString());
        assertEquals(2, rc, out + "\n" + err);
        assertTrue(err.toString().contains("needs --model"), err.toString());
    }
}
