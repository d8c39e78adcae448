package org.persona4j.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.ModelFormatException;
import org.persona4j.models.nn.LeanWeights;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.profile.artifact.ArtifactKey;
import org.persona4j.models.profile.artifact.ModelArtifact;

/**
 * HMAC-SHA256 signed artifacts ({@link ArtifactKey}): a signed artifact loads with its key; altered
 * weights with recomputed checksums, another key, a removed signature, or an unsigned artifact are
 * refused when a key is required, with the file named; without a key, unsigned artifacts still load.
 */
class SignedArtifactTest {
    private static final String MANIFEST = "manifest.json";
    private static final String WEIGHTS = "weights.bin";
    /** The first value of the item embedding table in {@code weights.bin}. */
    private static final int FIRST_FLOAT_OFFSET = LeanWeights.HEADER.length() + 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ArtifactKey KEY = ArtifactKey.of("0123456789abcdef-host-secret".getBytes(StandardCharsets.UTF_8));
    private static final ArtifactKey OTHER = ArtifactKey.of("another-secret-of-32-bytes-long!".getBytes(StandardCharsets.UTF_8));

    private static DeepProfileModel model;
    @TempDir
    static Path dir;
    private static Path signed;
    private static Path unsigned;

    @BeforeAll
    static void train() throws Exception {
        TinyData d = new TinyData(7, 30, 12);
        model = new ProfileTrainer(TinyData.smallConfig().epochs(1).validation(ValidationSplit.NONE).build()).fit(d.events, d.catalog);
        signed = dir.resolve("signed.zip");
        unsigned = dir.resolve("unsigned.zip");
        model.save(signed, KEY);
        model.save(unsigned);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void signedArtifactLoadsWithItsKeyAndWithoutOne() throws Exception {
        ObjectNode m = (ObjectNode) JSON.readTree(ModelArtifactTest.entries(signed).get(MANIFEST));
        assertEquals(ArtifactKey.ALGORITHM, m.path(ModelArtifact.SIGNATURE).path("algorithm").asText());
        assertEquals(64, m.path(ModelArtifact.SIGNATURE).path("value").asText().length());
        try (DeepProfileModel a = DeepProfileModel.load(signed, KEY);
             DeepProfileModel b = DeepProfileModel.load(signed, model.featureSchemaHash(), null, KEY);
             DeepProfileModel c = DeepProfileModel.load(signed)) {
            assertEquals(model.version(), a.version());
            assertEquals(model.version(), b.version());
            assertEquals(model.version(), c.version());
            // re-saving a loaded model signs afresh (the old signature is not carried over)
            Path again = dir.resolve("again.zip");
            a.save(again, OTHER);
            try (DeepProfileModel d = DeepProfileModel.load(again, OTHER)) {
                assertEquals(model.version(), d.version());
            }
            Path plain = dir.resolve("plain-again.zip");
            a.save(plain);
            assertFalse(JSON.readTree(ModelArtifactTest.entries(plain).get(MANIFEST)).has(ModelArtifact.SIGNATURE));
        }
        // the same model signed twice gives the same bytes (canonical, deterministic)
        Path twice = dir.resolve("twice.zip");
        model.save(twice, KEY);
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(signed), Files.readAllBytes(twice)));
    }

    @Test
    void alteredWeightsWithRecomputedChecksumsAreRefused() throws Exception {
        Map<String, byte[]> e = ModelArtifactTest.entries(signed);
        byte[] w = e.get(WEIGHTS).clone();
        ByteBuffer.wrap(w).putFloat(FIRST_FLOAT_OFFSET, 1e30f);
        ObjectNode m = (ObjectNode) JSON.readTree(e.get(MANIFEST));
        ((ObjectNode) m.get("sha256")).put(WEIGHTS, ModelArtifact.sha256(w));
        ((ObjectNode) m.get("sizes")).put(WEIGHTS, w.length);
        e.put(WEIGHTS, w);
        e.put(MANIFEST, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
        Path p = dir.resolve("tampered.zip");
        ModelArtifactTest.writeZip(p, e);
        // without a key the checksums are all a reader has: the tampered weights load
        try (DeepProfileModel silently = DeepProfileModel.load(p)) {
            assertEquals(model.version(), silently.version());
        }
        ModelFormatException ex = assertThrows(ModelFormatException.class, () -> DeepProfileModel.load(p, KEY));
        assertTrue(ex.getMessage().contains("tampered.zip") && ex.getMessage().contains("signature does not match"), ex.getMessage());

        // a manifest-only change (the model version) is refused too
        Map<String, byte[]> e2 = ModelArtifactTest.entries(signed);
        ObjectNode m2 = (ObjectNode) JSON.readTree(e2.get(MANIFEST));
        m2.put(DeepProfileModel.MODEL_VERSION_KEY, "0000000000000000");
        e2.put(MANIFEST, JSON.writeValueAsBytes(m2));
        Path p2 = dir.resolve("renamed.zip");
        ModelArtifactTest.writeZip(p2, e2);
        ex = assertThrows(ModelFormatException.class, () -> DeepProfileModel.load(p2, KEY));
        assertTrue(ex.getMessage().contains("renamed.zip") && ex.getMessage().contains("signature does not match"), ex.getMessage());

        // the manifest reformatted (compact, keys reordered) but unchanged in content still verifies
        Map<String, byte[]> e3 = ModelArtifactTest.entries(signed);
        e3.put(MANIFEST, ModelArtifact.canonicalManifest(JSON.readTree(e3.get(MANIFEST))));
        ObjectNode withSig = (ObjectNode) JSON.readTree(e3.get(MANIFEST));
        withSig.set(ModelArtifact.SIGNATURE, JSON.readTree(ModelArtifactTest.entries(signed).get(MANIFEST)).get(ModelArtifact.SIGNATURE));
        e3.put(MANIFEST, JSON.writeValueAsBytes(withSig));
        Path p3 = dir.resolve("reformatted.zip");
        ModelArtifactTest.writeZip(p3, e3);
        try (DeepProfileModel back = DeepProfileModel.load(p3, KEY)) {
            assertEquals(model.version(), back.version());
        }
    }

    @Test
    void wrongKeyIsRefused() {
        ModelFormatException ex = assertThrows(ModelFormatException.class, () -> DeepProfileModel.load(signed, OTHER));
        assertTrue(ex.getMessage().contains("signed.zip") && ex.getMessage().contains("another key"), ex.getMessage());
    }

    @Test
    void unsignedIsRefusedWhenAKeyIsRequiredAndLoadsOtherwise() throws Exception {
        ModelFormatException ex = assertThrows(ModelFormatException.class, () -> DeepProfileModel.load(unsigned, KEY));
        assertTrue(ex.getMessage().contains("unsigned.zip") && ex.getMessage().contains("not signed"), ex.getMessage());
        ex = assertThrows(ModelFormatException.class, () -> DeepProfileModel.load(unsigned, model.featureSchemaHash(), null, KEY));
        assertTrue(ex.getMessage().contains("not signed"), ex.getMessage());
        try (DeepProfileModel back = DeepProfileModel.load(unsigned)) {
            assertEquals(model.version(), back.version());
        }
        // a signed artifact with its signature stripped is just unsigned
        Map<String, byte[]> e = ModelArtifactTest.entries(signed);
        ObjectNode m = (ObjectNode) JSON.readTree(e.get(MANIFEST));
        m.remove(ModelArtifact.SIGNATURE);
        e.put(MANIFEST, JSON.writeValueAsBytes(m));
        Path p = dir.resolve("stripped.zip");
        ModelArtifactTest.writeZip(p, e);
        ex = assertThrows(ModelFormatException.class, () -> DeepProfileModel.load(p, KEY));
        assertTrue(ex.getMessage().contains("stripped.zip") && ex.getMessage().contains("not signed"), ex.getMessage());
        // another algorithm named
        m.putObject(ModelArtifact.SIGNATURE).put("algorithm", "none").put("value", "");
        e.put(MANIFEST, JSON.writeValueAsBytes(m));
        Path p2 = dir.resolve("alg-none.zip");
        ModelArtifactTest.writeZip(p2, e);
        ex = assertThrows(ModelFormatException.class, () -> DeepProfileModel.load(p2, KEY));
        assertTrue(ex.getMessage().contains("'none'") && ex.getMessage().contains(ArtifactKey.ALGORITHM), ex.getMessage());
    }

    @Test
    void evaluationOptionsModelAndSignKeyFile() throws Exception {
        Path keyFile = dir.resolve("eval.key");
        Files.writeString(keyFile, "0123456789abcdef-host-secret\n");
        TinyData d = new TinyData(7, 30, 12);
        org.persona4j.eval.EvalSplit split = org.persona4j.eval.Protocols.leaveOneOut(d.events);
        org.persona4j.eval.FitContext ok = new org.persona4j.eval.FitContext(split, d.catalog,
                Map.of("model", signed.toString(), "sign-key-file", keyFile.toString()), 3, 1, null);
        try (DeepProfileModel m = LstmRecommenderFactory.model(ok)) {
            assertEquals(model.version(), m.version());
        }
        org.persona4j.eval.FitContext bad = new org.persona4j.eval.FitContext(split, d.catalog,
                Map.of("model", unsigned.toString(), "sign-key-file", keyFile.toString()), 3, 1, null);
        ModelFormatException ex = assertThrows(ModelFormatException.class, () -> LstmRecommenderFactory.model(bad));
        assertTrue(ex.getMessage().contains("unsigned.zip") && ex.getMessage().contains("not signed"), ex.getMessage());
        org.persona4j.eval.FitContext keyOnly = new org.persona4j.eval.FitContext(split, d.catalog,
                Map.of("sign-key-file", keyFile.toString()), 3, 1, null);
        org.persona4j.core.BadInputException e = assertThrows(org.persona4j.core.BadInputException.class,
                () -> LstmRecommenderFactory.model(keyOnly));
        assertTrue(e.getMessage().contains("'model'"), e.getMessage());
    }

    @Test
    void keyNeverPrintsItsSecretAndRefusesShortOnes() throws Exception {
        assertFalse(KEY.toString().contains("host-secret"), KEY.toString());
        assertTrue(KEY.toString().contains("bytes"), KEY.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArtifactKey.of(new byte[4]));
        assertTrue(e.getMessage().contains("at least " + ArtifactKey.MIN_BYTES), e.getMessage());
        Path f = dir.resolve("key.txt");
        Files.writeString(f, "0123456789abcdef-host-secret\n");
        ArtifactKey fromFile = ArtifactKey.fromFile(f);
        try (DeepProfileModel back = DeepProfileModel.load(signed, fromFile)) {
            assertEquals(model.version(), back.version());
        }
        Files.writeString(f, "short\n");
        e = assertThrows(IllegalArgumentException.class, () -> ArtifactKey.fromFile(f));
        assertTrue(e.getMessage().contains("key.txt"), e.getMessage());
    }
}
