package org.persona4j.models.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.persona4j.features.sequence.SequenceEncoder;
import org.persona4j.models.backend.BackendInfo;
import org.persona4j.models.profile.UserFeatureSource;

/**
 * What a training run records in its artifact's manifest: the SDK version, the feature schema, the
 * hyper-parameters, the static features and the provenance (data, counts, environment, timings,
 * epochs and the chosen epoch's validation metrics).
 *
 * @param data a description of the training data
 * @param users users in the input
 * @param events events in the input
 * @param trainingSequences training sequences of the main phase
 * @param trainingPositions their training positions
 * @param bestEpoch the epoch whose weights were kept (0 without validation)
 * @param refitEpochs refit epochs trained after it
 * @param trainSeconds seconds spent in training epochs
 * @param totalSeconds seconds of the whole fit
 */
record Provenance(String data, int users, int events, int trainingSequences, long trainingPositions, int bestEpoch,
                  int refitEpochs, double trainSeconds, double totalSeconds) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION_RESOURCE = "persona4j-version.properties";

    /**
     * The SDK version of this build, from {@value #VERSION_RESOURCE} that the Maven build fills in;
     * {@code unknown} where the classes were built without it (an IDE without resource filtering).
     */
    static final String SDK_VERSION = readVersion();

    private static String readVersion() {
        try (InputStream in = Provenance.class.getResourceAsStream(VERSION_RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").trim();
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + VERSION_RESOURCE, e);
        }
    }

    /**
     * @param config the hyper-parameters
     * @param enc the fitted encoder
     * @param features the static user features, or null
     * @param staticSize their dimension, 0 for none
     * @param history every epoch trained, refit epochs included
     * @return the manifest
     */
    ObjectNode manifest(ProfileModelConfig config, SequenceEncoder enc, UserFeatureSource features, int staticSize,
                        List<EpochSummary> history) {
        ObjectNode m = JSON.createObjectNode();
        m.put("sdkVersion", SDK_VERSION);
        m.put("featureSchemaHash", enc.schema().hash());
        m.set("hyperParameters", JSON.valueToTree(config.toMap()));
        ObjectNode sf = m.putObject("staticFeatures");
        sf.put("dimension", staticSize);
        sf.put("schemaHash", features == null ? "" : features.schemaHash());
        ObjectNode p = m.putObject("provenance");
        p.put("data", data);
        p.put("users", users);
        p.put("events", events);
        p.put("trainingSequences", trainingSequences);
        p.put("trainingPositions", trainingPositions);
        p.put("items", enc.items().knownIds());
        p.put("categories", enc.categories().knownIds());
        p.put("seed", config.seed());
        p.put("javaVersion", System.getProperty("java.version"));
        p.put("javaVendor", System.getProperty("java.vendor"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        p.put("dl4jVersion", org.deeplearning4j.nn.conf.NeuralNetConfiguration.class.getPackage().getImplementationVersion());
        p.set("backend", JSON.valueToTree(BackendInfo.current().toMap()));
        p.put("createdAt", Instant.now().toString());
        p.put("epochsTrained", history.size());
        p.put("bestEpoch", bestEpoch);
        p.put("refitEpochs", refitEpochs);
        p.put("trainSeconds", trainSeconds);
        p.put("totalSeconds", totalSeconds);
        if (!history.isEmpty()) {
            EpochSummary b = history.stream().filter(s -> s.epoch() == bestEpoch).findFirst().orElse(history.get(history.size() - 1));
            p.set("validation", JSON.valueToTree(b.validation()));
        }
        return m;
    }
}
