package org.persona4j.examples.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.persona4j.core.Recommendation;

class ServingHostTest {
    /** A model trained by the DL4J trainer and written as a format-2 artifact (the training module's golden file). */
    private static final Path ARTIFACT = Path.of("../../../lib-models/profile-train/src/test/resources/golden/profile-model-v2.zip");

    @Test
    void servesATrainedModelWithoutDl4j() throws Exception {
        ServingHost.Served s = ServingHost.run(ARTIFACT, 5);
        assertEquals(2, s.profile().eventCount());
        assertTrue(s.profile().embedding().length > 1, "the deep model's embedding");
        double p = s.profile().propensities().get("purchase");
        assertTrue(p >= 0 && p <= 1, "purchase propensity " + p);
        List<Recommendation> recs = s.recommendations();
        assertFalse(recs.isEmpty());
        recs.forEach(r -> assertFalse(r.reasons().isEmpty()));
    }

    @Test
    void noDl4jNd4jOrStoreClientOnTheClassPath() {
        for (String c : List.of("org.nd4j.linalg.factory.Nd4j", "org.deeplearning4j.nn.graph.ComputationGraph",
                "org.bytedeco.javacpp.Loader", "org.rocksdb.RocksDB", "redis.clients.jedis.Jedis",
                "org.persona4j.models.train.ProfileTrainer")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(c), c + " must not be on the class path");
        }
    }
}
