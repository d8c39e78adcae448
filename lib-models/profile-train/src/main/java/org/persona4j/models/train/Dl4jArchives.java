package org.persona4j.models.train;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.persona4j.core.ModelFormatException;

/**
 * Reads DL4J network archives (what {@link ModelSerializer#writeModel} writes: checkpoints and the
 * weights of format-1 artifacts) without Java deserialization: only the JSON configuration, the
 * coefficients and, when asked, the updater state are read; every other entry (such as the Java-serialized
 * {@code preprocessor.bin} or {@code normalizer.bin}) is ignored, never deserialized.
 */
final class Dl4jArchives {
    private Dl4jArchives() {
    }

    static ComputationGraph read(Path file, boolean loadUpdater) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, loadUpdater, file.toString());
        }
    }

    static ComputationGraph read(byte[] zip, boolean loadUpdater, String where) throws IOException {
        return read(new ByteArrayInputStream(zip), loadUpdater, where);
    }

    private static ComputationGraph read(InputStream raw, boolean loadUpdater, String where) throws IOException {
        String conf = null;
        INDArray params = null;
        INDArray updater = null;
        try (ZipInputStream zip = new ZipInputStream(raw)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                switch (e.getName()) {
                    case ModelSerializer.CONFIGURATION_JSON:
                        conf = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                        break;
                    case ModelSerializer.COEFFICIENTS_BIN:
                        params = Nd4j.read(new DataInputStream(zip));
                        break;
                    case ModelSerializer.UPDATER_BIN:
                        if (loadUpdater) {
                            updater = Nd4j.read(new DataInputStream(zip));
                        }
                        break;
                    default:
                        // not read: in particular no Java-serialized entry is ever deserialized
                        break;
                }
            }
        } catch (RuntimeException e) {
            throw new ModelFormatException(where + ": not a readable DL4J network archive: " + e.getMessage(), e);
        }
        if (conf == null || params == null) {
            throw new ModelFormatException(where + ": DL4J network archive without "
                    + (conf == null ? ModelSerializer.CONFIGURATION_JSON : ModelSerializer.COEFFICIENTS_BIN));
        }
        ComputationGraph g;
        try {
            g = new ComputationGraph(ComputationGraphConfiguration.fromJson(conf));
            g.init(params, false);
        } catch (RuntimeException e) {
            throw new ModelFormatException(where + ": the DL4J network cannot be rebuilt: " + e.getMessage(), e);
        }
        if (updater != null) {
            g.getUpdater(true).setStateViewArray(updater);
        }
        return g;
    }
}
