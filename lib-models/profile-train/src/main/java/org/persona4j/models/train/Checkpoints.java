package org.persona4j.models.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.persona4j.core.SchemaMismatchException;
import org.persona4j.io.AtomicFiles;

/**
 * A checkpoint folder: {@code checkpoint.zip} (the network with its updater state after the last
 * finished epoch), {@code best.zip} (the best epoch's weights) and {@code state.json} (the
 * {@link StoppingState}, the feature schema hash and the epoch history). Each file is replaced
 * atomically.
 */
final class Checkpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    /** @param dir the folder */
    Checkpoints(Path dir) {
        this.dir = dir;
    }

    /**
     * What a checkpoint restores.
     *
     * @param network the network after the last finished epoch, updater state included
     * @param best the best epoch's parameters, or null when none was saved
     * @param state the stopping state as saved
     * @param history the finished epochs
     */
    record Restored(ComputationGraph network, INDArray best, StoppingState state, List<EpochSummary> history) {
    }

    /** @return whether the folder holds a checkpoint */
    boolean exists() {
        return Files.exists(dir.resolve("state.json"));
    }

    /**
     * @param schemaHash the feature schema hash the training encodes with
     * @return the checkpoint
     * @throws SchemaMismatchException when the checkpoint was trained on another feature schema
     * @throws IOException when a file cannot be read
     */
    Restored restore(String schemaHash) throws IOException {
        JsonNode st = JSON.readTree(Files.readString(dir.resolve("state.json")));
        String saved = st.path("featureSchemaHash").asText();
        if (!schemaHash.equals(saved)) {
            throw new SchemaMismatchException("checkpoint " + dir + ": feature schema hash", saved, schemaHash);
        }
        ComputationGraph net = Dl4jArchives.read(dir.resolve("checkpoint.zip"), true);
        INDArray best = null;
        if (Files.exists(dir.resolve("best.zip"))) {
            ComputationGraph b = Dl4jArchives.read(dir.resolve("best.zip"), false);
            best = b.params().dup();
            b.close();
        }
        List<EpochSummary> history = new ArrayList<>();
        for (JsonNode h : st.path("history")) {
            Map<String, Double> m = new LinkedHashMap<>();
            h.path("validation").fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asDouble()));
            history.add(new EpochSummary(h.path("epoch").asInt(), h.path("meanLoss").asDouble(), m,
                    h.path("seconds").asDouble(), h.path("improved").asBoolean()));
        }
        return new Restored(net, best, StoppingState.read(st), history);
    }

    /**
     * Saves the state after an epoch.
     *
     * @param net the network, updater state included
     * @param improved whether this epoch is the best so far (then {@code best.zip} is replaced too)
     * @param state the stopping state
     * @param schemaHash the feature schema hash
     * @param history the finished epochs
     * @throws IOException when a file cannot be written
     */
    void save(ComputationGraph net, boolean improved, StoppingState state, String schemaHash, List<EpochSummary> history)
            throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve("checkpoint.zip"), out -> ModelSerializer.writeModel(net, new KeepOpen(out), true), true);
        if (improved) {
            AtomicFiles.write(dir.resolve("best.zip"), out -> ModelSerializer.writeModel(net, new KeepOpen(out), false), true);
        }
        ObjectNode st = JSON.createObjectNode();
        state.write(st);
        st.put("featureSchemaHash", schemaHash);
        ArrayNode h = st.putArray("history");
        for (EpochSummary s : history) {
            ObjectNode o = h.addObject();
            o.put("epoch", s.epoch());
            o.put("meanLoss", s.meanLoss());
            o.put("seconds", s.seconds());
            o.put("improved", s.improved());
            ObjectNode v = o.putObject("validation");
            s.validation().forEach(v::put);
        }
        AtomicFiles.writeString(dir.resolve("state.json"), st.toPrettyString(), true);
    }

    /** ModelSerializer closes the stream it is given; AtomicFiles must close (and sync) the file itself. */
    private static final class KeepOpen extends java.io.FilterOutputStream {
        KeepOpen(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
