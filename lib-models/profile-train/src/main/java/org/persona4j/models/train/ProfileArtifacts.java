package org.persona4j.models.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.persona4j.core.ModelFormatException;
import org.persona4j.features.sequence.SequenceEncoder;
import org.persona4j.features.sequence.SequenceEncoderJson;
import org.persona4j.models.nn.LeanProfileNetwork;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.profile.UserFeatureSource;
import org.persona4j.models.profile.artifact.LegacyContents;
import org.persona4j.models.profile.artifact.ModelArtifact;

/**
 * The bridge from a trained DL4J network to the serving model and artifact, and the one-time
 * upgrade of format-1 artifacts (whose weights were a DL4J network) to the current format.
 */
public final class ProfileArtifacts {
    private ProfileArtifacts() {
    }

    /**
     * The serving model of a trained network. The model version is the content hash used since
     * format 1 (parameters and encoder), so states stored under a format-1 model stay valid.
     */
    static DeepProfileModel serving(SequenceEncoder encoder, ComputationGraph graph, ObjectNode manifest,
                                    UserFeatureSource features) {
        int staticSize = manifest.path("staticFeatures").path("dimension").asInt(0);
        return serving(encoder, graph, ProfileNetworks.extract(graph, staticSize), manifest, null, features);
    }

    /**
     * The serving model of a trained network with its extracted lean network and the calibration of
     * its propensity heads. The model version hashes the parameters and the encoder, and the
     * calibration when there is one (it changes what is served).
     */
    static DeepProfileModel serving(SequenceEncoder encoder, ComputationGraph graph, LeanProfileNetwork lean, ObjectNode manifest,
                                    ObjectNode calibration, UserFeatureSource features) {
        ObjectNode m = manifest.deepCopy();
        String v = version(graph, encoder);
        if (calibration != null) {
            m.set(DeepProfileModel.CALIBRATION_KEY, calibration);
            v = ModelArtifact.sha256((v + calibration).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        }
        m.put(DeepProfileModel.MODEL_VERSION_KEY, v);
        return DeepProfileModel.create(encoder, lean, m.toString(), features);
    }

    /**
     * The first 16 hex digits of the SHA-256 of the parameters (float32, big-endian) and the encoder
     * JSON, hashed a piece at a time (a million-item model's parameters are not copied whole).
     */
    static String version(ComputationGraph graph, SequenceEncoder encoder) {
        return version(graph, encoder, FusedSteps.PIECE);
    }

    /** {@link #version(ComputationGraph, SequenceEncoder)} hashing {@code piece} parameters at a time (tests use small pieces). */
    static String version(ComputationGraph graph, SequenceEncoder encoder, int piece) {
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
        org.nd4j.linalg.api.ndarray.INDArray p = graph.params();
        long n = p.length();
        org.nd4j.linalg.api.ndarray.INDArray flat = p.reshape(n);
        ByteBuffer bb = ByteBuffer.allocate(piece * 4);
        for (long o = 0; o < n; o += piece) {
            float[] f = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(o, Math.min(n, o + piece))).toFloatVector();
            bb.clear();
            bb.asFloatBuffer().put(f);
            md.update(bb.array(), 0, f.length * 4);
        }
        md.update(SequenceEncoderJson.toJson(encoder).getBytes(StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }

    /**
     * Converts a format-1 artifact (DL4J weights) into the current format, read by
     * {@link DeepProfileModel#load} without DL4J. The DL4J archive is read without Java
     * deserialization. The model version is kept.
     *
     * @param legacy the format-1 artifact
     * @param target the new artifact (written atomically)
     * @throws IOException when reading or writing fails
     * @throws ModelFormatException when the input is not a readable format-1 artifact
     */
    public static void upgrade(Path legacy, Path target) throws IOException {
        LegacyContents c = ModelArtifact.readLegacy(legacy);
        SequenceEncoder enc;
        try {
            enc = SequenceEncoderJson.fromJson(c.encoderJson());
        } catch (ModelFormatException e) {
            throw new ModelFormatException(legacy + ": " + e.getMessage(), e);
        }
        ComputationGraph g = Dl4jArchives.read(c.dl4jWeights(), false, legacy + "!weights.dl4j");
        try {
            ObjectNode m = c.manifest().deepCopy();
            m.remove("sha256");
            m.remove("formatVersion");
            m.put("upgradedFrom", ModelArtifact.LEGACY_FORMAT_VERSION);
            int staticSize = m.path("staticFeatures").path("dimension").asInt(0);
            LeanProfileNetwork lean;
            try {
                lean = ProfileNetworks.extract(g, staticSize);
            } catch (RuntimeException e) {
                throw new ModelFormatException(legacy + ": the network does not have the profile model's layout: " + e.getMessage(), e);
            }
            m.put(DeepProfileModel.MODEL_VERSION_KEY, version(g, enc));
            ModelArtifact.write(target, new org.persona4j.models.profile.artifact.ArtifactContents(m, c.encoderJson(), lean));
        } finally {
            g.close();
        }
    }
}
