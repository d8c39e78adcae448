package org.persona4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.persona4j.core.Recommendation;

class ItemKnnHostTest {
    @Test
    void servesItemKnnWithReasons() {
        List<Recommendation> recs = ItemKnnHost.run(120, 10);
        assertEquals(10, recs.size());
        for (Recommendation r : recs) {
            assertFalse(r.reasons().isEmpty(), "every recommendation carries a reason");
        }
    }

    @Test
    void noNativeEngineOrStoreClientOnTheClassPath() {
        for (String c : List.of("org.nd4j.linalg.factory.Nd4j", "org.deeplearning4j.nn.graph.ComputationGraph",
                "org.bytedeco.javacpp.Loader", "org.rocksdb.RocksDB", "redis.clients.jedis.Jedis",
                "org.persona4j.models.train.ProfileTrainer", "org.persona4j.store.rocksdb.RocksDbProfileStore")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(c), c + " must not be on the class path");
        }
        String cp = System.getProperty("java.class.path");
        for (String jar : List.of("nd4j", "deeplearning4j", "javacpp", "openblas", "rocksdbjni", "jedis")) {
            assertFalse(cp.contains(jar), jar + " on the class path: " + cp);
        }
        assertTrue(cp.contains("persona4j-engine") || cp.contains("engine"), cp);
    }
}
