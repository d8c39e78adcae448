package org.persona4j.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.persona4j.core.ModelFormatException;

/**
 * Checkpoints and format-1 weights are read without Java deserialization: a crafted archive whose
 * {@code preprocessor.bin} holds a live serialized object (its {@code readObject} trips a flag) is
 * read, and the object is never deserialized.
 */
class Dl4jArchivesTest {
    static final AtomicBoolean TRIPPED = new AtomicBoolean();

    /** A gadget stand-in: deserializing it is the attack. */
    static final class Tripwire implements Serializable {
        private static final long serialVersionUID = 1L;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            TRIPPED.set(true);
        }
    }

    private static ComputationGraph tinyGraph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).graphBuilder()
                .addInputs("in")
                .addLayer("d", new DenseLayer.Builder().nIn(3).nOut(2).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(2).nOut(1)
                        .activation(Activation.IDENTITY).build(), "d")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static byte[] withEntry(byte[] zip, String name, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip)); ZipOutputStream z = new ZipOutputStream(out)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals(name)) {
                    continue;
                }
                z.putNextEntry(new ZipEntry(e.getName()));
                z.write(in.readAllBytes());
                z.closeEntry();
            }
            z.putNextEntry(new ZipEntry(name));
            z.write(content);
            z.closeEntry();
        }
        return out.toByteArray();
    }

    @Test
    void aSerializedObjectInTheArchiveIsNeverDeserialized() throws Exception {
        ComputationGraph g = tinyGraph();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ModelSerializer.writeModel(g, bos, true);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        try (ObjectOutputStream oos = new ObjectOutputStream(payload)) {
            oos.writeObject(new Tripwire());
        }
        // the payload is live: plain Java deserialization trips it
        try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(payload.toByteArray()))) {
            ois.readObject();
        }
        assertTrue(TRIPPED.getAndSet(false), "control: deserializing the payload runs its readObject");

        byte[] crafted = withEntry(withEntry(bos.toByteArray(), "preprocessor.bin", payload.toByteArray()),
                "normalizer.bin", payload.toByteArray());
        ComputationGraph back = Dl4jArchives.read(crafted, true, "crafted.zip");
        assertFalse(TRIPPED.get(), "reading the archive deserialized an entry");
        assertEquals(g.params(), back.params(), "the coefficients are read");
        assertEquals(g.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray(), "and the updater state");
    }

    @Test
    void anArchiveWithoutCoefficientsIsAFormatErrorNamingTheEntry() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry(ModelSerializer.CONFIGURATION_JSON));
            z.write(tinyGraph().getConfiguration().toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            z.closeEntry();
        }
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> Dl4jArchives.read(out.toByteArray(), false, "cut.zip"));
        assertTrue(e.getMessage().contains("cut.zip") && e.getMessage().contains(ModelSerializer.COEFFICIENTS_BIN), e.getMessage());
    }
}
