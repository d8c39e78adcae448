package org.persona4j.models.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BadInputException;

class SequenceBenchTest {
    static final long SEED = 7L;

    @TempDir
    Path dir;

    /** Writes a synthetic s3rec file and returns the expected torch-script position count. */
    static long writeFile(Path file, int maxLen) throws IOException {
        Random rng = new Random(SEED);
        List<String> lines = new ArrayList<>();
        long positions = 0;
        for (int u = 1; u <= 40; u++) {
            int len = 2 + rng.nextInt(14);
            StringBuilder sb = new StringBuilder().append(u);
            for (int i = 0; i < len; i++) {
                sb.append(' ').append(1 + (u * 3 + i * 7 + rng.nextInt(3)) % 30);
            }
            lines.add(sb.toString());
            // torch: tr = s[:-2][-(L+1):]; if len(tr) >= 2: positions += len(tr) - 1
            int tr = Math.min(Math.max(len - 2, 0), maxLen + 1);
            if (tr >= 2) {
                positions += tr - 1;
            }
        }
        lines.add("41"); // a user without items: skipped and counted
        Files.write(file, lines);
        return positions;
    }

    static BenchConfig tiny(int bucket) {
        return new BenchConfig(8, 8, 5, 8, 1, 0.01, SEED, bucket, 200);
    }

    @Test
    void reportsFieldsCountsAndMetricsInRange() throws IOException {
        System.out.println("SequenceBenchTest seed " + SEED);
        Path f = dir.resolve("tiny.txt");
        long expected = writeFile(f, 5);
        SequenceFile data = SequenceFile.read(f);
        assertEquals(40, data.sequences().size());
        assertEquals(1, data.skippedLines());
        BenchReport r = new SequenceBench(tiny(0), s -> { }).run(data);
        Map<String, Object> m = r.fields();
        assertEquals(expected, r.trainPositions());
        for (String k : List.of("train_seconds", "train_positions_per_second", "backend", "update_latency_ms",
                "lean_embedding_throughput", "lean_model_build_ms")) {
            assertTrue(m.containsKey(k), k);
        }
        for (String k : List.of("hr@10", "ndcg@10", "hr@20", "ndcg@20", "mrr@20")) {
            double v = r.metrics().get(k);
            assertTrue(v >= 0 && v <= 1, k + "=" + v);
        }
        assertTrue(r.metrics().get("hr@20") >= r.metrics().get("hr@10"));
        assertEquals(40, ((Number) m.get("test_users")).intValue());
        @SuppressWarnings("unchecked")
        Map<String, Object> lat = (Map<String, Object>) m.get("update_latency_ms");
        assertTrue(((Number) lat.get("p99")).doubleValue() >= ((Number) lat.get("p50")).doubleValue());
        assertTrue(((Number) m.get("lean_vs_dl4j_max_abs_diff")).doubleValue() < 1e-4);
    }

    @Test
    void bucketingKeepsEveryPositionOnce() throws IOException {
        Path f = dir.resolve("tiny.txt");
        long expected = writeFile(f, 5);
        BenchReport r = new SequenceBench(tiny(2), s -> { }).run(SequenceFile.read(f), false);
        assertEquals(expected, r.trainPositions());
        assertTrue(((Number) r.fields().get("padded_positions")).longValue() >= expected);
    }

    @Test
    void sameSeedSameResult() throws IOException {
        Path f = dir.resolve("tiny.txt");
        writeFile(f, 5);
        SequenceFile data = SequenceFile.read(f);
        BenchReport a = new SequenceBench(tiny(0), s -> { }).run(data);
        BenchReport b = new SequenceBench(tiny(0), s -> { }).run(data);
        assertEquals(a.fields().get("last_batch_loss"), b.fields().get("last_batch_loss"));
        assertEquals(a.metrics(), b.metrics());
    }

    @Test
    void fusedAndDl4jEnginesTrainTheSameModel() throws IOException {
        Path f = dir.resolve("tiny.txt");
        long expected = writeFile(f, 5);
        SequenceFile data = SequenceFile.read(f);
        BenchReport fused = new SequenceBench(tiny(2), s -> { }).run(data, false);
        BenchReport dl4j = new SequenceBench(tiny(2).withEngine(BenchEngine.DL4J), s -> { }).run(data, false);
        assertEquals("fused", fused.fields().get("engine"));
        assertEquals("dl4j", dl4j.fields().get("engine"));
        assertEquals(expected, fused.trainPositions());
        assertEquals(expected, ((Number) fused.fields().get("computed_positions")).longValue());
        assertEquals(dl4j.fields().get("padded_positions"), fused.fields().get("padded_positions"));
        // same initialisation, same batches, same maths: the last batch's score agrees to float noise
        double a = ((Number) fused.fields().get("last_batch_loss")).doubleValue();
        double b = ((Number) dl4j.fields().get("last_batch_loss")).doubleValue();
        assertEquals(b, a, 1e-3 * Math.abs(b), "last batch loss");
    }

    @Test
    void engineParses() {
        assertEquals(BenchEngine.FUSED, BenchEngine.parse(" Fused"));
        assertEquals(BenchEngine.DL4J, BenchEngine.parse("dl4j"));
        assertThrows(IllegalArgumentException.class, () -> BenchEngine.parse("torch"));
    }

    @Test
    void badItemIdNamesFileLineAndField() throws IOException {
        Path f = dir.resolve("bad.txt");
        Files.write(f, List.of("1 2 3", "2 4 x5"));
        BadInputException e = assertThrows(BadInputException.class, () -> SequenceFile.read(f));
        assertTrue(e.getMessage().contains("bad.txt") && e.getMessage().contains("2"), e.getMessage());
    }

    @Test
    void configNamesBadField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BenchConfig(0, 8, 5, 8, 1, 0.01, 1, 0, 0));
        assertTrue(e.getMessage().contains("emb"), e.getMessage());
    }
}
