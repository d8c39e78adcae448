package org.persona4j.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.ModelFormatException;
import org.persona4j.core.SchemaMismatchException;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.profile.artifact.ArtifactContents;
import org.persona4j.models.profile.artifact.ModelArtifact;

class ModelArtifactTest {
    private static DeepProfileModel model;
    @TempDir
    static Path dir;
    private static Path good;

    @BeforeAll
    static void train() throws Exception {
        TinyData d = new TinyData(99, 30, 12);
        model = new ProfileTrainer(TinyData.smallConfig().epochs(1).validation(ValidationSplit.NONE).build()).fit(d.events, d.catalog);
        good = dir.resolve("good.zip");
        model.save(good);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void roundTripAndNoTemporaryFilesLeft() throws Exception {
        try (DeepProfileModel back = DeepProfileModel.load(good, model.featureSchemaHash(), null)) {
            assertEquals(model.version(), back.version());
        }
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.toString().endsWith(".tmp")));
        }
    }

    @Test
    void truncatedFileIsRefused() throws Exception {
        byte[] b = Files.readAllBytes(good);
        Path t = dir.resolve("truncated.zip");
        Files.write(t, java.util.Arrays.copyOf(b, b.length / 2));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> DeepProfileModel.load(t));
        assertTrue(e.getMessage().contains("truncated.zip"), e.getMessage());
    }

    @Test
    void corruptWeightsAreRefused() throws Exception {
        ArtifactContents c = ModelArtifact.read(good);
        byte[] w = c.weights().clone();
        w[w.length / 2] ^= 0x5A;
        Path p = dir.resolve("corrupt.zip");
        writeRaw(p, c.manifest().toString(), c.encoderJson(), w);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> DeepProfileModel.load(p));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        Path notZip = dir.resolve("text.zip");
        Files.writeString(notZip, "hello");
        assertThrows(ModelFormatException.class, () -> DeepProfileModel.load(notZip));
    }

    @Test
    void tooNewFormatIsRefused() throws Exception {
        ArtifactContents c = ModelArtifact.read(good);
        c.manifest().put("formatVersion", ModelArtifact.FORMAT_VERSION + 1);
        Path p = dir.resolve("new.zip");
        writeRaw(p, c.manifest().toString(), c.encoderJson(), c.weights());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> DeepProfileModel.load(p));
        assertTrue(e.getMessage().contains("too new"), e.getMessage());
    }

    @Test
    void schemaMismatchIsRefused() throws Exception {
        SchemaMismatchException e = assertThrows(SchemaMismatchException.class,
                () -> DeepProfileModel.load(good, "0000", null));
        assertEquals("0000", e.expected());
        ArtifactContents c = ModelArtifact.read(good);
        c.manifest().put("featureSchemaHash", "abc");
        Path p = dir.resolve("mismatch.zip");
        ModelArtifact.write(p, c);
        assertThrows(SchemaMismatchException.class, () -> DeepProfileModel.load(p));
    }

    @Test
    void missingEntryIsRefused() throws Exception {
        Path p = dir.resolve("missing.zip");
        try (OutputStream os = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry("manifest.json"));
            z.write(("{\"format\":\"" + ModelArtifact.FORMAT + "\",\"formatVersion\":1}").getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> DeepProfileModel.load(p));
        assertTrue(e.getMessage().contains("encoder.json"), e.getMessage());
    }

    private static void writeRaw(Path p, String manifest, String encoder, byte[] weights) throws Exception {
        try (OutputStream os = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry("manifest.json"));
            z.write(manifest.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
            z.putNextEntry(new ZipEntry("encoder.json"));
            z.write(encoder.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
            z.putNextEntry(new ZipEntry("weights.dl4j"));
            z.write(weights);
            z.closeEntry();
        }
    }
}
