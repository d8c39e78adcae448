package org.persona4j.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.ModelFormatException;
import org.persona4j.core.SchemaMismatchException;
import org.persona4j.models.nn.LeanProfileNetwork;
import org.persona4j.models.nn.LeanWeights;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.profile.artifact.ArtifactContents;
import org.persona4j.models.profile.artifact.ModelArtifact;

/**
 * The format-2 artifact (manifest, encoder, {@code weights.bin}): round trip, and every kind of
 * damaged or crafted file refused with a {@link ModelFormatException} before the model is used.
 * Damage is done on the raw zip entries, read and rewritten with {@link java.util.zip}.
 */
class ModelArtifactTest {
    private static final String MANIFEST = "manifest.json";
    private static final String ENCODER = "encoder.json";
    private static final String WEIGHTS = "weights.bin";
    /** Byte offset in {@code weights.bin} of the item vocabulary size (after the header, flags, static size, input count). */
    private static final int ITEM_VOCAB_OFFSET = LeanWeights.HEADER.length() + 12;
    /** Byte offset in {@code weights.bin} of the first value of the item embedding table (after its vocabulary size and width). */
    private static final int FIRST_FLOAT_OFFSET = ITEM_VOCAB_OFFSET + 8;
    private static final ObjectMapper JSON = new ObjectMapper();

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
            assertEquals(List.of(ENCODER, WEIGHTS, MANIFEST), List.copyOf(entries(good).keySet()));
            assertTrue(java.util.Arrays.equals(TinyData.servingWeights(model), TinyData.servingWeights(back)));
        }
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.toString().endsWith(".tmp")));
        }
        Map<String, byte[]> e = entries(good);
        ObjectNode m = manifest(e);
        assertEquals(ModelArtifact.FORMAT_VERSION, m.path("formatVersion").asInt());
        assertEquals(model.version(), m.path(DeepProfileModel.MODEL_VERSION_KEY).asText());
        assertEquals(e.get(WEIGHTS).length, m.path("sizes").path(WEIGHTS).asLong());
        assertEquals(e.get(ENCODER).length, m.path("sizes").path(ENCODER).asLong());
        assertEquals(ModelArtifact.sha256(e.get(WEIGHTS)), m.path("sha256").path(WEIGHTS).asText());
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
        Map<String, byte[]> e = entries(good);
        byte[] original = e.get(WEIGHTS);
        // the low byte of a float (the first of the item table, the last item bias): still a valid,
        // finite network, only the checksum can tell
        for (int at : new int[] {FIRST_FLOAT_OFFSET + 3, original.length - 1}) {
            byte[] w = original.clone();
            w[at] ^= 0x5A;
            e.put(WEIGHTS, w);
            Path p = dir.resolve("corrupt" + at + ".zip");
            writeZip(p, e); // the old manifest: the recorded checksum no longer matches
            ModelFormatException ex = assertThrows(ModelFormatException.class, () -> DeepProfileModel.load(p));
            assertTrue(ex.getMessage().contains("corrupt") && ex.getMessage().contains(WEIGHTS), ex.getMessage());
        }
        Path notZip = dir.resolve("text.zip");
        Files.writeString(notZip, "hello");
        assertThrows(ModelFormatException.class, () -> DeepProfileModel.load(notZip));
    }

    @Test
    void tooNewFormatIsRefused() throws Exception {
        Map<String, byte[]> e = entries(good);
        ObjectNode m = manifest(e);
        m.put("formatVersion", ModelArtifact.FORMAT_VERSION + 1);
        e.put(MANIFEST, JSON.writeValueAsBytes(m));
        Path p = dir.resolve("new.zip");
        writeZip(p, e);
        ModelFormatException ex = assertThrows(ModelFormatException.class, () -> DeepProfileModel.load(p));
        assertTrue(ex.getMessage().contains("too new"), ex.getMessage());
    }

    @Test
    void entryOfAnotherSizeThanTheManifestSaysIsRefused() throws Exception {
        for (String name : new String[] {WEIGHTS, ENCODER}) {
            Map<String, byte[]> e = entries(good);
            ObjectNode m = manifest(e);
            long real = e.get(name).length;
            ((ObjectNode) m.get("sizes")).put(name, real + 4);
            e.put(MANIFEST, JSON.writeValueAsBytes(m));
            Path p = dir.resolve("size-" + name + ".zip");
            writeZip(p, e);
            ModelFormatException ex = assertThrows(ModelFormatException.class, () -> DeepProfileModel.load(p));
            assertTrue(ex.getMessage().contains("'" + name + "' is " + real + " bytes, the manifest says " + (real + 4)),
                    ex.getMessage());
        }
    }

    @Test
    void hugeDeclaredCountIsAFormatErrorNotAnOutOfMemoryError() throws Exception {
        byte[] w = entries(good).get(WEIGHTS);
        // the item vocabulary: 100 million rows of the item embedding (gigabytes) in an entry of a few kilobytes
        byte[] vocab = w.clone();
        ByteBuffer.wrap(vocab).putInt(ITEM_VOCAB_OFFSET, 100_000_000);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> load(withWeights("huge-vocab.zip", vocab)));
        assertTrue(e.getMessage().contains("embedding 0 table") && e.getMessage().contains("remain"), e.getMessage());
        // a count past what an array can hold (100 million rows of 100 values)
        byte[] wide = vocab.clone();
        ByteBuffer.wrap(wide).putInt(ITEM_VOCAB_OFFSET + 4, 100);
        e = assertThrows(ModelFormatException.class, () -> load(withWeights("huge-table.zip", wide)));
        assertTrue(e.getMessage().contains("embedding 0 table"), e.getMessage());
        // the item scorer at the end: item count, projection size, rows, biases
        LeanProfileNetwork n = model.network();
        int itemCountAt = w.length - 8 - 4 * (n.itemCount() * n.projectionSize() + n.itemCount());
        assertEquals(n.itemCount(), ByteBuffer.wrap(w).getInt(itemCountAt), "the layout the test assumes");
        byte[] items = w.clone();
        ByteBuffer.wrap(items).putInt(itemCountAt, 100_000_000);
        e = assertThrows(ModelFormatException.class, () -> load(withWeights("huge-items.zip", items)));
        assertTrue(e.getMessage().contains("item output weights"), e.getMessage());
    }

    @Test
    void nonFiniteWeightsAreRefused() throws Exception {
        byte[] w = entries(good).get(WEIGHTS);
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int k = 0; k < bad.length; k++) {
            byte[] first = w.clone();
            ByteBuffer.wrap(first).putFloat(FIRST_FLOAT_OFFSET, bad[k]);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> load(withWeights("nan-first.zip", first)));
            assertTrue(e.getMessage().contains("non-finite") && e.getMessage().contains("embedding 0 table"), e.getMessage());
            byte[] last = w.clone();
            ByteBuffer.wrap(last).putFloat(w.length - 4, bad[k]);
            e = assertThrows(ModelFormatException.class, () -> load(withWeights("nan-last.zip", last)));
            assertTrue(e.getMessage().contains("non-finite") && e.getMessage().contains("item bias"), e.getMessage());
        }
        // the same bytes with the finite value back load (the checksum and size were rewritten the same way)
        try (DeepProfileModel back = load(withWeights("fine.zip", w.clone()))) {
            assertEquals(model.version(), back.version());
        }
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
            z.putNextEntry(new ZipEntry(MANIFEST));
            z.write(("{\"format\":\"" + ModelArtifact.FORMAT + "\",\"formatVersion\":" + ModelArtifact.FORMAT_VERSION + "}")
                    .getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> DeepProfileModel.load(p));
        assertTrue(e.getMessage().contains(ENCODER), e.getMessage());
        Map<String, byte[]> noWeights = entries(good);
        noWeights.remove(WEIGHTS);
        Path q = dir.resolve("no-weights.zip");
        writeZip(q, noWeights);
        e = assertThrows(ModelFormatException.class, () -> DeepProfileModel.load(q));
        assertTrue(e.getMessage().contains(WEIGHTS), e.getMessage());
    }

    private static DeepProfileModel load(Path p) throws Exception {
        return DeepProfileModel.load(p);
    }

    /** The good artifact with other weights, its manifest's checksum and size of them rewritten to match. */
    private static Path withWeights(String name, byte[] weights) throws Exception {
        Map<String, byte[]> e = entries(good);
        ObjectNode m = manifest(e);
        ((ObjectNode) m.get("sha256")).put(WEIGHTS, ModelArtifact.sha256(weights));
        ((ObjectNode) m.get("sizes")).put(WEIGHTS, weights.length);
        e.put(WEIGHTS, weights);
        e.put(MANIFEST, JSON.writeValueAsBytes(m));
        Path p = dir.resolve(name);
        writeZip(p, e);
        return p;
    }

    /** The raw entries of a zip, in order. */
    static Map<String, byte[]> entries(Path zip) throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> en = z.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                try (InputStream in = z.getInputStream(e)) {
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return out;
    }

    private static ObjectNode manifest(Map<String, byte[]> entries) throws Exception {
        return (ObjectNode) JSON.readTree(entries.get(MANIFEST));
    }

    static void writeZip(Path p, Map<String, byte[]> entries) throws Exception {
        try (OutputStream os = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
    }
}
