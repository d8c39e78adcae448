package org.persona4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.ModelFormatException;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.profile.artifact.ArtifactKey;
import picocli.CommandLine;

class TrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainsEvaluatesAndWritesTheArtifact() throws Exception {
        Path in = TinyS3Rec.write(dir, 4);
        Path out = dir.resolve("m.zip");
        Path json = dir.resolve("out.json");
        StringWriter err = new StringWriter();
        int rc = train(err, in, out, "--epochs", "2", "--threads", "1",
                "--seed", "3", "--eval-loo", "--quiet", "--json", json.toString(), "--report", dir.resolve("report").toString());
        assertEquals(0, rc, err.toString());
        String html = java.nio.file.Files.readString(dir.resolve("report/report.html"));
        assertTrue(html.contains("loss.png") && html.contains("validation.png") && html.contains("Epochs"), html);
        assertTrue(java.nio.file.Files.size(dir.resolve("report/loss.png")) > 1000, "a rendered PNG");
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals("fused", j.get("engine").asText());
        assertTrue(j.get("phase_seconds").get("head_forward").asDouble() > 0, j.get("phase_seconds").toString());
        assertEquals(20, j.get("test_metrics").get("users").asInt());
        assertTrue(j.get("test_metrics").has("ndcg@10"));
        assertEquals(2, j.get("epochs").size());
        try (DeepProfileModel m = DeepProfileModel.load(out)) {
            assertEquals(j.get("version").asText(), m.version());
        }
    }

    @Test
    void engineChoosesHowTheStepsRun() throws Exception {
        Path in = TinyS3Rec.write(dir, 4);
        Path json = dir.resolve("dl4j.json");
        StringWriter err = new StringWriter();
        int rc = train(err, in, dir.resolve("d.zip"), "--epochs", "1", "--threads", "1", "--quiet", "--engine", "dl4j",
                "--json", json.toString());
        assertEquals(0, rc, err.toString());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals("dl4j", j.get("engine").asText());
        assertEquals(0, j.get("phase_seconds").size(), "no fused phases on the DL4J path");
        StringWriter bad = new StringWriter();
        assertEquals(2, train(bad, in, dir.resolve("x.zip"), "--epochs", "1", "--engine", "torch"));
        assertTrue(bad.toString().contains("--engine: expected fused or dl4j, was 'torch'"), bad.toString());
    }

    @Test
    void searchTrialsRunTheSearchAndRecordItInTheArtifact() throws Exception {
        JsonNode j = trainWithSearch("searched", "--epochs", "1", "--search-trials", "2", "--search-epochs", "1");
        assertEquals(2, j.get("search").get("results").size());
        assertEquals(1, j.get("search").get("epochsPerTrial").asInt());
    }

    @Test
    void searchCandidatesRaceTheGivenConfigurationAgainstThem() throws Exception {
        JsonNode search = trainWithSearch("raced", "--epochs", "2", "--search-candidates", "next-items=2,mask-seen=true",
                "--search-epochs", "1").get("search");
        assertEquals(2, search.get("results").size(), "the configuration as given and the one candidate");
        assertEquals(1, search.get("candidates").size());
        assertEquals("2", search.get("candidates").get(0).get("next-items").asText());
        StringWriter both = new StringWriter();
        assertEquals(2, train(both, TinyS3Rec.write(dir, 4), dir.resolve("y.zip"), "--epochs", "1", "--search-candidates",
                "windows=2", "--search-trials", "2"));
        assertTrue(both.toString().contains("expected one of them, was both"), both.toString());
    }

    /**
     * Trains with a search on the tiny file and checks that the artifact records the report's choice
     * and is the configuration it names.
     *
     * @return the {@code --json} report
     */
    private JsonNode trainWithSearch(String name, String... searchArgs) throws Exception {
        Path in = TinyS3Rec.write(dir, 4);
        Path out = dir.resolve(name + ".zip");
        Path json = dir.resolve(name + ".json");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(searchArgs));
        args.addAll(java.util.List.of("--threads", "1", "--seed", "3", "--quiet", "--json", json.toString()));
        StringWriter err = new StringWriter();
        int rc = train(err, in, out, args.toArray(String[]::new));
        assertEquals(0, rc, err.toString());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        try (DeepProfileModel m = DeepProfileModel.load(out)) {
            JsonNode manifest = new ObjectMapper().readTree(m.manifestJson());
            assertEquals(j.get("search").get("chosen").asInt(), manifest.path("provenance").path("search").path("chosen").asInt());
            assertEquals(j.get("trained_config"), manifest.get("hyperParameters"));
        }
        return j;
    }

    @Test
    void signKeyFileSignsTheArtifact() throws Exception {
        Path in = TinyS3Rec.write(dir, 4);
        Path out = dir.resolve("signed.zip");
        Path keyFile = dir.resolve("model.key");
        java.nio.file.Files.writeString(keyFile, "a-host-secret-of-some-length\n");
        StringWriter err = new StringWriter();
        int rc = train(err, in, out, "--epochs", "1", "--threads", "1",
                "--seed", "3", "--quiet", "--sign-key-file", keyFile.toString());
        assertEquals(0, rc, err.toString());
        ArtifactKey key = ArtifactKey.fromFile(keyFile);
        try (DeepProfileModel m = DeepProfileModel.load(out, key)) {
            assertTrue(!m.version().isEmpty());
        }
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> DeepProfileModel.load(out, ArtifactKey.of("some-other-secret-key".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains("signed.zip"), e.getMessage());
    }

    /** Runs {@code train} on a tiny S3-Rec file with a tiny network, then the given flags. */
    private static int train(StringWriter err, Path in, Path out, String... flags) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--format", "s3rec", "--input",
                in.toString(), "--out", out.toString(), "--emb", "4", "--hidden", "6", "--proj", "4", "--max-len", "5",
                "--batch", "4"));
        args.addAll(java.util.List.of(flags));
        return cl.execute(args.toArray(new String[0]));
    }
}
